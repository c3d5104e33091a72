-- 0023: job dependencies (docs/design.md, "Dependencies"). A job may wait for other jobs of its workspace that existed
-- when it was submitted. While any of them is unfinished it stays pending and scheduled with run_at = 'infinity', so
-- it is outside the ready index and promotion never finds it due; waiting_for counts what is left. A trigger on the
-- dependencies' final transitions releases or cancels the dependents in the very transaction that ends the
-- dependency, so no outcome can commit without its consequences (a process dying right after the commit loses nothing).

ALTER TABLE jobs
    ADD COLUMN waiting_for integer NOT NULL DEFAULT 0 CHECK (waiting_for >= 0),
    ADD COLUMN on_dependency_failure text NOT NULL DEFAULT 'cancel' CHECK (on_dependency_failure IN ('cancel', 'run'));

CREATE TABLE job_dependencies (
    job_id         uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    depends_on_id  uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (job_id, depends_on_id)
);
-- What waits for a job: the trigger's probe, and the dependents list.
CREATE INDEX job_dependencies_depends_on ON job_dependencies (depends_on_id, job_id);

-- The trigger fires only on a change to a final status (its WHEN clause), and for a job nothing waits for the
-- function is one index probe that finds nothing. Otherwise its pending dependents are locked in id order first, so
-- that two outcomes releasing the same dependents in different transactions wait for each other instead of
-- deadlocking; each decrement then reads the row as the other left it, so none is lost. A completed dependency (or a
-- failed or cancelled one, for dependents with on_dependency_failure = 'run') takes one off waiting_for, and at zero
-- the job becomes due now: the fill that follows in the same transaction (a group commit's, a cancel's) or the next
-- maintenance tick hints it. A failed or cancelled dependency cancels the dependents with 'cancel'; their own
-- transition fires this trigger again, so the cancellation cascades down the chain.
CREATE FUNCTION jobs_release_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    reason text := 'dependency ' || NEW.id || CASE WHEN NEW.status = 'failed' THEN ' failed' ELSE ' was cancelled' END;
BEGIN
    PERFORM FROM job_dependencies d WHERE d.depends_on_id = NEW.id LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    PERFORM FROM jobs j
    WHERE j.id IN (SELECT d.job_id FROM job_dependencies d WHERE d.depends_on_id = NEW.id)
      AND j.status = 'pending'
    ORDER BY j.id
    FOR UPDATE;

    -- One pass over the dependents: each is either released by one (at zero: due now) or cancelled.
    WITH changed AS (
        UPDATE jobs j
        SET status = CASE WHEN t.cancels THEN 'cancelled' ELSE j.status END,
            completed_at = CASE WHEN t.cancels THEN now() END,
            error = CASE WHEN t.cancels THEN reason ELSE j.error END,
            waiting_for = CASE WHEN t.cancels THEN j.waiting_for ELSE j.waiting_for - 1 END,
            scheduled = j.scheduled AND (t.cancels OR j.waiting_for > 1),
            run_at = CASE WHEN NOT t.cancels AND j.waiting_for = 1 THEN now() ELSE j.run_at END,
            version = j.version + CASE WHEN t.cancels OR j.waiting_for = 1 THEN 1 ELSE 0 END,
            updated_at = now()
        FROM (
            SELECT d.job_id, NEW.status <> 'completed' AND c.on_dependency_failure = 'cancel' AS cancels
            FROM job_dependencies d
            JOIN jobs c ON c.id = d.job_id
            WHERE d.depends_on_id = NEW.id
        ) t
        WHERE j.id = t.job_id
          AND j.status = 'pending'
          AND j.waiting_for > 0
        RETURNING j.id, j.workspace_id, j.status, j.stage, j.attempt, j.waiting_for
    )
    INSERT INTO job_events (job_id, workspace_id, kind, status, stage, attempt, message)
    SELECT c.id, c.workspace_id,
           CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'dependencies_met' END,
           c.status, c.stage, c.attempt,
           CASE WHEN c.status = 'cancelled' THEN reason
                ELSE 'dependencies finished (the last: ' || NEW.id || ', ' || NEW.status || ')' END
    FROM changed c
    WHERE c.status = 'cancelled' OR c.waiting_for = 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_release_dependents
    AFTER UPDATE OF status ON jobs
    FOR EACH ROW
    WHEN (NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION jobs_release_dependents();
