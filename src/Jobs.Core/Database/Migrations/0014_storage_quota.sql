-- 0014: a storage quota per workspace. Files (uploads and the files jobs produce) live in the shared database, so the
-- bytes a workspace may keep there are capacity of everyone's: the operator sets the default (configuration,
-- Storage:DefaultQuotaBytes) and may grant one workspace its own value here; the workspace's admins cannot change it.

-- NULL: the operator's configured default applies. Set by the operator only (SQL); no endpoint writes it.
ALTER TABLE workspaces
    ADD COLUMN storage_quota_bytes bigint CHECK (storage_quota_bytes >= 0);

-- The bytes each workspace stores now, kept exact by the triggers below in the same transaction as the file's row, so
-- a quota check reads one row instead of summing the workspace's files. An upload or a job's file locks its
-- workspace's row (FOR UPDATE) only for the moment of its check and insert, which serialises the checks of one
-- workspace and nothing else: not the other workspaces, and not the workspaces row, which role changes lock.
-- No CHECK (used_bytes >= 0): were the count ever wrong, deleting files must still work and bring it back down.
CREATE TABLE workspace_storage (
    workspace_id  uuid   PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    used_bytes    bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION workspace_storage_create() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO workspace_storage (workspace_id) VALUES (NEW.id) ON CONFLICT (workspace_id) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER workspaces_create_storage
    AFTER INSERT ON workspaces
    FOR EACH ROW EXECUTE FUNCTION workspace_storage_create();

-- A file's row added, resized (a rerun replacing a job's file) or deleted (retention, a job deleted with its files).
CREATE FUNCTION workspace_storage_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    workspace uuid;
    delta bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        workspace := NEW.workspace_id;
        delta := NEW.size;
    ELSIF TG_OP = 'DELETE' THEN
        workspace := OLD.workspace_id;
        delta := -OLD.size;
    ELSE
        workspace := NEW.workspace_id;
        delta := NEW.size - OLD.size;
    END IF;

    IF delta <> 0 THEN
        INSERT INTO workspace_storage AS s (workspace_id, used_bytes) VALUES (workspace, delta)
        ON CONFLICT (workspace_id) DO UPDATE
        SET used_bytes = s.used_bytes + excluded.used_bytes;
    END IF;

    RETURN NULL;
END
$$;

-- The triggers first, then the count of what exists: creating a trigger waits for the writers in progress and holds
-- off new ones until this migration commits, so no file is counted twice or missed.
CREATE TRIGGER uploads_count_storage
    AFTER INSERT OR DELETE OR UPDATE OF size ON uploads
    FOR EACH ROW EXECUTE FUNCTION workspace_storage_count();
CREATE TRIGGER job_files_count_storage
    AFTER INSERT OR DELETE OR UPDATE OF size ON job_files
    FOR EACH ROW EXECUTE FUNCTION workspace_storage_count();

INSERT INTO workspace_storage (workspace_id, used_bytes)
SELECT w.id,
       coalesce((SELECT sum(u.size) FROM uploads u WHERE u.workspace_id = w.id), 0)
       + coalesce((SELECT sum(f.size) FROM job_files f WHERE f.workspace_id = w.id), 0)
FROM workspaces w;
