-- Facet values of imported rows, one row per distinct (dataset, facet, value).
CREATE TABLE filters_data (
    dataset    text        NOT NULL,
    facet      text        NOT NULL,
    value      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, facet, value)
);

-- Rows that could not be imported: rejected by validation, or in a batch that failed after redelivery.
CREATE TABLE dead_letters (
    id             bigserial   PRIMARY KEY,
    job_uuid       uuid        NOT NULL,
    dataset        text        NOT NULL,
    batch          integer,
    row_number     bigint      NOT NULL,  -- 1 is the first row after the header
    payload        text        NOT NULL,  -- the row as it stood in the CSV
    error          text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    reprocessed_at timestamptz
);
-- a redelivered or resumed batch records its rows again; each row of a job is one dead letter
CREATE UNIQUE INDEX dead_letters_by_job_row ON dead_letters (job_uuid, row_number);
