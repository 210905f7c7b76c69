-- Where an interrupted import resumes: the byte offset after the last batch that every sink committed,
-- with the counts up to there; written with the progress, after each such batch.
ALTER TABLE jobs ADD COLUMN checkpoint jsonb;

-- Every status change of every job, in order: what happened to a job, and which instance did it.
CREATE TABLE job_transitions (
    id          bigserial   PRIMARY KEY,
    job_uuid    uuid        NOT NULL,
    from_status text,
    to_status   text        NOT NULL,
    instance    text,
    attempts    integer     NOT NULL,
    run_after   timestamptz,
    at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX job_transitions_by_job ON job_transitions (job_uuid, id);

CREATE FUNCTION record_job_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_transitions (job_uuid, from_status, to_status, instance, attempts, run_after)
    VALUES (NEW.uuid, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.claimed_by, NEW.attempts,
            NEW.run_after);
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_created AFTER INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION record_job_transition();
CREATE TRIGGER jobs_status_changed AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION record_job_transition();
