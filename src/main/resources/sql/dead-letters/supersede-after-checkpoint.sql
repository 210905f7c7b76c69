-- A resumed import reads again every row after its checkpoint: what those rows left in the dead letters
-- is superseded (a row that fails again is waiting again, with its new reason)
UPDATE dead_letters SET reprocessed_at = now()
WHERE job_uuid = CAST(:#${header.JobUuid} AS uuid) AND row_number > :#${header.ResumeAfterRow}
  AND reprocessed_at IS NULL
