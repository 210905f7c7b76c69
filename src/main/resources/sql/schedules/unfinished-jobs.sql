-- The jobs a schedule made that have not ended: open, queued, running, or failed with a retry to come
SELECT count(*) FROM jobs
WHERE (status IN ('open', 'in_queue', 'processing', 'retry_in_queued', 'retrying')
       OR (status = 'failed' AND run_after IS NOT NULL))
  AND idempotency_key LIKE :prefix
