-- The events after (:afterTx, :afterId) in feed order, only from transactions older than every one still running:
-- whatever commits later has a newer transaction, so it comes after everything read here. The events of a job
-- deleted since are events too (without the job's fields): an inner join would scan past them on every page.
SELECT t.id AS event_id, t.tx::text AS tx, t.job_uuid::text AS job_uuid, j.job_type, j.queue, j.priority,
       j.batch_uuid::text AS batch_uuid, t.from_status, t.to_status, t.reason, t.instance, t.attempts, t.run_after,
       t.at, j.data->>'notify_url' AS notify_url
FROM job_transitions t
LEFT JOIN jobs j ON j.uuid = t.job_uuid
WHERE (t.tx, t.id) > (CAST(:afterTx AS xid8), :afterId)
  AND t.tx < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY t.tx, t.id
LIMIT :limit
