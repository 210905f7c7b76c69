-- Orchestration: priorities, named queues, timeouts, dependencies and batches; jobs announced the moment they
-- are claimable (NOTIFY in the transaction that makes them so); the transitions history as the event feed.
ALTER TABLE jobs
    ADD COLUMN priority        integer NOT NULL DEFAULT 0,                 -- higher is claimed first
    ADD COLUMN queue           text    NOT NULL DEFAULT 'default',         -- which workers run it (QUEUES)
    ADD COLUMN timeout_seconds integer CHECK (timeout_seconds > 0),        -- a run longer than this fails
    ADD COLUMN depends_on      uuid[]  NOT NULL DEFAULT '{}',              -- jobs that must complete first
    ADD COLUMN waiting_on      integer NOT NULL DEFAULT 0 CHECK (waiting_on >= 0), -- of those, not completed yet
    ADD COLUMN batch_uuid      uuid;                                       -- the batch it was created in

-- the first-time runner's claim: per queue, claimable open jobs, highest priority first, then oldest
DROP INDEX jobs_open_by_age;
CREATE INDEX jobs_claimable ON jobs (queue, priority DESC, created_at, id) WHERE status = 'open' AND waiting_on = 0;
-- a job that ends settles the jobs that wait on it
CREATE INDEX jobs_waiting ON jobs USING gin (depends_on) WHERE status = 'open' AND cardinality(depends_on) > 0;
CREATE INDEX jobs_by_batch ON jobs (batch_uuid) WHERE batch_uuid IS NOT NULL;

-- why a job changed state (its error or message), when the change wrote one; and the transaction that changed
-- it: the event feed reads in (tx, id) order, and only transactions older than every one still running, so a
-- reader never passes an event that commits later (ids are handed out before commit, in another order)
ALTER TABLE job_transitions
    ADD COLUMN reason text,
    ADD COLUMN tx     xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX job_transitions_feed ON job_transitions (tx, id);

CREATE OR REPLACE FUNCTION record_job_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_transitions (job_uuid, from_status, to_status, instance, attempts, run_after, reason)
    VALUES (NEW.uuid, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.claimed_by, NEW.attempts,
            NEW.run_after,
            CASE WHEN TG_OP = 'UPDATE' AND NEW.job_response IS DISTINCT FROM OLD.job_response
                 THEN coalesce(NEW.job_response->'runtime_errors'->>0, NEW.job_response->>'messages') END);
    RETURN NULL;
END $$;

-- Listening instances claim at once: a claimable job names its queue, a failed job when it is due again.
-- PostgreSQL delivers the notifications when the transaction commits, and one per payload per transaction.
CREATE FUNCTION announce_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'open' THEN
        PERFORM pg_notify('dromedary_jobs', NEW.queue);
    ELSE
        PERFORM pg_notify('dromedary_retries', floor(extract(epoch FROM NEW.run_after) * 1000)::bigint::text);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_announced AFTER INSERT OR UPDATE OF status, waiting_on, run_after ON jobs
    FOR EACH ROW WHEN ((NEW.status = 'open' AND NEW.waiting_on = 0)
                       OR (NEW.status = 'failed' AND NEW.run_after IS NOT NULL))
    EXECUTE FUNCTION announce_job();

-- A job that completes counts down the jobs that wait on it; one that fails for good (failed, no retry left) or
-- is cancelled cancels them, and they theirs, saying which job it was.
CREATE FUNCTION settle_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'completed' THEN
        UPDATE jobs waiting
        SET waiting_on = (SELECT count(*) FROM jobs dependency
                          WHERE dependency.uuid = ANY (waiting.depends_on) AND dependency.status <> 'completed'),
            updated_at = now()
        WHERE waiting.depends_on @> ARRAY[NEW.uuid] AND waiting.status = 'open' AND cardinality(waiting.depends_on) > 0;
    ELSE
        UPDATE jobs waiting
        SET status = 'cancelled', completed_at = now(), updated_at = now(),
            job_response = jsonb_build_object('messages', 'Cancelled: it depends on job ' || NEW.uuid || ' ('
                || NEW.job_type || '), which ' || CASE WHEN NEW.status = 'cancelled' THEN 'was cancelled'
                                                      ELSE 'failed with no retries left' END)
        WHERE waiting.depends_on @> ARRAY[NEW.uuid] AND waiting.status = 'open' AND cardinality(waiting.depends_on) > 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_settle_dependents AFTER UPDATE OF status, run_after ON jobs
    FOR EACH ROW WHEN (NEW.status = 'completed' OR NEW.status = 'cancelled'
                       OR (NEW.status = 'failed' AND NEW.run_after IS NULL))
    EXECUTE FUNCTION settle_dependents();

-- Where the delivery of events to routes/job-events.camel.yaml has got to: one row, locked by the instance that
-- delivers; it starts after the history that was there before.
CREATE TABLE job_event_cursor (
    name       text        PRIMARY KEY,
    last_tx    xid8        NOT NULL,
    last_id    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO job_event_cursor (name, last_tx, last_id)
SELECT 'job-events', coalesce(max(tx), '0'::xid8), coalesce(max(id), 0) FROM job_transitions;

-- The instances that run against this database, and when each last said it was alive (every
-- HEARTBEAT_INTERVAL_SECONDS); one that stops cleanly removes itself. ./dromedary status reads it.
CREATE TABLE instances (
    id           text        PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    runs         jsonb       NOT NULL DEFAULT '{}'::jsonb
);
