-- The partitions of an import are claimed in fair shares over the instances that run their queue
-- (sql/jobs/claim-spread.sql), not by the ordinary claim: otherwise the instance that cut the file, told first,
-- claimed every partition before the others heard of them.
ALTER TABLE jobs ADD COLUMN spread boolean NOT NULL DEFAULT false;

DROP INDEX jobs_claimable;
CREATE INDEX jobs_claimable ON jobs (queue, priority DESC, created_at, id) WHERE status = 'open' AND waiting_on = 0 AND NOT spread;
CREATE INDEX jobs_spread_claimable ON jobs (queue, batch_uuid) WHERE status = 'open' AND waiting_on = 0 AND spread;

-- How many more partitions of the import (the batch) the instance may claim: its fair share, ⌈partitions /
-- instances⌉, less those it holds claimed or running. Instances count when alive (a heartbeat within
-- lease_seconds) and running the partitions' queue.
CREATE FUNCTION partitions_room(batch uuid, owner text, lease_seconds integer) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (ceil(count(*)::numeric / greatest(1, (
               SELECT count(*) FROM instances
               WHERE heartbeat_at > now() - make_interval(secs => lease_seconds)
                 AND runs->>'first_time_runner' = 'true'
                 AND EXISTS (SELECT FROM jsonb_array_elements_text(runs->'queues') AS runs_queue
                             WHERE split_part(runs_queue, ':', 1) = min(jobs.queue)))))
            - count(*) FILTER (WHERE claimed_by = owner AND status IN ('in_queue', 'processing', 'retry_in_queued', 'retrying')))::bigint
    FROM jobs WHERE batch_uuid = batch
$$;
