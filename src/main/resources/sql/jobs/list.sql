SELECT * FROM jobs
WHERE (CAST(:jobType AS text) IS NULL OR job_type = :jobType)
  AND (:statuses = '' OR status = ANY (string_to_array(:statuses, ',')))
  AND (CAST(:s3Key AS text) IS NULL OR data->>'s3_key' = :s3Key)
ORDER BY created_at DESC, id DESC
LIMIT :limit
