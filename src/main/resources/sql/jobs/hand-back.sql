-- Jobs this instance queued but never started go back for any instance to claim.
UPDATE jobs
SET status = :to, claimed_by = NULL, claimed_at = NULL, updated_at = now()
WHERE status = :from AND claimed_by = :owner
RETURNING *
