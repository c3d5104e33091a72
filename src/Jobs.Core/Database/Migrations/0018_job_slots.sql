-- 0018: a workspace's concurrency limit as rows, so that no submit, claim or completion waits on another.
--
-- Until now every hint, claim and completion took a per-workspace advisory lock to count the workspace's processing
-- and hinted jobs before adding one: a mutex held through each commit, so one workspace's submits, claims and
-- completions ran one at a time. Now each workspace has one job_slots row per slot of its limit. Hinting a job takes
-- a free slot row (FOR UPDATE SKIP LOCKED: a row another transaction is taking or freeing is passed over, never
-- waited for) and names the job in it; the job carries the slot's number until it ends or loses its hint, when the
-- trigger below frees the row. A claim then needs no count: a pending job holding a slot within the limit may start.
-- So at every moment processing + hinted <= max_concurrent_jobs, as before, by construction.
CREATE TABLE job_slots (
    workspace_id uuid    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    slot         integer NOT NULL CHECK (slot >= 1),
    -- The pending (hinted) or processing job holding the slot; NULL when free.
    job_id       uuid,
    PRIMARY KEY (workspace_id, slot)
) WITH (fillfactor = 50); -- every job takes and frees a row: room on the page keeps those updates HOT

-- Room on each new page for a job's later versions: a progress or stage write changes no indexed column, so with
-- space beside the row it is a HOT update (no index entries), which it never was on pages filled to 100 %.
ALTER TABLE jobs SET (fillfactor = 80);

ALTER TABLE jobs
    ADD COLUMN slot integer,
    -- Pending but not yet due when written (a delay, a retry's backoff): out of the ready index until maintenance
    -- promotes it, so a large future backlog is never walked by the statement that picks the next jobs.
    ADD COLUMN scheduled boolean NOT NULL DEFAULT false;

-- Slots up to the limit, for every workspace and whenever the limit rises. A lowered limit leaves its upper rows in
-- place: hinting and claims only use slots numbered within the limit, so they stay idle.
CREATE FUNCTION job_slots_provide() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_slots (workspace_id, slot)
    SELECT NEW.id, s
    FROM generate_series(1, NEW.max_concurrent_jobs) AS s
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER workspaces_job_slots
    AFTER INSERT OR UPDATE OF max_concurrent_jobs ON workspaces
    FOR EACH ROW EXECUTE FUNCTION job_slots_provide();

INSERT INTO job_slots (workspace_id, slot)
SELECT w.id, s
FROM workspaces w
CROSS JOIN LATERAL generate_series(1, w.max_concurrent_jobs) AS s;

-- A job gives its slot back when it leaves the hinted or processing states (completed, failed, cancelled, retried
-- later, rescued, un-hinted): every statement that does so frees it, without restating the rule.
CREATE FUNCTION jobs_release_slot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE job_slots
    SET job_id = NULL
    WHERE workspace_id = OLD.workspace_id
      AND slot = OLD.slot
      AND job_id = OLD.id;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    NEW.slot := NULL;
    RETURN NEW;
END
$$;

CREATE TRIGGER jobs_release_slot
    BEFORE UPDATE ON jobs
    FOR EACH ROW
    WHEN (OLD.slot IS NOT NULL
          AND (NEW.slot IS NULL OR NEW.enqueued_at IS NULL OR NEW.status NOT IN ('pending', 'processing')))
    EXECUTE FUNCTION jobs_release_slot();

CREATE TRIGGER jobs_release_slot_on_delete
    BEFORE DELETE ON jobs
    FOR EACH ROW
    WHEN (OLD.slot IS NOT NULL)
    EXECUTE FUNCTION jobs_release_slot();

-- Jobs processing now keep running: each gets a slot, numbered past the limit if the workspace is over it (those
-- rows idle once freed). Hints from before have no slot: forgotten, they are hinted again within the slots (their
-- stream entries, if claimed first, are dropped by the claim and the job stays pending).
WITH held AS (
    SELECT id, workspace_id, row_number() OVER (PARTITION BY workspace_id ORDER BY started_at, id)::integer AS slot
    FROM jobs
    WHERE status = 'processing'
),
rows AS (
    INSERT INTO job_slots (workspace_id, slot, job_id)
    SELECT workspace_id, slot, id
    FROM held
    ON CONFLICT (workspace_id, slot) DO UPDATE SET job_id = excluded.job_id
)
UPDATE jobs j
SET slot = h.slot
FROM held h
WHERE j.id = h.id;

UPDATE jobs
SET enqueued_at = NULL
WHERE status = 'pending'
  AND enqueued_at IS NOT NULL;

UPDATE jobs
SET scheduled = true
WHERE status = 'pending'
  AND run_at > now();

-- The next jobs of a workspace, best first: only pending, un-hinted and due ones (never the future backlog, never
-- the history). The counts that admission needed go with the lock (hinted and processing jobs per workspace), and so
-- does the pending-by-priority index that nothing reads since hints took over: each job no longer writes an entry
-- into them at every row version. The dashboard's counts read jobs_workspace_status_id.
DROP INDEX jobs_pending_unhinted;
DROP INDEX jobs_pending_hinted;
DROP INDEX jobs_processing_workspace;
DROP INDEX jobs_pending_due;
CREATE INDEX jobs_ready ON jobs (workspace_id, priority DESC, run_at, id)
    WHERE status = 'pending' AND enqueued_at IS NULL AND NOT scheduled;
-- Scheduled jobs by when they come due, for maintenance's promotion.
CREATE INDEX jobs_scheduled ON jobs (run_at)
    WHERE status = 'pending' AND scheduled;
