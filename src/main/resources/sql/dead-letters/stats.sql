-- How many dead letters, by job and by reason: the error without the value it quotes ("'x' is not a whole
-- number (…)") or without its cause ("batch N (rows N-N) failed after N redeliveries"), numbers as N.
SELECT job_uuid::text AS job_uuid,
       regexp_replace(CASE WHEN error LIKE '''%' THEN regexp_replace(error, ': ''.*$', '')
                           ELSE regexp_replace(error, ': .*$', '') END, '[0-9]+', 'N', 'g') AS reason,
       count(*) AS count,
       count(*) FILTER (WHERE reprocessed_at IS NULL) AS waiting
FROM dead_letters
WHERE (CAST(:#job_uuid AS uuid) IS NULL OR job_uuid = CAST(:#job_uuid AS uuid))
GROUP BY 1, 2
ORDER BY 1, 3 DESC
