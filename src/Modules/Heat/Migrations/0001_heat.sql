-- Heat: scenarios (JSON documents, versioned), simulation runs and uploaded weather years.
CREATE TABLE heat_scenarios (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    document TEXT NOT NULL,
    shipped INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE heat_runs (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL REFERENCES heat_scenarios (id) ON DELETE CASCADE,
    scenario_version BIGINT NOT NULL,
    idempotency_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    summary TEXT NOT NULL,
    hourly TEXT NOT NULL
);

CREATE INDEX heat_runs_by_scenario ON heat_runs (scenario_id, created_at);

CREATE TABLE heat_weather (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    latitude_deg DOUBLE PRECISION NOT NULL,
    design_c DOUBLE PRECISION NOT NULL,
    csv TEXT NOT NULL,
    created_at TEXT NOT NULL
);
