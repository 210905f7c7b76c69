INSERT INTO instances (id, runs) VALUES (:id, CAST(:runs AS jsonb))
ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), runs = excluded.runs
