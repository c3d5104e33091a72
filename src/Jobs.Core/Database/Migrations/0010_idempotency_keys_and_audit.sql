-- 0010: idempotency keys that expire, and who did what on the timeline.

-- A key lives in its own row, not on the job, so that it can expire while the job stays: once expires_at has passed,
-- the next submission with the key takes the row over (one conditional upsert, so racing submissions still agree on
-- one job). request_hash is the SHA-256 of the canonical request (type, payload with sorted properties, priority,
-- run_at, max_attempts, timeout_seconds): the same key with another request is refused, never replayed. The
-- maintenance leader deletes expired rows; until it does they are only taken over.
CREATE TABLE idempotency_keys (
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id),
    key           text        NOT NULL,
    -- Deferred: the job and its key are inserted by one statement, in whichever order PostgreSQL runs its parts.
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    request_hash  bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

-- Keys given before this migration keep working for a day; with no hash they are compared by type and payload.
INSERT INTO idempotency_keys (workspace_id, key, job_id, created_at, expires_at)
SELECT workspace_id, idempotency_key, id, created_at, created_at + interval '24 hours'
FROM jobs
WHERE idempotency_key IS NOT NULL;

-- jobs.idempotency_key stays as the key the job was submitted with; after expiry several jobs may carry one key.
DROP INDEX jobs_workspace_idempotency_key;

-- The user and key (or UI session) behind a submit, cancel or retry; NULL for what the engine does on its own.
ALTER TABLE job_events
    ADD COLUMN actor jsonb;
