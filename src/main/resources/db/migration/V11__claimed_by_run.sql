-- A statement about one run (start, complete, fail, hand back: uuid, owner and status) finds its row directly:
-- planned with the owner and status as literals, PostgreSQL chose the (claimed_by, status) index over the uuid
-- and filtered every job the instance held in that status (1.6 ms a start with 10,000 claimed, against 0.06 ms)
DROP INDEX jobs_claimed;
CREATE INDEX jobs_claimed ON jobs (claimed_by, status, uuid) WHERE claimed_by IS NOT NULL;
