-- A fire time that made no job because the schedule's earlier jobs were still open or running (max_running), and
-- why: what status, the dashboard and metrics show of a slow job on a short schedule
CREATE TABLE schedule_skips (
    id         bigserial PRIMARY KEY,
    schedule   text NOT NULL,
    fire_time  timestamptz NOT NULL,
    reason     text NOT NULL,
    skipped_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (schedule, fire_time)
);
