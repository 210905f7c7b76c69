-- dead_letters hourly_over: datasets with more dead letters than :over in the last hour
SELECT dataset AS subject, count(*) AS dead_letters
FROM dead_letters
WHERE created_at > now() - interval '1 hour' AND (CAST(:dataset AS text) IS NULL OR dataset = :dataset)
GROUP BY dataset
HAVING count(*) > :over
ORDER BY count(*) DESC
LIMIT :limit
