SELECT taken.job_uuid, jobs.started_at AS imported_at
FROM imports_running taken JOIN jobs ON jobs.uuid = taken.job_uuid
WHERE taken.bucket = :bucket AND taken.key = :key AND taken.etag = :etag AND taken.dataset = :dataset
