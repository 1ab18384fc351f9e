-- The platform journal: append-only, hash-chained streams (see Journal/JournalEvent.cs).
CREATE TABLE journal_events (
    stream TEXT NOT NULL,
    height INTEGER NOT NULL,
    parent TEXT NULL,
    type TEXT NOT NULL,
    time TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (stream, height)
);

CREATE TABLE journal_heads (
    stream TEXT PRIMARY KEY,
    height INTEGER NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER journal_events_no_update BEFORE UPDATE ON journal_events
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;

CREATE TRIGGER journal_events_no_delete BEFORE DELETE ON journal_events
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;

CREATE TABLE platform_demo_data (
    module TEXT PRIMARY KEY,
    seeded_at TEXT NOT NULL
);
