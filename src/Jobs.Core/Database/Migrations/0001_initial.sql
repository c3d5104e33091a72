-- 0001: the engine's tables. In docs/design.md: "Job lifecycle" (the job row), "Leases and fencing" (leases,
-- leadership), "Tenancy" and "Admission, limits and fairness".

CREATE TABLE workspaces (
    id                   uuid        PRIMARY KEY,
    name                 text        NOT NULL,
    -- Jobs beyond this many processing at once wait as pending; they are never rejected
    -- (docs/design.md, "Admission, limits and fairness").
    max_concurrent_jobs  integer     NOT NULL DEFAULT 5 CHECK (max_concurrent_jobs > 0),
    max_batch_items      integer     NOT NULL DEFAULT 1000 CHECK (max_batch_items > 0),
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid        PRIMARY KEY,
    workspace_id   uuid        NOT NULL REFERENCES workspaces (id),
    email          text        NOT NULL UNIQUE,
    display_name   text        NOT NULL,
    password_hash  text,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Keys are stored as SHA-256 hashes only; the plain key is shown once, when it is made.
CREATE TABLE api_keys (
    id            uuid        PRIMARY KEY,
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id),
    user_id       uuid        NOT NULL REFERENCES users (id),
    name          text        NOT NULL,
    key_hash      bytea       NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

CREATE TABLE jobs (
    id                   uuid        PRIMARY KEY, -- UUIDv7: ordered by creation, so keyset pages by id
    workspace_id         uuid        NOT NULL REFERENCES workspaces (id),
    user_id              uuid        NOT NULL REFERENCES users (id),
    type                 text        NOT NULL,
    queue                text        NOT NULL,
    priority             smallint    NOT NULL DEFAULT 0,
    status               text        NOT NULL
        CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
    payload              jsonb       NOT NULL,
    result               jsonb,
    progress             smallint    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    stage                text,
    processed_items      bigint,
    total_items          bigint,
    metrics              jsonb       NOT NULL DEFAULT '{}',
    error                text,
    attempt              integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts         integer     NOT NULL CHECK (max_attempts >= 1),
    -- attempt never goes back (it is the fencing token), so a manual retry raises max_attempts by this budget.
    attempts_per_run     integer     NOT NULL CHECK (attempts_per_run >= 1),
    run_at               timestamptz NOT NULL,
    timeout_seconds      integer     NOT NULL CHECK (timeout_seconds > 0),
    cancel_requested_at  timestamptz,
    lease_owner          text,
    lease_expires_at     timestamptz,
    -- When a wake-up hint was last put on the stream; NULL means "no live hint", which maintenance repairs.
    enqueued_at          timestamptz,
    idempotency_key      text,
    -- Bumped by every write a client could see; it is the sequence number of live updates
    -- (docs/design.md, "Live updates").
    version              bigint      NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    started_at           timestamptz,
    completed_at         timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    -- A lease exists exactly while the job is processing: fencing relies on it.
    CONSTRAINT jobs_lease_only_while_processing
        CHECK ((status = 'processing') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CONSTRAINT jobs_finished_have_completed_at
        CHECK ((status IN ('completed', 'failed', 'cancelled')) = (completed_at IS NOT NULL))
);

CREATE UNIQUE INDEX jobs_workspace_idempotency_key ON jobs (workspace_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_workspace_id ON jobs (workspace_id, id DESC);
CREATE INDEX jobs_workspace_status_id ON jobs (workspace_id, status, id DESC);
-- Partial indexes keep the hot maintenance scans small however many finished jobs pile up.
CREATE INDEX jobs_pending_due ON jobs (workspace_id, priority DESC, run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_processing_lease ON jobs (lease_expires_at) WHERE status = 'processing';
CREATE INDEX jobs_workspace_completed_at ON jobs (workspace_id, completed_at) WHERE completed_at IS NOT NULL;

CREATE TABLE job_events (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    workspace_id  uuid        NOT NULL,
    kind          text        NOT NULL,
    status        text        NOT NULL,
    stage         text,
    attempt       integer     NOT NULL,
    message       text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_events_job_id ON job_events (job_id, id);

-- The catalog: each worker publishes the job types it can run, with their payload schema.
CREATE TABLE job_types (
    name             text        PRIMARY KEY,
    description      text        NOT NULL,
    queue            text        NOT NULL,
    payload_schema   jsonb       NOT NULL,
    max_attempts     integer     NOT NULL CHECK (max_attempts >= 1),
    timeout_seconds  integer     NOT NULL CHECK (timeout_seconds > 0),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Live worker processes; a row whose heartbeat is old belongs to a dead process.
CREATE TABLE workers (
    id            text        PRIMARY KEY,
    host          text        NOT NULL,
    queues        text[]      NOT NULL,
    slots         integer     NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per elected role. term grows with every change of leader and fences the leader's writes.
CREATE TABLE leader_leases (
    name        text        PRIMARY KEY,
    leader_id   text        NOT NULL,
    term        bigint      NOT NULL,
    expires_at  timestamptz NOT NULL
);
