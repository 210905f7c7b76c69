DELETE FROM partition_keys WHERE parent_uuid = :parent
