-- 0022: named job templates per workspace (docs/design.md, "Templates"): a job's type, payload and options saved under
-- a name, to start from on the New job page or with one submit. A template is not run by anything: submitting from it
-- is an ordinary submit, validated again against the type's schema as it is then.
CREATE TABLE job_templates (
    id               uuid        PRIMARY KEY, -- UUIDv7: ordered by creation, so keyset pages by id
    workspace_id     uuid        NOT NULL REFERENCES workspaces (id),
    -- Who saved it; only they or an admin may delete it.
    user_id          uuid        NOT NULL REFERENCES users (id),
    name             text        NOT NULL,
    type             text        NOT NULL,
    payload          jsonb       NOT NULL,
    priority         smallint    NOT NULL DEFAULT 0,
    -- NULL: the job type's default when a job is started from the template.
    max_attempts     integer     CHECK (max_attempts >= 1),
    timeout_seconds  integer     CHECK (timeout_seconds > 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT job_templates_workspace_name UNIQUE (workspace_id, name)
);

CREATE INDEX job_templates_workspace_id ON job_templates (workspace_id, id DESC);
