-- One atomic statement: instances claiming at the same time skip each other's rows. Per queue, the claimable
-- jobs (open, every dependency completed; partitions are claimed by claim-spread.sql), highest priority first, then
-- oldest; an instance holds at most :queueSize claimed jobs of the queue that it has not started; a job counts until
-- its worker marks it started.
UPDATE jobs
SET status = :to, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE status = :from AND queue = :queue AND waiting_on = 0 AND NOT spread
    ORDER BY priority DESC, created_at, id
    LIMIT greatest(0, :queueSize - (SELECT count(*) FROM jobs WHERE status = :to AND claimed_by = :owner AND queue = :queue))
    FOR UPDATE SKIP LOCKED)
RETURNING *
