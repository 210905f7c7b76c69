-- When the earliest failed job with a retry left is due (null when none is), read from jobs_failed_by_due_time
SELECT min(run_after) FROM jobs WHERE status = :failed AND run_after IS NOT NULL
