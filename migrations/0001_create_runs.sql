-- Runs: one unit of the application's work (an ingestion, a job).
-- Times are naive UTC text, "YYYY-MM-DD HH:MM:SS.ffffff"; ids are UUID text (time-ordered, v7).
-- migrate:up
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
-- Recent runs, newest first.
CREATE INDEX ix_runs_created_at ON runs (created_at);
-- Runs by status, newest first.
CREATE INDEX ix_runs_status_created_at ON runs (status, created_at);

-- migrate:down
DROP TABLE runs;
