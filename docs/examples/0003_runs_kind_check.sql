-- Worked example from docs/migrations.md: add a CHECK constraint to runs.kind. SQLite's ALTER TABLE
-- cannot add a constraint, so the table is rebuilt (the "12-step" procedure). SQLite only.
-- PRAGMA foreign_keys has no effect inside a transaction, hence transaction:false and the
-- script's own BEGIN ... COMMIT.
-- migrate:up transaction:false
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
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
CREATE INDEX ix_runs_created_at ON runs (created_at);
CREATE INDEX ix_runs_status_created_at ON runs (status, created_at);
-- PRAGMA foreign_key_check only lists problems; this CHECK turns any into a failure, so the
-- whole rebuild is rolled back instead of committing dangling events.
CREATE TEMP TABLE dbdeck_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO dbdeck_fk_check (violations) SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE dbdeck_fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
