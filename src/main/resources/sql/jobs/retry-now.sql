-- A manual retry makes the job due now and allows one more attempt if its retries are spent.
UPDATE jobs
SET run_after = now(), retry_count = greatest(retry_count, attempts), updated_at = now()
WHERE uuid = :uuid AND status = :status
RETURNING *
