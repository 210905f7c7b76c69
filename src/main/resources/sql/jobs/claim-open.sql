-- One atomic statement: instances claiming at the same time skip each other's rows.
UPDATE jobs
SET status = :to, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE status = :from
    ORDER BY created_at, id
    LIMIT :room
    FOR UPDATE SKIP LOCKED)
RETURNING *
