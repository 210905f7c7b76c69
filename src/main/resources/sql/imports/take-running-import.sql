-- Takes the object for this job's import unless another job that still runs (:running) imports it: then no row
-- is returned. Two jobs taking it at once meet on the primary key, and the second sees the first's row.
INSERT INTO imports_running AS taken (bucket, key, etag, dataset, job_uuid)
VALUES (:bucket, :key, :etag, :dataset, :jobUuid)
ON CONFLICT (bucket, key, etag, dataset) DO UPDATE SET job_uuid = EXCLUDED.job_uuid, taken_at = now()
WHERE taken.job_uuid = EXCLUDED.job_uuid
   OR NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.uuid = taken.job_uuid AND jobs.status IN (:running))
RETURNING job_uuid
