-- One atomic statement: failed jobs whose run_after has passed, the longest-waiting first.
UPDATE jobs
SET status = :to, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE status = :from AND run_after <= now()
    ORDER BY run_after, id
    LIMIT :room
    FOR UPDATE SKIP LOCKED)
RETURNING *
