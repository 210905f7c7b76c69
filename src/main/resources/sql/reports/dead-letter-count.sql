SELECT count(*) FROM dead_letters WHERE job_uuid = :uuid
