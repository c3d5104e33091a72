-- 0024: live updates for the dependents the dependency trigger moves (docs/design.md, "Dependencies"). Every other
-- write of a job is published by the process that made it; these are made by jobs_release_dependents inside another
-- job's outcome, which no process sees. So the trigger also notes each job it released or cancelled here, in the same
-- transaction, and the maintenance leader publishes them on its next tick and deletes what it published. No foreign
-- key: a job deleted meanwhile is simply not published.

CREATE TABLE job_update_outbox (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id  uuid NOT NULL
);

-- 0023's function, unchanged but for the outbox row of each job it moved (the last statement).
CREATE OR REPLACE FUNCTION jobs_release_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
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
    ),
    moved AS (
        SELECT c.* FROM changed c WHERE c.status = 'cancelled' OR c.waiting_for = 0
    ),
    events AS (
        INSERT INTO job_events (job_id, workspace_id, kind, status, stage, attempt, message)
        SELECT c.id, c.workspace_id,
               CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'dependencies_met' END,
               c.status, c.stage, c.attempt,
               CASE WHEN c.status = 'cancelled' THEN reason
                    ELSE 'dependencies finished (the last: ' || NEW.id || ', ' || NEW.status || ')' END
        FROM moved c
    )
    INSERT INTO job_update_outbox (job_id)
    SELECT id FROM moved;
    RETURN NULL;
END
$$;
