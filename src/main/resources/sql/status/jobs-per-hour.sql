-- Jobs that completed and attempts that failed in each of the last 24 hours (the hour they ended), oldest first
SELECT hours.hour,
       count(t.id) FILTER (WHERE t.to_status = 'completed') AS completed,
       count(t.id) FILTER (WHERE t.to_status = 'failed') AS failed
FROM generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') AS hours (hour)
LEFT JOIN job_transitions t ON t.to_status IN ('completed', 'failed')
     AND t.at >= hours.hour AND t.at < hours.hour + interval '1 hour'
GROUP BY hours.hour
ORDER BY hours.hour
