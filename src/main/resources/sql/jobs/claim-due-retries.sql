-- One atomic statement: failed jobs whose run_after has passed, the highest priority and then the longest
-- waiting first, at most :queueSize claimed and not started by this instance at any time.
UPDATE jobs
SET status = :to, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE status = :from AND run_after <= now()
    ORDER BY priority DESC, run_after, id
    LIMIT greatest(0, :queueSize - (SELECT count(*) FROM jobs WHERE status = :to AND claimed_by = :owner))
    FOR UPDATE SKIP LOCKED)
RETURNING *
