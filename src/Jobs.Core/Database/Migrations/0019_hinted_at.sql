-- 0019: one word per idea. The column that says a job holds one of its workspace's slots and has a hint on its
-- stream (docs/design.md, "Admission, limits and fairness") was named for queueing; it is named for the hint, as is
-- the index by which maintenance finds stale hints. A rename keeps the data, the index definitions (their columns and
-- partial predicates follow the column: jobs_ready, jobs_pending_hinted_at) and the condition of the
-- jobs_release_slot trigger, all of which PostgreSQL stores by column number, not by name.
ALTER TABLE jobs RENAME COLUMN enqueued_at TO hinted_at;
ALTER INDEX jobs_pending_enqueued_at RENAME TO jobs_pending_hinted_at;
