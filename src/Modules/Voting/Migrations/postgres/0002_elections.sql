-- The catalog of elections run by this server. Each election's own data (roll, board, émargement, journal) is in its
-- own database (Service/ElectionStore.cs); this row survives its destruction with the sealed archive fingerprint.
CREATE TABLE voting_elections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    location TEXT NOT NULL,
    admin_token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sealed_sha256 TEXT
);
