-- Worked example from docs/migrations.md: add a CHECK constraint to runs.kind. SQLite's ALTER TABLE
-- cannot add a constraint, so the table is rebuilt (SQLite's "12-step" procedure). SQLite only.
-- foreign_keys:off is dbdeck's rebuild mode: it turns foreign keys off before the migration's one
-- transaction (inside a transaction PRAGMA foreign_keys does nothing, and DROP TABLE runs would
-- delete every event through ON DELETE CASCADE), keeps views and triggers that name runs working
-- (legacy_alter_table), runs PRAGMA foreign_key_check before COMMIT — a dangling event rolls the
-- whole rebuild back — and turns foreign keys on again afterwards, also when the migration fails.
-- migrate:up foreign_keys:off
CREATE TABLE runs_new (
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    params_json TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    started_at TEXT,
    finished_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT pk_runs PRIMARY KEY (id),
    CONSTRAINT ck_runs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    CONSTRAINT ck_runs_kind CHECK (length(kind) BETWEEN 1 AND 100)
);
INSERT INTO runs_new (id, kind, status, params_json, error, started_at, finished_at, created_at, updated_at)
    SELECT id, kind, status, params_json, error, started_at, finished_at, created_at, updated_at FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
-- DROP TABLE took the table's own indexes and triggers with it: create them again.
CREATE INDEX ix_runs_created_at ON runs (created_at);
CREATE INDEX ix_runs_status_created_at ON runs (status, created_at);

-- migrate:down foreign_keys:off
CREATE TABLE runs_old (
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    params_json TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    started_at TEXT,
    finished_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT pk_runs PRIMARY KEY (id),
    CONSTRAINT ck_runs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'))
);
INSERT INTO runs_old (id, kind, status, params_json, error, started_at, finished_at, created_at, updated_at)
    SELECT id, kind, status, params_json, error, started_at, finished_at, created_at, updated_at FROM runs;
DROP TABLE runs;
ALTER TABLE runs_old RENAME TO runs;
CREATE INDEX ix_runs_created_at ON runs (created_at);
CREATE INDEX ix_runs_status_created_at ON runs (status, created_at);
