-- A payload is previewed (its first 4,096 characters) unless one dead letter is asked for in full
SELECT id, job_uuid::text AS job_uuid, dataset, batch, row_number,
       CASE WHEN :#full THEN payload ELSE left(payload, 4096) END AS payload,
       length(payload) AS payload_length, NOT :#full AND length(payload) > 4096 AS payload_truncated, error,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
       to_char(reprocessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS reprocessed_at
FROM dead_letters
WHERE (CAST(:#job_uuid AS uuid) IS NULL OR job_uuid = CAST(:#job_uuid AS uuid))
  AND (CAST(:#id AS bigint) IS NULL OR id = CAST(:#id AS bigint))
ORDER BY created_at DESC, job_uuid, row_number
LIMIT :#limit
