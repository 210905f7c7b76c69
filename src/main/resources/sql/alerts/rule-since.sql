-- When the rule was first evaluated
INSERT INTO alert_rules_seen (rule) VALUES (:rule)
ON CONFLICT (rule) DO UPDATE SET rule = EXCLUDED.rule
RETURNING since
