SELECT last_tx::text AS last_tx, last_id FROM job_event_cursor WHERE name = :name
