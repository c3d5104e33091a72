-- 0009: admission-bounded hinting (NpgsqlJobStore.Hints.cs). Before hinting more jobs of a workspace the engine
-- counts the jobs holding one of its slots (processing) or a hint (pending with enqueued_at set); both counts read
-- partial index ranges no larger than the workspace's concurrency limit, however long its pending backlog.
CREATE INDEX jobs_pending_hinted ON jobs (workspace_id, enqueued_at)
    WHERE status = 'pending' AND enqueued_at IS NOT NULL;
CREATE INDEX jobs_processing_workspace ON jobs (workspace_id)
    WHERE status = 'processing';

-- Until now every due job was hinted at submit. Forget those marks so each workspace starts within its bound: the
-- entries already on the streams still wake workers (a claim does not need the mark), and maintenance hints the
-- rest within the bound, so nothing is lost and a duplicate hint is harmless.
UPDATE jobs
SET enqueued_at = NULL
WHERE status = 'pending'
  AND enqueued_at IS NOT NULL;
