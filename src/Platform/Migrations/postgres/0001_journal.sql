-- The platform journal: append-only, hash-chained streams (see Journal/JournalEvent.cs).
CREATE TABLE journal_events (
    stream TEXT NOT NULL,
    height BIGINT NOT NULL,
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
    height BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE FUNCTION journal_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only';
END;
$$;

CREATE TRIGGER journal_events_no_update_delete BEFORE UPDATE OR DELETE ON journal_events
    FOR EACH ROW EXECUTE FUNCTION journal_events_append_only();

CREATE TRIGGER journal_events_no_truncate BEFORE TRUNCATE ON journal_events
    FOR EACH STATEMENT EXECUTE FUNCTION journal_events_append_only();

CREATE TABLE platform_demo_data (
    module TEXT PRIMARY KEY,
    seeded_at TEXT NOT NULL
);
