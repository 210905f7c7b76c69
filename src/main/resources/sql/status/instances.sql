-- Alive: a heartbeat within the lease; the others are listed for a day, then forgotten.
SELECT id, started_at, heartbeat_at, runs::text AS runs,
       heartbeat_at > now() - make_interval(secs => :leaseSeconds) AS alive
FROM instances
WHERE heartbeat_at > now() - interval '1 day'
ORDER BY id
