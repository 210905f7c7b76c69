-- Running jobs that look stuck (no heartbeat for half a lease) or are past their timeout.
SELECT uuid::text AS uuid, job_type, queue, claimed_by, started_at, heartbeat_at, timeout_seconds,
       heartbeat_at < now() - make_interval(secs => :leaseSeconds / 2.0) AS stuck,
       timeout_seconds IS NOT NULL AND started_at + make_interval(secs => timeout_seconds) < now() AS overdue
FROM jobs
WHERE status IN (:running)
  AND (heartbeat_at < now() - make_interval(secs => :leaseSeconds / 2.0)
       OR (timeout_seconds IS NOT NULL AND started_at + make_interval(secs => timeout_seconds) < now()))
ORDER BY started_at
LIMIT :limit
