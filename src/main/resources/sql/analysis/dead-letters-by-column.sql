-- The dataset's waiting dead letters by the column their reason names ('email' is not …), for the validity of each column
SELECT substring(error FROM '^''([^'']+)''') AS column_name, count(*) AS dead_letters
FROM dead_letters
WHERE dataset = :dataset AND reprocessed_at IS NULL
GROUP BY 1
