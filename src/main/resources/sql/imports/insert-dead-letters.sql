INSERT INTO dead_letters (job_uuid, dataset, header, batch, row_number, payload, error)
VALUES (CAST(:#job_uuid AS uuid), :#dataset, :#header, :#batch, :#row_number, :#payload, :#error)
ON CONFLICT (job_uuid, row_number) DO NOTHING
