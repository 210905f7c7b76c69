-- A second create with the same idempotency key inserts nothing; the job store then returns the first.
INSERT INTO jobs (job_type, data, retry_count, retry_interval, idempotency_key)
VALUES (:jobType, CAST(:data AS jsonb), :retryCount, :retryInterval, :idempotencyKey)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING *
