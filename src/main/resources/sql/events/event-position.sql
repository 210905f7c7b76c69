SELECT tx::text FROM job_transitions WHERE id = :id
