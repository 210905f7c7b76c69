-- The keys the partitions of a partitioned import landed, as 64-bit hashes: once every partition has completed, a
-- key more than one of them holds is written again from the last partition that holds it, so that the file's last
-- row of a key wins as it does in an import of one piece. Emptied when the parent job has settled them.
CREATE TABLE partition_keys (
    parent_uuid uuid    NOT NULL,
    part        integer NOT NULL,
    key_hash    bigint  NOT NULL
);
CREATE INDEX partition_keys_shared ON partition_keys (parent_uuid, key_hash, part);
