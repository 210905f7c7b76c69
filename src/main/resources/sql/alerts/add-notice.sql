-- A notice of an alert for one channel, into the outbox (once, whoever adds it)
INSERT INTO alert_notices (alert_id, notice, sequence, channel) VALUES (:alertId, :notice, :sequence, :channel)
ON CONFLICT (alert_id, notice, sequence, channel) DO NOTHING
