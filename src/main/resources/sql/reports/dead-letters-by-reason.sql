-- A job's dead letters by reason (the error without the value it names), the most frequent first, each with the
-- first rows it refused
SELECT r.reason, r.dead_letters, e.row_number, e.payload, e.error
FROM (SELECT regexp_replace(error, ': ''.*''$', '', 's') AS reason, count(*) AS dead_letters
      FROM dead_letters WHERE job_uuid = :uuid
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50) r
CROSS JOIN LATERAL (
    SELECT d.row_number, left(d.payload, 200) AS payload, left(d.error, 300) AS error FROM dead_letters d
    WHERE d.job_uuid = :uuid AND regexp_replace(d.error, ': ''.*''$', '', 's') = r.reason
    ORDER BY d.row_number LIMIT 3) e
ORDER BY r.dead_letters DESC, r.reason, e.row_number
