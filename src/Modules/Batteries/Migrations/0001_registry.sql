-- Batteries: parties (who signs in and in which access group), operators' signing keys, passports and their versions.
CREATE TABLE battery_parties (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    profile TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);

CREATE TABLE battery_signing_keys (
    key_id TEXT PRIMARY KEY,
    party_id TEXT NOT NULL REFERENCES battery_parties (id),
    public_jwk TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT NULL
);
CREATE INDEX battery_signing_keys_party ON battery_signing_keys (party_id, created_at);

-- The head of each passport: what its latest version says, for look-ups and search. The versions are the record.
CREATE TABLE battery_passports (
    id TEXT PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    battery_id TEXT NOT NULL,
    operator_id TEXT NOT NULL REFERENCES battery_parties (id),
    category TEXT NOT NULL,
    chemistry TEXT NULL,
    status TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    current_hash TEXT NOT NULL,
    predecessor_id TEXT NULL,
    successor_id TEXT NULL,
    manufactured_at TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX battery_passports_battery ON battery_passports (battery_id);
-- one active passport per battery: a repurposed battery's old passport is superseded before the new one is written
CREATE UNIQUE INDEX battery_passports_one_active ON battery_passports (battery_id) WHERE lifecycle = 'active';
CREATE INDEX battery_passports_operator ON battery_passports (operator_id, created_at);
CREATE INDEX battery_passports_search ON battery_passports (category, status, lifecycle);

-- Every version ever recorded, immutable: the signed document, its hash, the signature and its place in the journal.
CREATE TABLE battery_passport_versions (
    passport_id TEXT NOT NULL REFERENCES battery_passports (id),
    version INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    change TEXT NOT NULL,
    status TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    document TEXT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES battery_signing_keys (key_id),
    journal_stream TEXT NOT NULL,
    journal_height BIGINT NOT NULL,
    journal_hash TEXT NOT NULL,
    PRIMARY KEY (passport_id, version)
);

-- Dynamic data as measured, appended (each reading names the version that took it in).
CREATE TABLE battery_dynamic_readings (
    passport_id TEXT NOT NULL REFERENCES battery_passports (id),
    seq INTEGER NOT NULL,
    measured_at TEXT NOT NULL,
    attribute TEXT NOT NULL,
    value TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (passport_id, seq)
);

-- A write with an Idempotency-Key answers the same the second time, without doing it again.
CREATE TABLE battery_idempotency (
    party_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (party_id, idem_key)
);

-- Recyclers' reports: recycling efficiency (Annex XII Part B) and material recovery (Annex XII Part C).
CREATE TABLE battery_recycling_reports (
    id TEXT PRIMARY KEY,
    recycler_id TEXT NOT NULL REFERENCES battery_parties (id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    report TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX battery_recycling_reports_recycler ON battery_recycling_reports (recycler_id, period_end);
