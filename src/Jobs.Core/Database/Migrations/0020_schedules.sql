-- 0020: recurring schedules per workspace (docs/design.md, "Schedules"). The maintenance leader fires each due
-- schedule: in one transaction it moves next_run_at on (a compare-and-set on the value it read, under its leader term)
-- and inserts the tick's job, so a tick makes at most one job however many workers race, restart or disagree on the
-- time (now() of this database is the only clock).
CREATE TABLE schedules (
    id               uuid        PRIMARY KEY, -- UUIDv7: ordered by creation, so keyset pages by id
    workspace_id     uuid        NOT NULL REFERENCES workspaces (id),
    -- Who made it: its jobs are submitted as this user.
    user_id          uuid        NOT NULL REFERENCES users (id),
    name             text        NOT NULL,
    cron             text        NOT NULL,
    time_zone        text        NOT NULL, -- an IANA id; occurrences are computed in it, DST as Cronos defines it
    type             text        NOT NULL,
    payload          jsonb       NOT NULL,
    priority         smallint    NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL CHECK (max_attempts >= 1),
    timeout_seconds  integer     NOT NULL CHECK (timeout_seconds > 0),
    -- After downtime: 'runOnce' makes one job for the latest missed tick, 'skip' makes none.
    missed_policy    text        NOT NULL DEFAULT 'runOnce' CHECK (missed_policy IN ('runOnce', 'skip')),
    paused           boolean     NOT NULL DEFAULT false,
    -- The next tick to fire; NULL when the expression has no occurrence left.
    next_run_at      timestamptz,
    last_run_at      timestamptz, -- the latest tick fired (not a run now)
    last_job_id      uuid,        -- its job; no foreign key, as retention deletes jobs
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedules_workspace_name UNIQUE (workspace_id, name)
);

CREATE INDEX schedules_workspace_id ON schedules (workspace_id, id DESC);
-- What the leader reads each tick: only schedules that are running.
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE NOT paused AND next_run_at IS NOT NULL;

-- The job a schedule made, and for a tick the tick's time: (schedule_id, schedule_tick_at) is the tick's identity,
-- unique, so that the job and its tick are one row written by one insert. A "run now" job has a schedule and no tick.
-- Deleting a schedule keeps its jobs.
ALTER TABLE jobs
    ADD COLUMN schedule_id uuid REFERENCES schedules (id) ON DELETE SET NULL,
    ADD COLUMN schedule_tick_at timestamptz;

CREATE UNIQUE INDEX jobs_schedule_tick ON jobs (schedule_id, schedule_tick_at) WHERE schedule_tick_at IS NOT NULL;
-- The jobs list filtered by schedule, and the foreign key's SET NULL on delete.
CREATE INDEX jobs_schedule_id ON jobs (schedule_id, id DESC) WHERE schedule_id IS NOT NULL;
