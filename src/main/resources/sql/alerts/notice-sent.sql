-- A notice the channel took
UPDATE alert_notices SET state = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL
WHERE id = :id AND state = 'sending'
