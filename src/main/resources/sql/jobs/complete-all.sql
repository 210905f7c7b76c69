-- Records several jobs completed at once, each fenced by its run as it started (owner, status, attempt):
-- :completed is a JSON array of {uuid, from_status, attempts, response}. Answers the jobs it recorded. The running
-- jobs of this instance are few: looked up by (claimed_by, status), not among every job it ever ran.
UPDATE jobs
SET status = :to, job_response = completed.response, run_after = NULL, completed_at = now(), updated_at = now()
FROM jsonb_to_recordset(CAST(:completed AS jsonb)) AS completed(uuid uuid, from_status text, attempts integer, response jsonb)
WHERE jobs.uuid = completed.uuid AND jobs.status = completed.from_status AND jobs.attempts = completed.attempts
  AND jobs.claimed_by = :owner AND jobs.status IN ('processing', 'retrying')
RETURNING jobs.uuid
