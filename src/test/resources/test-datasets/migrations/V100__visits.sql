CREATE TABLE visits (
    id         uuid PRIMARY KEY,
    page       text,
    visitor    text,
    seconds    bigint,
    visited_at timestamptz
);
