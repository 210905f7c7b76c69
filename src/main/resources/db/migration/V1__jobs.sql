-- The jobs table: the guide's fields, plus what claiming, resuming and scale-out need.
CREATE TABLE jobs (
    id              bigserial   PRIMARY KEY,
    uuid            uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    job_type        text        NOT NULL,
    data            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status          text        NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'in_queue', 'processing', 'completed', 'failed',
                                      'retry_in_queued', 'retrying', 'cancelled')),
    job_response    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    retry_count     integer     NOT NULL DEFAULT 0  CHECK (retry_count >= 0),   -- retries allowed
    retry_interval  integer     NOT NULL DEFAULT 30 CHECK (retry_interval >= 0), -- seconds
    run_after       timestamptz,                                                 -- when a failed job may run again
    attempts        integer     NOT NULL DEFAULT 0,                              -- runs started so far
    idempotency_key text        UNIQUE,
    claimed_by      text,                                                        -- instance that holds the job
    claimed_at      timestamptz,
    heartbeat_at    timestamptz,
    rows_read       bigint      NOT NULL DEFAULT 0,
    rows_written    bigint      NOT NULL DEFAULT 0,
    rows_failed     bigint      NOT NULL DEFAULT 0,
    bytes_read      bigint      NOT NULL DEFAULT 0,
    bytes_total     bigint,
    started_at      timestamptz,
    completed_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- the first-time runner's claim: open jobs, oldest first
CREATE INDEX jobs_open_by_age ON jobs (created_at, id) WHERE status = 'open';
-- the retry runner's claim: failed jobs that are due
CREATE INDEX jobs_failed_by_due_time ON jobs (run_after) WHERE status = 'failed' AND run_after IS NOT NULL;
-- finding jobs an instance holds (hand-back on shutdown, stale-heartbeat recovery)
CREATE INDEX jobs_claimed ON jobs (claimed_by, status) WHERE claimed_by IS NOT NULL;
-- listing: newest first, optionally of one type or status
CREATE INDEX jobs_newest ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_by_type_newest ON jobs (job_type, created_at DESC, id DESC);
CREATE INDEX jobs_by_status_newest ON jobs (status, created_at DESC, id DESC);
