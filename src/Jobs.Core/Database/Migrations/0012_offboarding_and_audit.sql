-- 0012: taking access away, and the record of who did what to whom.

-- A removed account keeps its row, since its jobs, keys and timeline entries name it, but loses its password and no
-- longer holds its address: the workspace can invite the address again, as a new account.
ALTER TABLE users ADD COLUMN removed_at timestamptz;
DROP INDEX users_workspace_email;
CREATE UNIQUE INDEX users_workspace_email ON users (workspace_id, lower(email)) WHERE removed_at IS NULL;

-- One-time password reset links that an admin issues for an account of their workspace and passes on, as invitation
-- links (nothing sends mail here). Only the token's SHA-256 is stored. A reset sets the password of that one account:
-- the person's accounts in other workspaces keep theirs, so no admin reaches beyond their own workspace.
CREATE TABLE password_resets (
    id            uuid        PRIMARY KEY,
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id),
    user_id       uuid        NOT NULL REFERENCES users (id),
    issued_by     uuid        NOT NULL REFERENCES users (id),
    token_hash    bytea       NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX password_resets_user_id ON password_resets (user_id);

-- The workspace's audit trail of identity changes (invitations, roles, removals, sessions, passwords, API keys).
-- Each row is written in the transaction of the change it records, so a change and its record commit together.
-- Emails are copied as they were then: a row still reads right after the account changes or is removed.
-- actor_user_id is NULL for what nobody signed in did (none yet); actor_api_key_id is the key or session used.
CREATE TABLE audit_events (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id      uuid        NOT NULL REFERENCES workspaces (id),
    action            text        NOT NULL,
    actor_user_id     uuid        REFERENCES users (id),
    actor_email       text,
    actor_api_key_id  uuid,
    target_user_id    uuid        REFERENCES users (id),
    target_email      text,
    details           jsonb       NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_workspace_id ON audit_events (workspace_id, id DESC);
