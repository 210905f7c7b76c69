-- :checkpoint is null for a job that cannot resume part way; fenced by the run (owner and attempt), so that a
-- run that was taken back and started again changes nothing
UPDATE jobs
SET rows_read = :rowsRead, rows_written = :rowsWritten, rows_failed = :rowsFailed,
    bytes_read = :bytesRead, bytes_total = :bytesTotal, checkpoint = CAST(:checkpoint AS jsonb),
    heartbeat_at = now(), updated_at = now()
WHERE uuid = :uuid AND claimed_by = :owner AND attempts = :attempts AND status IN (:running)
