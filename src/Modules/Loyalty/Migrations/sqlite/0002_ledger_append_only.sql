-- The ledger is append-only: corrections are new entries (adjust, reversal), never edits.
CREATE TRIGGER loyalty_ledger_no_update BEFORE UPDATE ON loyalty_ledger
BEGIN
    SELECT RAISE(ABORT, 'the loyalty ledger is append-only');
END;

CREATE TRIGGER loyalty_ledger_no_delete BEFORE DELETE ON loyalty_ledger
BEGIN
    SELECT RAISE(ABORT, 'the loyalty ledger is append-only');
END;
