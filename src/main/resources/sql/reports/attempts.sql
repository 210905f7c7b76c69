-- Each attempt of a job (a first run is processing, a retry retrying): when it started on which instance, and the
-- transition that ended it (none while it runs)
SELECT started.attempts AS attempt, started.instance, started.at AS started_at, ended.to_status AS outcome,
       ended.at AS ended_at, ended.reason
FROM job_transitions started
LEFT JOIN LATERAL (
    SELECT t.to_status, t.at, t.reason FROM job_transitions t
    WHERE t.job_uuid = started.job_uuid AND t.id > started.id AND t.from_status = started.to_status
    ORDER BY t.id LIMIT 1) ended ON true
WHERE started.job_uuid = :uuid AND started.to_status IN ('processing', 'retrying')
ORDER BY started.id
LIMIT 1000
