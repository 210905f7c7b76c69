-- Alerts of ALERTS_FILE's rules: one row per event (a condition that began to hold for a subject: a job, a queue, a
-- schedule, a dataset, a watch, a service), firing until the condition clears; an event-like condition (a watch
-- that changed, a job with too many dead letters) is recorded resolved at once. At most one firing alert per rule
-- and subject, whichever instance evaluates.
CREATE TABLE alerts (
    id          bigserial PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    rule        text NOT NULL,
    condition   text NOT NULL,
    subject     text NOT NULL,
    summary     text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb,
    state       text NOT NULL CHECK (state IN ('firing', 'resolved')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    notified_at timestamptz NOT NULL DEFAULT now(),
    repeats     integer NOT NULL DEFAULT 0,
    resolved_at timestamptz
);
CREATE UNIQUE INDEX alerts_one_firing ON alerts (rule, subject) WHERE state = 'firing';
CREATE INDEX alerts_by_rule_subject ON alerts (rule, subject);
CREATE INDEX alerts_newest ON alerts (started_at DESC, id DESC);

-- The outbox: each notice of an alert (firing, each repeat, resolved) once per channel of its rule, sent by any
-- instance that claims it (a lease, so that a killed instance's notice goes out from another), retried with backoff
CREATE TABLE alert_notices (
    id          bigserial PRIMARY KEY,
    alert_id    bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    notice      text NOT NULL CHECK (notice IN ('firing', 'repeat', 'resolved')),
    sequence    integer NOT NULL DEFAULT 0,
    channel     text NOT NULL,
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts    integer NOT NULL DEFAULT 0,
    due_at      timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz,
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    UNIQUE (alert_id, notice, sequence, channel)
);
CREATE INDEX alert_notices_due ON alert_notices (due_at) WHERE state IN ('pending', 'sending');

-- When each rule was first evaluated: a rule looks at what happened since, not at every failure of the past
CREATE TABLE alert_rules_seen (
    rule  text PRIMARY KEY,
    since timestamptz NOT NULL DEFAULT now()
);
