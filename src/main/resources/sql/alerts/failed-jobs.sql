-- job_failed: jobs failed for good (no retry to come) since the rule was first evaluated, newest first
SELECT uuid::text AS subject, job_type, queue, attempts, job_response -> 'runtime_errors' ->> 0 AS error
FROM jobs
WHERE status = 'failed' AND run_after IS NULL AND updated_at >= :since
  AND (CAST(:jobType AS text) IS NULL OR job_type = :jobType)
  AND (CAST(:queue AS text) IS NULL OR queue = :queue)
ORDER BY updated_at DESC
LIMIT :limit
