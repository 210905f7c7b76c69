-- Due notices (or ones whose sender's lease ran out: its instance died mid-send), each taken by one instance
UPDATE alert_notices n SET state = 'sending', attempts = n.attempts + 1,
                           lease_until = now() + :leaseSeconds * interval '1 second'
FROM (SELECT id FROM alert_notices
      WHERE (state = 'pending' AND due_at <= now()) OR (state = 'sending' AND lease_until < now())
      ORDER BY due_at, id
      LIMIT :limit
      FOR UPDATE SKIP LOCKED) due, alerts a
WHERE n.id = due.id AND a.id = n.alert_id
RETURNING n.id, n.notice, n.sequence, n.channel, n.attempts, a.event_id, a.rule, a.condition, a.subject, a.summary,
          a.details::text AS details, a.started_at, a.resolved_at
