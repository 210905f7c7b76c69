-- A second create with the same idempotency key inserts nothing; the job store then returns the first.
-- Each dependency is marked has_dependents, which also locks it until this job commits: one that completes
-- meanwhile waits, and then counts this job down (settle_dependents) as it does the others. waiting_on counts
-- the dependencies not completed yet.
WITH dependencies AS (
    UPDATE jobs SET has_dependents = true
    WHERE uuid = ANY (CAST(:dependsOn AS uuid[]))
    RETURNING status
)
INSERT INTO jobs (job_type, data, retry_count, retry_interval, idempotency_key, priority, queue, timeout_seconds,
                  depends_on, waiting_on, batch_uuid, spread)
VALUES (:jobType, CAST(:data AS jsonb), :retryCount, :retryInterval, :idempotencyKey, :priority, :queue,
        :timeoutSeconds, CAST(:dependsOn AS uuid[]),
        (SELECT count(*) FROM dependencies WHERE status <> 'completed'),
        CAST(:batchUuid AS uuid), :spread)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING *
