-- One partition of the import for the import's own thread to run while it waits for them, so that it never waits
-- on a worker it holds itself: one this instance claimed and has not started (its workers may all be busy, the
-- import's among them: a partition to retry waits for the retry runner's worker), else an open one if
-- partitions_room (V18) leaves room. Whichever of this thread and a worker starts it first runs it: starting is
-- fenced by the status.
UPDATE jobs
SET status = CASE WHEN status = :from THEN :to ELSE status END, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid = (
    SELECT uuid FROM jobs
    WHERE batch_uuid = :batch AND waiting_on = 0
      AND ((status IN ('in_queue', 'retry_in_queued') AND claimed_by = :owner)
           OR (status = :from AND partitions_room(:batch, :owner, :leaseSeconds) > 0))
    ORDER BY status = :from, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING *
