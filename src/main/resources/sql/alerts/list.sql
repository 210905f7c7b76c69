-- The alerts firing, then the newest resolved ones, each with its notices' delivery states
SELECT a.id, a.event_id, a.rule, a.condition, a.subject, a.summary, a.details::text AS details, a.state, a.started_at,
       a.notified_at, a.repeats, a.resolved_at,
       coalesce((SELECT json_agg(json_build_object('notice', n.notice, 'sequence', n.sequence, 'channel', n.channel,
                                                   'state', n.state, 'attempts', n.attempts, 'last_error', n.last_error,
                                                   'sent_at', n.sent_at) ORDER BY n.id)
                 FROM alert_notices n WHERE n.alert_id = a.id), '[]')::text AS notices
FROM alerts a
WHERE (CAST(:state AS text) IS NULL OR a.state = :state)
ORDER BY (a.state = 'firing') DESC, a.started_at DESC, a.id DESC
LIMIT :limit
