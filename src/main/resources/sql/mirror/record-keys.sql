-- The keys of a batch a mirror import read (again, after a resume: each once)
INSERT INTO mirror_keys (job_uuid, key)
SELECT CAST(? AS uuid), unnest(CAST(? AS text[]))
ON CONFLICT DO NOTHING
