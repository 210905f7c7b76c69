-- The header is stored once per job (dead_letter_headers); a row read again (a redelivered batch, a resumed
-- import) that fails again is waiting again, with its new reason
WITH header AS (
    INSERT INTO dead_letter_headers (job_uuid, header_hash, header)
    SELECT CAST(:#job_uuid AS uuid), md5(:#header), :#header WHERE CAST(:#header AS text) IS NOT NULL
    ON CONFLICT DO NOTHING)
INSERT INTO dead_letters (job_uuid, dataset, header_hash, batch, row_number, payload, error, rule)
VALUES (CAST(:#job_uuid AS uuid), :#dataset, md5(:#header), :#batch, :#row_number, :#payload, :#error, :#rule)
ON CONFLICT (job_uuid, row_number) DO UPDATE
SET header_hash = EXCLUDED.header_hash, batch = EXCLUDED.batch, payload = EXCLUDED.payload, error = EXCLUDED.error, rule = EXCLUDED.rule,
    created_at = now(), reprocessed_at = NULL
