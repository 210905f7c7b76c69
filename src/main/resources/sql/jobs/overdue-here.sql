-- The runs of this instance that are past their deadline: started longer ago than their timeout_seconds.
SELECT * FROM jobs
WHERE claimed_by = :owner AND status IN (:running) AND timeout_seconds IS NOT NULL
  AND started_at + make_interval(secs => timeout_seconds) < now()
