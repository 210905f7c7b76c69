-- The table of the contact dataset (datasets/contact.yaml names its columns and their types).
CREATE TABLE contacts (
    uuid            uuid PRIMARY KEY,
    first_name      text,
    last_name       text,
    email           text,
    title           text,
    company_id      uuid,
    company_name    text,
    company_domain  text,
    industry        text,
    country         text,
    state           text,
    city            text,
    employees_count bigint,
    annual_revenue  bigint,
    linkedin_url    text,
    phone           text,
    seniority       text,
    department      text,
    created_at      timestamptz
);
