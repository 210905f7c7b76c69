SELECT * FROM jobs
WHERE (CAST(:jobType AS text) IS NULL OR job_type = :jobType)
  AND (:statuses = '' OR status = ANY (string_to_array(:statuses, ',')))
ORDER BY created_at DESC, id DESC
LIMIT :limit
