-- The keys (hashes) that more than one partition of the import holds, each with the last partition holding it.
SELECT key_hash, max(part) AS last_part
FROM partition_keys
WHERE parent_uuid = :parent
GROUP BY key_hash
HAVING min(part) <> max(part)
LIMIT :limit
