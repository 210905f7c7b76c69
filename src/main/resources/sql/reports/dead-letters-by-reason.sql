-- A job's dead letters by reason (the error without the value it names; a rule's reason is its rule and column),
-- the most frequent first, each with the first rows it refused
SELECT r.reason, r.dead_letters, e.row_number, e.payload, e.error
FROM (SELECT CASE WHEN rule IS NOT NULL THEN split_part(error, ': ', 1) ELSE regexp_replace(error, ': ''.*''$', '', 's') END AS reason, count(*) AS dead_letters
      FROM dead_letters WHERE job_uuid = :uuid
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50) r
CROSS JOIN LATERAL (
    SELECT d.row_number, left(d.payload, 200) AS payload, left(d.error, 300) AS error FROM dead_letters d
    WHERE d.job_uuid = :uuid AND CASE WHEN d.rule IS NOT NULL THEN split_part(d.error, ': ', 1) ELSE regexp_replace(d.error, ': ''.*''$', '', 's') END = r.reason
    ORDER BY d.row_number LIMIT 3) e
ORDER BY r.dead_letters DESC, r.reason, e.row_number
