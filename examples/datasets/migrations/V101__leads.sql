CREATE TABLE leads (
    id        text PRIMARY KEY,
    email     text,
    name      text,
    phone     text,
    country   text,
    employees bigint,
    signed_up timestamptz,
    tags      text[]
);
