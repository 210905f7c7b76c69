-- Inserts several jobs in one statement, in the order given: :jobs is a JSON array of {uuid, job_type, data,
-- retry_count, retry_interval, idempotency_key, priority, queue, timeout_seconds, depends_on}. A job whose
-- idempotency key a job has already is not inserted and not answered; the job store then returns the first.
-- Each dependency is marked has_dependents, which also locks it until these jobs commit: one that completes
-- meanwhile waits, and then counts them down (settle_dependents) as it does the others. waiting_on counts a job's
-- dependencies not completed yet.
WITH new AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset(CAST(:jobs AS jsonb))
        AS (uuid uuid, job_type text, data jsonb, retry_count integer, retry_interval integer, idempotency_key text,
            priority integer, queue text, timeout_seconds integer, depends_on uuid[])) WITH ORDINALITY
        AS new(uuid, job_type, data, retry_count, retry_interval, idempotency_key, priority, queue, timeout_seconds,
               depends_on, position)
), dependencies AS (
    UPDATE jobs SET has_dependents = true
    WHERE uuid IN (SELECT unnest(depends_on) FROM new)
    RETURNING uuid, status
)
INSERT INTO jobs (uuid, job_type, data, retry_count, retry_interval, idempotency_key, priority, queue, timeout_seconds,
                  depends_on, waiting_on, batch_uuid, spread)
SELECT uuid, job_type, data, retry_count, retry_interval, idempotency_key, priority, queue, timeout_seconds, depends_on,
       (SELECT count(*) FROM dependencies WHERE dependencies.uuid = ANY (new.depends_on) AND status <> 'completed'),
       CAST(:batchUuid AS uuid), :spread
FROM new
ORDER BY position
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING *
