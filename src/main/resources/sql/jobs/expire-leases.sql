-- Running jobs whose run sent no heartbeat for a lease (its instance died, or its worker is stuck) fail; while
-- they have attempts left (their retries, and one more, as a crash is rarely the job's fault) they are due at
-- once, for any retry runner to resume. Whatever the old run writes later is fenced out by its attempt.
UPDATE jobs
SET status = :to,
    job_response = jsonb_build_object(
        'runtime_errors', jsonb_build_array('attempt ' || attempts || ' on instance ' || claimed_by
            || ' stopped sending heartbeats at ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            || ' (its instance stopped, or its worker is stuck); its lease of ' || :leaseSeconds || ' s ran out'),
        'messages', CASE WHEN attempts <= retry_count + 1 THEN 'Job put back to be resumed by any instance'
                         ELSE 'Job failed: its instance stopped, and no retries are left' END),
    run_after = CASE WHEN attempts <= retry_count + 1 THEN now() END,
    completed_at = now(), updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE status IN (:running) AND heartbeat_at < now() - make_interval(secs => :leaseSeconds)
    FOR UPDATE SKIP LOCKED)
RETURNING *
