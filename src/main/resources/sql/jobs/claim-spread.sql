-- Claims open partitions of one import (spread jobs of one batch) for this instance, as many as partitions_room
-- leaves it (V18): the import is the first, highest priority then oldest, with room left here. SKIP LOCKED, as
-- the ordinary claim. Called again until it claims nothing. 'open' is written out, for the planner to match the
-- partial index jobs_spread_claimable whatever plan it caches.
WITH next AS (
    SELECT open.batch_uuid, partitions_room(open.batch_uuid, :owner, :leaseSeconds) AS room
    FROM (SELECT batch_uuid, max(priority) AS priority, min(created_at) AS created_at FROM jobs
          WHERE status = 'open' AND queue = :queue AND waiting_on = 0 AND spread
          GROUP BY batch_uuid) AS open
    WHERE partitions_room(open.batch_uuid, :owner, :leaseSeconds) > 0
    ORDER BY open.priority DESC, open.created_at
    LIMIT 1
)
UPDATE jobs
SET status = :to, claimed_by = :owner, claimed_at = now(), updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE batch_uuid = (SELECT batch_uuid FROM next) AND status = 'open' AND waiting_on = 0 AND spread
    ORDER BY id
    LIMIT coalesce((SELECT room FROM next), 0)
    FOR UPDATE SKIP LOCKED)
RETURNING *
