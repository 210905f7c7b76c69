-- Each schedule's skipped fire times of the last day: how many, the last, and why
SELECT schedule, count(*) AS skips, max(skipped_at) AS last_skipped_at,
       (array_agg(reason ORDER BY skipped_at DESC))[1] AS last_reason
FROM schedule_skips
WHERE skipped_at > now() - interval '1 day'
GROUP BY schedule
ORDER BY schedule
