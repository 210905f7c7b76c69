-- One atomic statement: instances claiming at the same time skip each other's rows. An instance holds at
-- most :queueSize claimed jobs that it has not started; a job counts until its worker marks it started.
UPDATE jobs
SET status = :to, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE status = :from
    ORDER BY created_at, id
    LIMIT greatest(0, :queueSize - (SELECT count(*) FROM jobs WHERE status = :to AND claimed_by = :owner))
    FOR UPDATE SKIP LOCKED)
RETURNING *
