-- One claimable open job of a batch for this instance, as claim-open.sql claims (SKIP LOCKED): a partitioned import
-- runs its own open partitions while it waits for them, so that it never waits on a worker it holds itself.
UPDATE jobs
SET status = :to, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid = (
    SELECT uuid FROM jobs
    WHERE batch_uuid = :batch AND status = :from AND waiting_on = 0
    ORDER BY id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING *
