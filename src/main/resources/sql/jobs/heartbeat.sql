-- The runs of this instance whose workers are alive, each named uuid/attempt
UPDATE jobs SET heartbeat_at = now()
WHERE claimed_by = :owner AND status IN (:running)
  AND (uuid::text || '/' || attempts) = ANY (string_to_array(:runs, ','))
