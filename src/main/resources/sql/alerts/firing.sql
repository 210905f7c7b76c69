-- A rule's firing alerts
SELECT id, event_id, subject, notified_at, repeats FROM alerts WHERE rule = :rule AND state = 'firing'
