-- A row read again (a redelivered batch, a resumed import) that fails again is waiting again, with its new reason
INSERT INTO dead_letters (job_uuid, dataset, header, batch, row_number, payload, error)
VALUES (CAST(:#job_uuid AS uuid), :#dataset, :#header, :#batch, :#row_number, :#payload, :#error)
ON CONFLICT (job_uuid, row_number) DO UPDATE
SET header = EXCLUDED.header, batch = EXCLUDED.batch, payload = EXCLUDED.payload, error = EXCLUDED.error,
    created_at = now(), reprocessed_at = NULL
