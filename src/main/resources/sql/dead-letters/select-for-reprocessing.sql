-- Dead letters waiting to be imported again, with what reading them needs: the header, and the source object.
SELECT d.job_uuid::text AS job_uuid, d.dataset, h.header, d.row_number, d.payload,
       j.data ->> 's3_bucket' AS s3_bucket, j.data ->> 's3_key' AS s3_key
FROM dead_letters d
JOIN dead_letter_headers h ON h.job_uuid = d.job_uuid AND h.header_hash = d.header_hash
LEFT JOIN jobs j ON j.uuid = d.job_uuid
WHERE d.reprocessed_at IS NULL
  AND (CAST(:job AS uuid) IS NULL OR d.job_uuid = CAST(:job AS uuid))
ORDER BY d.job_uuid, d.row_number
LIMIT :limit
