-- job_too_long: jobs running for longer than :seconds
SELECT uuid::text AS subject, job_type, queue, claimed_by, started_at
FROM jobs
WHERE status IN ('processing', 'retrying') AND started_at < now() - :seconds * interval '1 second'
  AND (CAST(:jobType AS text) IS NULL OR job_type = :jobType)
ORDER BY started_at
LIMIT :limit
