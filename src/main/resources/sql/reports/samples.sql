-- The progress a job sampled, in order, at most :limit of them spread over the run
SELECT attempt, at, rows_read, rows_written, rows_failed FROM (
    SELECT s.*, row_number() OVER (ORDER BY s.at, s.id) AS n, count(*) OVER () AS total
    FROM job_samples s WHERE s.job_uuid = :uuid) sampled
WHERE total <= :limit OR n % ceil(total::numeric / :limit) = 0 OR n = total
ORDER BY at, id
