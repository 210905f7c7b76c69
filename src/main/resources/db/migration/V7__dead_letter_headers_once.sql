-- A file's header is kept once per job and header, not with each of its dead letters: a file of many bad
-- rows and a wide header would otherwise store the header again for every row.
CREATE TABLE dead_letter_headers (
    job_uuid    uuid NOT NULL,
    header_hash text NOT NULL,  -- md5(header)
    header      text NOT NULL,
    PRIMARY KEY (job_uuid, header_hash)
);
INSERT INTO dead_letter_headers (job_uuid, header_hash, header)
SELECT DISTINCT job_uuid, md5(header), header FROM dead_letters WHERE header IS NOT NULL;
ALTER TABLE dead_letters ADD COLUMN header_hash text;
UPDATE dead_letters SET header_hash = md5(header) WHERE header IS NOT NULL;
ALTER TABLE dead_letters DROP COLUMN header;
