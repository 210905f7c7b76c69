-- The claimable job that has waited longest (open, every dependency completed), per queue.
SELECT DISTINCT ON (queue) queue, uuid::text AS uuid, job_type, created_at,
       extract(epoch FROM now() - created_at) AS waiting_seconds
FROM jobs
WHERE status = 'open' AND waiting_on = 0
ORDER BY queue, created_at, id
