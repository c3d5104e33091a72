-- 0026: a paused queue's or job type's pending jobs leave the ready index (docs/design.md, "Pausing"). The fills pass
-- paused jobs over by the pause rule, but while they sat in jobs_ready every fill of the workspace read past them: with
-- a large paused backlog ranked above the first job it could run, a fill read it all (1-3 s at a million jobs, and the
-- maintenance leader's listing again every tick). A job is now marked paused when it is submitted into a pause and
-- when its queue or type is paused, and unmarked when that is resumed; marked jobs are outside jobs_ready. The pause
-- rule stays in the fills, so a job that comes back to pending unmarked during a pause (a retry, a rescue) is still
-- passed over: the mark is only there to keep the index small.

ALTER TABLE jobs ADD COLUMN paused boolean NOT NULL DEFAULT false;

UPDATE jobs j
SET paused = true
FROM workspace_pauses p
WHERE p.workspace_id = j.workspace_id
  AND j.status = 'pending'
  AND ((p.kind = 'type' AND j.type = p.name) OR (p.kind = 'queue' AND j.queue = p.name));

DROP INDEX jobs_ready;
CREATE INDEX jobs_ready ON jobs (workspace_id, priority DESC, run_at, id)
    WHERE status = 'pending' AND hinted_at IS NULL AND NOT scheduled AND NOT paused;

-- What a resume unmarks, whatever has become of the jobs since (a marked job that was cancelled and is retried later
-- must not stay marked).
CREATE INDEX jobs_paused ON jobs (workspace_id) WHERE paused;
