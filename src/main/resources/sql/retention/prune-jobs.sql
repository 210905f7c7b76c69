-- Deletes at most :batch finished jobs past their retention, oldest first, with what is theirs alone: transitions
-- (the events feed), samples (by cascade), dead letters (all reprocessed), their headers, mirror and partition keys.
-- Completed and cancelled jobs go :retentionDays after they finished, jobs failed for good :failedRetentionDays after.
-- A job stays while something still needs it: an unfinished job of its batch or among its partitions, an open job
-- that depends on it, a dead letter of it waiting to be reprocessed, its idempotency key within :keyDays of its
-- creation, a one-off schedule's key (the job would be made again), the newest completed job of a schedule (the
-- schedule_missed alert reads it). The scan runs in creation order (jobs_newest, backwards): a job is created before
-- it finishes, so only jobs created before the earlier cut-off are looked at.
WITH doomed AS (
    SELECT j.uuid FROM jobs j
    WHERE j.created_at < now() - make_interval(days => least(:retentionDays, :failedRetentionDays))
      AND ((j.status IN ('completed', 'cancelled') AND j.completed_at < now() - make_interval(days => :retentionDays))
           OR (j.status = 'failed' AND j.run_after IS NULL AND j.completed_at < now() - make_interval(days => :failedRetentionDays)))
      AND NOT EXISTS (SELECT FROM jobs b
                      WHERE b.batch_uuid IN (j.batch_uuid, j.uuid)
                        AND (b.status NOT IN ('completed', 'cancelled', 'failed') OR (b.status = 'failed' AND b.run_after IS NOT NULL)))
      AND NOT EXISTS (SELECT FROM jobs d
                      WHERE d.status = 'open' AND cardinality(d.depends_on) > 0 AND d.depends_on @> ARRAY[j.uuid])
      AND NOT EXISTS (SELECT FROM dead_letters l WHERE l.job_uuid = j.uuid AND l.reprocessed_at IS NULL)
      AND (j.idempotency_key IS NULL
           OR (j.created_at < now() - make_interval(days => :keyDays)
               AND j.idempotency_key NOT LIKE 'once:%'
               AND NOT (j.idempotency_key LIKE 'schedule:%' AND j.status = 'completed'
                        AND NOT EXISTS (SELECT FROM jobs n
                                        WHERE n.status = 'completed' AND n.completed_at > j.completed_at
                                          AND n.idempotency_key LIKE 'schedule:' || split_part(j.idempotency_key, ':', 2) || ':%'))))
    ORDER BY j.created_at, j.id
    LIMIT :batch
    FOR UPDATE SKIP LOCKED
), transitions AS (
    DELETE FROM job_transitions t USING doomed WHERE t.job_uuid = doomed.uuid
), letters AS (
    DELETE FROM dead_letters l USING doomed WHERE l.job_uuid = doomed.uuid
), headers AS (
    DELETE FROM dead_letter_headers h USING doomed WHERE h.job_uuid = doomed.uuid
), mirror AS (
    DELETE FROM mirror_keys m USING doomed WHERE m.job_uuid = doomed.uuid
), partitions AS (
    DELETE FROM partition_keys p USING doomed WHERE p.parent_uuid = doomed.uuid
), pruned AS (
    DELETE FROM jobs USING doomed WHERE jobs.uuid = doomed.uuid
    RETURNING jobs.status
), counted AS (
    UPDATE retention SET jobs_pruned = jobs_pruned + (SELECT count(*) FROM pruned), last_pruned_at = now()
    WHERE EXISTS (SELECT FROM pruned)
)
SELECT status, count(*) AS jobs FROM pruned GROUP BY status
