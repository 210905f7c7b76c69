-- A firing alert whose condition cleared
UPDATE alerts SET state = 'resolved', resolved_at = now() WHERE id = :id AND state = 'firing'
