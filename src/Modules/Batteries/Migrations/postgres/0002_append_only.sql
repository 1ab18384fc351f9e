-- Passport versions and readings are never changed nor removed: history cannot be rewritten.
CREATE FUNCTION battery_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: passport history cannot be rewritten', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER battery_passport_versions_no_update_delete BEFORE UPDATE OR DELETE ON battery_passport_versions
    FOR EACH ROW EXECUTE FUNCTION battery_append_only();
CREATE TRIGGER battery_passport_versions_no_truncate BEFORE TRUNCATE ON battery_passport_versions
    FOR EACH STATEMENT EXECUTE FUNCTION battery_append_only();
CREATE TRIGGER battery_dynamic_readings_no_update_delete BEFORE UPDATE OR DELETE ON battery_dynamic_readings
    FOR EACH ROW EXECUTE FUNCTION battery_append_only();
CREATE TRIGGER battery_dynamic_readings_no_truncate BEFORE TRUNCATE ON battery_dynamic_readings
    FOR EACH STATEMENT EXECUTE FUNCTION battery_append_only();

-- A passport may only move forward: its version number never decreases, and it is never deleted.
CREATE FUNCTION battery_passports_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'passports are never deleted; recycling ends them';
    END IF;
    IF NEW.current_version < OLD.current_version THEN
        RAISE EXCEPTION 'a passport cannot go back to an earlier version';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER battery_passports_forward_only BEFORE UPDATE OR DELETE ON battery_passports
    FOR EACH ROW EXECUTE FUNCTION battery_passports_forward_only();
CREATE TRIGGER battery_passports_no_truncate BEFORE TRUNCATE ON battery_passports
    FOR EACH STATEMENT EXECUTE FUNCTION battery_append_only();
