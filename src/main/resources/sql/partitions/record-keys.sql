-- A committed batch's keys (hashes) in a partition of an import; a batch read again after a resume adds them again,
-- which changes nothing the shared-keys query finds.
INSERT INTO partition_keys (parent_uuid, part, key_hash)
SELECT :parent, :part, unnest(CAST(:hashes AS bigint[]))
