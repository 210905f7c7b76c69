-- schedule_missed: when the schedule's newest job completed (null when none has)
SELECT max(completed_at) FROM jobs WHERE status = 'completed' AND idempotency_key LIKE :prefix
