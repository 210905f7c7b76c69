-- A job that other jobs depend on says so, and only such a job's end settles dependents: before, every job that
-- completed ran the settling scan, which read every open job's index entry, live or dead (a millisecond a job in
-- a busy table). sql/jobs/insert.sql marks the dependencies of each job it makes.
ALTER TABLE jobs ADD COLUMN has_dependents boolean NOT NULL DEFAULT false;

UPDATE jobs SET has_dependents = true
WHERE uuid IN (SELECT unnest(depends_on) FROM jobs WHERE status = 'open' AND cardinality(depends_on) > 0);

DROP TRIGGER jobs_settle_dependents ON jobs;
CREATE TRIGGER jobs_settle_dependents AFTER UPDATE OF status, run_after ON jobs
    FOR EACH ROW WHEN (NEW.has_dependents AND (NEW.status = 'completed' OR NEW.status = 'cancelled'
                                               OR (NEW.status = 'failed' AND NEW.run_after IS NULL)))
    EXECUTE FUNCTION settle_dependents();
