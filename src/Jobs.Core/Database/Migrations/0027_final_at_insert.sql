-- 0027: a job inserted already final fires what a job turning final fires (docs/design.md, "Dependencies"). A submit
-- whose dependency has already failed or was cancelled inserts the job cancelled at once; the triggers of 0021
-- (webhook deliveries) and 0023 (dependents) fired only on an UPDATE of status, so such a job sent no job.cancelled
-- webhook, and a later item of the same batch waiting for it (counted as unfinished, since it was new) waited for ever.
-- Both functions read only NEW, so they serve an INSERT as they are. Row triggers of a statement fire when it ends,
-- after the submit's insert of the dependency rows, so the dependents are found.

CREATE TRIGGER jobs_release_dependents_at_insert
    AFTER INSERT ON jobs
    FOR EACH ROW
    WHEN (NEW.status IN ('completed', 'failed', 'cancelled'))
    EXECUTE FUNCTION jobs_release_dependents();

CREATE TRIGGER jobs_webhook_outbox_at_insert
    AFTER INSERT ON jobs
    FOR EACH ROW
    WHEN (NEW.status IN ('completed', 'failed', 'cancelled'))
    EXECUTE FUNCTION jobs_webhook_outbox();
