-- The keys a mirror import's source held, by job: what it deletes is the dataset's rows (in its scope) whose keys
-- are not here. Kept until the mirror completes, so that a resumed mirror deletes exactly what its source lacks.
CREATE TABLE mirror_keys (
    job_uuid uuid NOT NULL,
    key      text NOT NULL,
    PRIMARY KEY (job_uuid, key)
);
