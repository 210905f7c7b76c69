UPDATE jobs
SET status = :to, run_after = NULL, completed_at = coalesce(completed_at, now()), updated_at = now()
WHERE uuid = :uuid AND status IN (:from)
RETURNING *
