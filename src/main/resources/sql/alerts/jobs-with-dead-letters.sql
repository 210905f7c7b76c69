-- dead_letters job_over: jobs that ended since the rule was first evaluated with more dead letters than :over,
-- not alerted by this rule yet
SELECT j.uuid::text AS subject, j.job_type, j.rows_failed, j.rows_read, j.data ->> 'service' AS dataset
FROM jobs j
WHERE j.status IN ('completed', 'failed') AND j.rows_failed > :over AND j.updated_at >= :since
  AND (CAST(:dataset AS text) IS NULL OR coalesce(j.data ->> 'service', 'contact') = :dataset)
  AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.rule = :rule AND a.subject = j.uuid::text)
ORDER BY j.updated_at DESC
LIMIT :limit
