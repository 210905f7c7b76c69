-- :retryDelaySeconds is null when no retry is left
UPDATE jobs
SET status = :to, job_response = CAST(:response AS jsonb),
    run_after = now() + make_interval(secs => CAST(:retryDelaySeconds AS double precision)),
    completed_at = now(), updated_at = now()
WHERE uuid = :uuid AND status = :from AND claimed_by = :owner AND attempts = :attempts
RETURNING *
