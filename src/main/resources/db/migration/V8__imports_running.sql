-- Which job imports an object now, by bucket, key, ETag and dataset: two imports of one unchanged object never
-- run at once. A row whose job no longer runs holds nothing; the next import of the object takes it over.
CREATE TABLE imports_running (
    bucket   text        NOT NULL,
    key      text        NOT NULL,
    etag     text        NOT NULL,
    dataset  text        NOT NULL,
    job_uuid uuid        NOT NULL,
    taken_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bucket, key, etag, dataset)
);
