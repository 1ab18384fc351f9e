-- Passport versions and readings are never changed nor removed: history cannot be rewritten.
CREATE TRIGGER battery_passport_versions_no_update BEFORE UPDATE ON battery_passport_versions
BEGIN
    SELECT RAISE(ABORT, 'passport versions are immutable');
END;

CREATE TRIGGER battery_passport_versions_no_delete BEFORE DELETE ON battery_passport_versions
BEGIN
    SELECT RAISE(ABORT, 'passport versions are immutable');
END;

CREATE TRIGGER battery_dynamic_readings_no_update BEFORE UPDATE ON battery_dynamic_readings
BEGIN
    SELECT RAISE(ABORT, 'readings are append-only');
END;

CREATE TRIGGER battery_dynamic_readings_no_delete BEFORE DELETE ON battery_dynamic_readings
BEGIN
    SELECT RAISE(ABORT, 'readings are append-only');
END;

-- A passport may only move forward: its version number never decreases.
CREATE TRIGGER battery_passports_forward_only BEFORE UPDATE ON battery_passports
WHEN NEW.current_version < OLD.current_version
BEGIN
    SELECT RAISE(ABORT, 'a passport cannot go back to an earlier version');
END;

CREATE TRIGGER battery_passports_no_delete BEFORE DELETE ON battery_passports
BEGIN
    SELECT RAISE(ABORT, 'passports are never deleted; recycling ends them');
END;
