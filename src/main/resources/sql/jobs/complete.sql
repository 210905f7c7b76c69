UPDATE jobs
SET status = :to, job_response = CAST(:response AS jsonb), run_after = NULL, completed_at = now(), updated_at = now()
WHERE uuid = :uuid AND status = :from AND claimed_by = :owner AND attempts = :attempts
RETURNING *
