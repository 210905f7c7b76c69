-- A notice the channel did not take: due again after its backoff, or given up (failed) after its last attempt
UPDATE alert_notices
SET state = CASE WHEN :giveUp THEN 'failed' ELSE 'pending' END, lease_until = NULL, last_error = :error,
    due_at = now() + :delaySeconds * interval '1 second'
WHERE id = :id AND state = 'sending'
