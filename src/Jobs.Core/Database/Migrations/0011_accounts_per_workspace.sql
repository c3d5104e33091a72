-- 0011: one person, several workspaces. A users row is a person's account in one workspace (role, name, password
-- there). An email is unique within a workspace, no longer across them: inviting an address answers the same whether
-- or not it has accounts elsewhere, and nothing one workspace does (an invitation, an account its admin made up)
-- keeps the address out of another.
-- A person's accounts are linked by their email and their password: accounts of one email that share a password
-- share its hash string too (the API copies it when a password set on one account is the one another uses), so that
-- sign-in verifies each distinct password once and a session can switch to the person's other workspaces.
-- Not one global password per email: no mail proves that an address belongs to whoever accepts an invitation, so a
-- global credential would let an admin who accepts their own invitation own the address in every workspace, and an
-- admin's password reset would take over the person's other workspaces.
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE UNIQUE INDEX users_workspace_email ON users (workspace_id, lower(email));
-- Sign-in and switching find a person's accounts by email.
CREATE INDEX users_email ON users (lower(email));
