-- The keys of mirrors that completed or were cancelled: needed no more (a failed mirror keeps them for its retry,
-- which goes on from its checkpoint and must not take a row it already read for one its source lacks)
DELETE FROM mirror_keys m USING jobs j
WHERE j.uuid = m.job_uuid AND j.status IN ('completed', 'cancelled')
