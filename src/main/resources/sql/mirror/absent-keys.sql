-- Of a page of keys the dataset holds, those the mirror's source did not
SELECT k.key FROM unnest(CAST(? AS text[])) AS k(key)
WHERE NOT EXISTS (SELECT 1 FROM mirror_keys m WHERE m.job_uuid = CAST(? AS uuid) AND m.key = k.key)
