SELECT job_uuid, imported_at FROM imported_objects
WHERE bucket = :bucket AND key = :key AND etag = :etag AND dataset = :dataset
