-- 0007: invitations. An admin invites a user by email: the user row exists at once (with its role, without a
-- password), and the invitation's token, shown once to the admin, lets the invitee set a name and password once.
-- Only the token's SHA-256 is stored, as for API keys, so a database dump holds nothing that accepts an invitation.
CREATE TABLE invitations (
    id            uuid        PRIMARY KEY,
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id),
    user_id       uuid        NOT NULL REFERENCES users (id),
    invited_by    uuid        NOT NULL REFERENCES users (id),
    token_hash    bytea       NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX invitations_user_id ON invitations (user_id);

-- Listing a workspace's users pages by creation.
CREATE INDEX users_workspace_id ON users (workspace_id, created_at);
