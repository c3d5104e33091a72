-- 0006: roles, recognisable and auditable API keys, and the per-workspace limits an admin can change
-- (docs/design.md, "Admission, limits and fairness").

-- One role per user in their workspace: admins manage keys, users and limits; members use the workspace.
ALTER TABLE users
    ADD COLUMN role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin'));

-- kind: 'key' for keys made by a person or a seed, 'session' for the short-lived keys behind a UI sign-in.
-- prefix: the first characters of the plain key, kept so that a leaked key can be recognised in the list without the
-- database holding anything that would let it be used. last_used_at is written at most once a minute per key.
ALTER TABLE api_keys
    ADD COLUMN kind          text NOT NULL DEFAULT 'key' CHECK (kind IN ('key', 'session')),
    ADD COLUMN prefix        text,
    ADD COLUMN last_used_at  timestamptz;
UPDATE api_keys SET kind = 'session' WHERE expires_at IS NOT NULL;
CREATE INDEX api_keys_workspace_id ON api_keys (workspace_id, created_at DESC);

-- Submission limits: bulk jobs (those with many items) per user per hour, and API requests per key per minute.
ALTER TABLE workspaces
    ADD COLUMN bulk_jobs_per_hour   integer NOT NULL DEFAULT 10 CHECK (bulk_jobs_per_hour BETWEEN 1 AND 100000),
    ADD COLUMN requests_per_minute  integer NOT NULL DEFAULT 600 CHECK (requests_per_minute BETWEEN 1 AND 1000000);
