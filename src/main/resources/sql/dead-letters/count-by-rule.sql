-- A job's dead letters by the rule they broke, the most frequent first (every attempt's, as the table holds them)
SELECT rule, count(*) AS dead_letters
FROM dead_letters
WHERE job_uuid = CAST(:#${header.JobUuid} AS uuid) AND rule IS NOT NULL AND reprocessed_at IS NULL
GROUP BY rule
ORDER BY 2 DESC, 1
LIMIT 100
