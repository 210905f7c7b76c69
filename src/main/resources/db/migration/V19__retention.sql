-- What retention has pruned (sql/retention/): one row, counted by whichever instance pruned, for the status and
-- the dashboard to say.
CREATE TABLE retention (
    id             boolean     PRIMARY KEY DEFAULT true CHECK (id),
    jobs_pruned    bigint      NOT NULL DEFAULT 0,
    last_pruned_at timestamptz
);
INSERT INTO retention DEFAULT VALUES;
