-- The dataset's waiting dead letters by the rule and column they broke ('email on email'), for its quality score
SELECT substring(split_part(error, ': ', 1) FROM 6) AS rule, count(*) AS dead_letters
FROM dead_letters
WHERE dataset = :dataset AND rule IS NOT NULL AND reprocessed_at IS NULL
GROUP BY 1
