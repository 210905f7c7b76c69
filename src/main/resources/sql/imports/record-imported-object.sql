INSERT INTO imported_objects (bucket, key, etag, dataset, job_uuid, rows_imported)
VALUES (:bucket, :key, :etag, :dataset, :jobUuid, :rowsImported)
ON CONFLICT (bucket, key, etag, dataset)
DO UPDATE SET job_uuid = EXCLUDED.job_uuid, rows_imported = EXCLUDED.rows_imported, imported_at = now()
