-- A running job this instance stops before it ends goes back for any instance: a first run to open, a retry
-- to failed and due at once. The attempt it was on is not counted: stopping was not the job's fault.
UPDATE jobs
SET status = :to, job_response = CAST(:response AS jsonb), attempts = greatest(attempts - 1, 0),
    claimed_by = CASE WHEN :to = 'open' THEN NULL ELSE claimed_by END,
    claimed_at = CASE WHEN :to = 'open' THEN NULL ELSE claimed_at END,
    run_after = CASE WHEN :to = 'failed' THEN now() END,
    updated_at = now()
WHERE uuid = :uuid AND status = :from AND claimed_by = :owner AND attempts = :attempts
RETURNING *
