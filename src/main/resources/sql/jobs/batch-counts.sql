-- A batch's jobs by status; failed_for_good counts the failed ones with no retry left.
SELECT status, count(*) AS jobs, count(*) FILTER (WHERE status = 'failed' AND run_after IS NULL) AS failed_for_good,
       min(created_at) AS created_at, max(completed_at) AS last_completed_at
FROM jobs
WHERE batch_uuid = :batch
GROUP BY status
