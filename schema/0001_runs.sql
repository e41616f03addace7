-- The application's declared schema (SCHEMA_DIR, default ./schema): the desired state that
-- `dbdeck-cli revision --autogenerate` writes migrations towards. It equals what migrations/
-- produce (tests/cli/tst_clischema.cpp checks that `dbdeck-cli diff migrations declared` is empty).
-- Edit it, then run `dbdeck-cli revision --autogenerate -m "what changed"` and review the file.

-- Runs: one unit of the application's work (an ingestion, a job).
CREATE TABLE runs (
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
CREATE INDEX ix_runs_created_at ON runs (created_at);
CREATE INDEX ix_runs_status_created_at ON runs (status, created_at);
