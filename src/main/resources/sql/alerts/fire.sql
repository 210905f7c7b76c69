-- An alert begins: firing, or (an event-like condition) resolved as it is recorded
INSERT INTO alerts (rule, condition, subject, summary, details, state, resolved_at)
VALUES (:rule, :condition, :subject, :summary, CAST(:details AS jsonb), :state,
        CASE WHEN :state = 'resolved' THEN now() END)
ON CONFLICT DO NOTHING
RETURNING id
