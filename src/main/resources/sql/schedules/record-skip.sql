-- A fire time skipped, once however many instances took it
INSERT INTO schedule_skips (schedule, fire_time, reason) VALUES (:schedule, :fireTime, :reason)
ON CONFLICT (schedule, fire_time) DO NOTHING
