-- Events: what happened during a run, numbered per run by seq.
CREATE TABLE events (
    id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    level TEXT NOT NULL DEFAULT 'info',
    kind TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    message_original_length INTEGER,
    payload_json TEXT,
    payload_uri TEXT,
    created_at TEXT NOT NULL,
    CONSTRAINT pk_events PRIMARY KEY (id),
    CONSTRAINT uq_events_run_id_seq UNIQUE (run_id, seq),
    CONSTRAINT fk_events_run_id_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE,
    CONSTRAINT ck_events_level CHECK (level IN ('debug', 'info', 'warning', 'error')),
    CONSTRAINT ck_events_message_length CHECK (length(message) <= 16384)
);
CREATE INDEX ix_events_created_at ON events (created_at);
