-- Published election boards (Belenios .bel archives) with the report of their verification.
-- A board only grows: a newer version of the same election must extend the stored bytes (see Boards/BoardStore.cs).
CREATE TABLE voting_boards (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    group_name TEXT NOT NULL,
    state TEXT NOT NULL,
    ballots BIGINT NOT NULL,
    counted BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    board_sha256 TEXT NOT NULL,
    head TEXT NOT NULL,
    board BLOB NOT NULL,
    report TEXT NOT NULL,
    published_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX voting_boards_updated ON voting_boards (updated_at);
