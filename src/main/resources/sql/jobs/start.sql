UPDATE jobs
SET status = :to, attempts = attempts + 1, started_at = now(), heartbeat_at = now(), completed_at = NULL,
    updated_at = now()
WHERE uuid = :uuid AND status = :from AND claimed_by = :owner
RETURNING attempts, started_at, heartbeat_at, updated_at
