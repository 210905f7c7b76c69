-- Dead letters waiting to be imported again, with what reading them needs: the header, and the source object.
SELECT d.job_uuid::text AS job_uuid, d.dataset, d.header, d.row_number, d.payload,
       j.data ->> 's3_bucket' AS s3_bucket, j.data ->> 's3_key' AS s3_key
FROM dead_letters d
LEFT JOIN jobs j ON j.uuid = d.job_uuid
WHERE d.reprocessed_at IS NULL AND d.header IS NOT NULL
  AND (CAST(:job AS uuid) IS NULL OR d.job_uuid = CAST(:job AS uuid))
ORDER BY d.job_uuid, d.row_number
LIMIT :limit
