-- The jobs that are not done, and failed ones, by queue and status: exact, and found on the status index (few,
-- whatever the table's size, as retention bounds the failed ones).
SELECT queue, status, count(*) AS jobs
FROM jobs
WHERE status IN ('open', 'in_queue', 'processing', 'retry_in_queued', 'retrying', 'failed')
GROUP BY queue, status
ORDER BY queue, status
