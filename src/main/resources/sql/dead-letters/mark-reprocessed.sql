UPDATE dead_letters SET reprocessed_at = now()
WHERE job_uuid = CAST(:job AS uuid) AND row_number IN (:rowNumbers)
