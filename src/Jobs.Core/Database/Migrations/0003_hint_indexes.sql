-- 0003: hinting stays cheap however long the backlog. The enqueue-due query reads two bounded index ranges:
-- pending jobs with no live hint (deferred by a workspace limit, retried, rescued, or whose XADD failed), and
-- pending jobs whose hint is old (maintenance only); never the whole pending backlog of a workspace.
CREATE INDEX jobs_pending_unhinted ON jobs (workspace_id, priority DESC, run_at, id)
    WHERE status = 'pending' AND enqueued_at IS NULL;
CREATE INDEX jobs_pending_enqueued_at ON jobs (enqueued_at)
    WHERE status = 'pending' AND enqueued_at IS NOT NULL;
