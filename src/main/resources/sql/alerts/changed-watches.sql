-- watch_changed: watch_url jobs that completed since the rule was first evaluated and asked for a notice
-- (job_data.notify_when), not alerted by this rule yet
SELECT j.uuid::text AS subject, j.data ->> 'watch' AS watch, j.job_response ->> 'url' AS url,
       (j.job_response ->> 'lines_added')::int AS lines_added, (j.job_response ->> 'lines_removed')::int AS lines_removed,
       left(j.job_response ->> 'diff', 2000) AS diff
FROM jobs j
WHERE j.job_type = 'watch_url' AND j.status = 'completed' AND j.updated_at >= :since
  AND (j.job_response ->> 'notify') = 'true'
  AND (CAST(:watch AS text) IS NULL OR j.data ->> 'watch' = :watch)
  AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.rule = :rule AND a.subject = j.uuid::text)
ORDER BY j.updated_at
LIMIT :limit
