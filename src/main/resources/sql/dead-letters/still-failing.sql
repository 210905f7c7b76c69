UPDATE dead_letters SET error = :error, rule = :rule
WHERE job_uuid = CAST(:job AS uuid) AND row_number = :rowNumber
