-- Objects imported in full, by their ETag: the same unchanged object is not imported twice unless forced.
CREATE TABLE imported_objects (
    bucket        text        NOT NULL,
    key           text        NOT NULL,
    etag          text        NOT NULL,
    dataset       text        NOT NULL,
    job_uuid      uuid        NOT NULL,
    rows_imported bigint      NOT NULL,
    imported_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bucket, key, etag, dataset)
);
