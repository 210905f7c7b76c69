UPDATE jobs SET heartbeat_at = now() WHERE claimed_by = :owner AND status IN (:running)
