-- An import reads again every row after its checkpoint (all of them when it has none): what an earlier
-- attempt left in the dead letters for those rows is superseded (a row that fails again is waiting again)
UPDATE dead_letters SET reprocessed_at = now()
WHERE job_uuid = CAST(:#${header.JobUuid} AS uuid) AND row_number > :#${header.ResumeAfterRow}
  AND reprocessed_at IS NULL
