-- A firing alert is notified again, repeat_after since its last notice
UPDATE alerts SET repeats = repeats + 1, notified_at = now(), summary = :summary
WHERE id = :id AND state = 'firing' AND notified_at <= now() - :seconds * interval '1 second'
RETURNING repeats
