-- What a running job recorded at its checkpoints (at most one every JOB_SAMPLE_SECONDS): the rows-per-second chart
-- of its report. Kept as long as the job.
CREATE TABLE job_samples (
    id           bigserial   PRIMARY KEY,
    job_uuid     uuid        NOT NULL REFERENCES jobs (uuid) ON DELETE CASCADE,
    attempt      integer     NOT NULL,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    rows_read    bigint      NOT NULL,
    rows_written bigint      NOT NULL,
    rows_failed  bigint      NOT NULL
);
CREATE INDEX job_samples_by_job ON job_samples (job_uuid, at);

-- the dashboard's jobs completed and failed per hour of the last day
CREATE INDEX job_transitions_ended ON job_transitions (at) WHERE to_status IN ('completed', 'failed');
