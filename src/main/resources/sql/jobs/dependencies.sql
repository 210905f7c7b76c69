-- What a new job names in depends_on: jobs by uuid, and the jobs of batches by batch uuid.
SELECT uuid, batch_uuid, status, run_after, job_type FROM jobs
WHERE uuid = ANY (CAST(:uuids AS uuid[])) OR batch_uuid = ANY (CAST(:uuids AS uuid[]))
