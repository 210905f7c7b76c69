-- The watches of watch_url jobs: one row per name, held by the job that runs it (two instances never run one
-- watch at once), and the snapshots of what each run selected. A run stores a snapshot when the selected text
-- differs from the previous one (or there is none); a run that finds it unchanged only moves checked_at.
CREATE TABLE watches (
    name        text PRIMARY KEY,
    url         text NOT NULL,
    running_job uuid,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE watch_snapshots (
    id            bigserial PRIMARY KEY,
    watch         text NOT NULL REFERENCES watches (name) ON DELETE CASCADE,
    job_uuid      uuid NOT NULL,
    url           text NOT NULL,
    taken_at      timestamptz NOT NULL DEFAULT now(),
    checked_at    timestamptz NOT NULL DEFAULT now(),
    content_hash  text NOT NULL,
    content       text NOT NULL,
    lines         integer NOT NULL,
    etag          text,
    last_modified text,
    changed       boolean NOT NULL,
    lines_added   integer NOT NULL DEFAULT 0,
    lines_removed integer NOT NULL DEFAULT 0,
    diff          text
);
CREATE INDEX watch_snapshots_newest ON watch_snapshots (watch, id DESC);
