CREATE TABLE embassies (
    country text PRIMARY KEY,
    city    text,
    address text
);
