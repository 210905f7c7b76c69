-- The table of the company dataset (datasets/company.yaml names its columns and their types).
CREATE TABLE companies (
    uuid            uuid PRIMARY KEY,
    name            text,
    domain          text,
    website         text,
    industries      text[],
    employees_count bigint,
    annual_revenue  bigint,
    founded_year    bigint,
    country         text,
    state           text,
    city            text,
    linkedin_url    text,
    phone           text,
    created_at      timestamptz
);
