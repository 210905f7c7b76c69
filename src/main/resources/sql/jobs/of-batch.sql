-- The jobs of a batch (the partitions of a partitioned import: their batch uuid is the parent job's), oldest first.
SELECT * FROM jobs WHERE batch_uuid = :batch ORDER BY id
