SELECT id, job_uuid::text AS job_uuid, dataset, batch, row_number, payload, error,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
       to_char(reprocessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS reprocessed_at
FROM dead_letters
WHERE (CAST(:#job_uuid AS uuid) IS NULL OR job_uuid = CAST(:#job_uuid AS uuid))
ORDER BY created_at DESC, job_uuid, row_number
LIMIT :#limit
