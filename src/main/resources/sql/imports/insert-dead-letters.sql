INSERT INTO dead_letters (job_uuid, dataset, batch, row_number, payload, error)
VALUES (CAST(:#job_uuid AS uuid), :#dataset, :#batch, :#row_number, :#payload, :#error)
ON CONFLICT (job_uuid, row_number) DO NOTHING
