INSERT INTO jobs (job_type, data, retry_count, retry_interval)
VALUES (:jobType, CAST(:data AS jsonb), :retryCount, :retryInterval)
RETURNING *
