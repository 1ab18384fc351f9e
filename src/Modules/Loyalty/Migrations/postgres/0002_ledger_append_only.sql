-- The ledger is append-only: corrections are new entries (adjust, reversal), never edits.
CREATE FUNCTION loyalty_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the loyalty ledger is append-only';
END;
$$;

CREATE TRIGGER loyalty_ledger_no_update_delete BEFORE UPDATE OR DELETE ON loyalty_ledger
    FOR EACH ROW EXECUTE FUNCTION loyalty_ledger_append_only();

CREATE TRIGGER loyalty_ledger_no_truncate BEFORE TRUNCATE ON loyalty_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION loyalty_ledger_append_only();

-- Members are updated at every purchase (visits, sequence, tier): room in each page keeps those updates HOT.
ALTER TABLE loyalty_members SET (fillfactor = 70);
