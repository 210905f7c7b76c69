-- Imports the inbox started that have ended for good (completed, or failed with no retry to come) and whose
-- object is not filed yet: each is marked with where its object goes, by one instance (SKIP LOCKED).
UPDATE jobs
SET job_response = job_response || jsonb_build_object('filed_to',
        CASE WHEN status = 'completed' THEN :processedPrefix ELSE :failedPrefix END
        || substr(data->>'s3_key', length(:inboxPrefix) + 1)),
    updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE idempotency_key LIKE 'inbox:%' AND job_type = 'insert_csv_file'
      AND (status = 'completed' OR (status = 'failed' AND run_after IS NULL))
      AND job_response->>'filed_to' IS NULL
    ORDER BY completed_at
    LIMIT 100
    FOR UPDATE SKIP LOCKED)
RETURNING uuid::text AS job_uuid, data->>'s3_bucket' AS bucket, data->>'s3_key' AS key,
          job_response->>'filed_to' AS destination
