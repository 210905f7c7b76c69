-- :checkpoint is null for a job that cannot resume part way; fenced by the run (owner and attempt), so that a
-- run that was taken back and started again changes nothing. The run's progress is also sampled, at most once
-- every :sampleSeconds, for the rows-per-second chart of its report.
WITH sampled AS (
    INSERT INTO job_samples (job_uuid, attempt, rows_read, rows_written, rows_failed)
    SELECT :uuid, :attempts, :rowsRead, :rowsWritten, :rowsFailed
    WHERE EXISTS (SELECT 1 FROM jobs WHERE uuid = :uuid AND claimed_by = :owner AND attempts = :attempts AND status IN (:running))
      AND NOT EXISTS (SELECT 1 FROM job_samples WHERE job_uuid = :uuid AND attempt = :attempts
                      AND at > clock_timestamp() - make_interval(secs => :sampleSeconds))
)
UPDATE jobs
SET rows_read = :rowsRead, rows_written = :rowsWritten, rows_failed = :rowsFailed,
    bytes_read = :bytesRead, bytes_total = :bytesTotal, checkpoint = CAST(:checkpoint AS jsonb),
    heartbeat_at = now(), updated_at = now()
WHERE uuid = :uuid AND claimed_by = :owner AND attempts = :attempts AND status IN (:running)
