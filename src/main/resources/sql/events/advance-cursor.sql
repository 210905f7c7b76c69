UPDATE job_event_cursor SET last_tx = CAST(:lastTx AS xid8), last_id = :lastId, updated_at = now() WHERE name = :name
