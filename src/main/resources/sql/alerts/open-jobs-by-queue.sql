-- queue_backlog: the jobs waiting for a worker, by queue (not those waiting on a dependency)
SELECT queue AS subject, count(*) AS open_jobs, min(created_at) AS oldest
FROM jobs
WHERE status IN ('open', 'in_queue') AND waiting_on = 0 AND (CAST(:queue AS text) IS NULL OR queue = :queue)
GROUP BY queue
