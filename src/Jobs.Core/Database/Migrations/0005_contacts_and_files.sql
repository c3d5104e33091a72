-- 0005: the contacts workload (contact bulk operations, docs/design.md, "Workloads"), and the files that jobs produce
-- and consume.
--
-- Contacts, sequences, enrollments, tags and deletions are owned by the workload: Jobs.Worker/Handlers/Contacts writes
-- them, Jobs.Api/Contacts reads them; the engine applies this file but never touches those tables. Files (job_files,
-- uploads) are generic: Jobs.Core/Files stores them for any job type, and the API serves them.

-- Subscribing contacts to a sequence goes through downstream providers with rate limits, so it runs in batches with a
-- pause between them. Both are per workspace; the defaults are the values the workload started from.
ALTER TABLE workspaces
    ADD COLUMN subscribe_batch_size      integer NOT NULL DEFAULT 15 CHECK (subscribe_batch_size BETWEEN 1 AND 1000),
    ADD COLUMN subscribe_batch_pause_ms  integer NOT NULL DEFAULT 2000 CHECK (subscribe_batch_pause_ms BETWEEN 0 AND 600000);

CREATE TABLE contacts (
    id                 uuid        PRIMARY KEY, -- UUIDv7: ordered by creation, so "newest first" pages by id
    workspace_id       uuid        NOT NULL REFERENCES workspaces (id),
    -- Stored trimmed and lower-cased, so that the unique index makes emails unique per workspace without regard to
    -- case, and an import upserts by it with a plain ON CONFLICT. Collation "C": byte order, the same on every server
    -- whatever its locale, which keyset pages in email order and the index agree on.
    email              text        COLLATE "C" NOT NULL CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
    first_name         text        CHECK (length(first_name) <= 100),
    last_name          text        CHECK (length(last_name) <= 100),
    company            text        CHECK (length(company) <= 200),
    phone              text        CHECK (length(phone) <= 40),
    -- The contact asked not to get messages (unsubscribed); sequences must not enroll them.
    opted_out          boolean     NOT NULL DEFAULT false,
    -- Set by the workspace (complaint, legal hold, competitor…); sequences must not enroll them either.
    do_not_contact     boolean     NOT NULL DEFAULT false,
    -- The contacts.import job that created the contact, so a rerun of that job after a crash counts the rows its
    -- earlier attempt inserted as imported, not as updated. NULL for contacts made otherwise (the seed).
    created_by_job_id  uuid,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX contacts_workspace_email ON contacts (workspace_id, email);
CREATE INDEX contacts_workspace_id ON contacts (workspace_id, id DESC);

-- Tags are stored trimmed and lower-cased: "VIP" and "vip " are one tag.
CREATE TABLE contact_tags (
    contact_id    uuid        NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag           text        NOT NULL CHECK (tag = lower(btrim(tag)) AND length(tag) BETWEEN 1 AND 50),
    workspace_id  uuid        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Tagging twice (a rerun) adds nothing.
    PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_workspace_tag ON contact_tags (workspace_id, tag, contact_id);

CREATE TABLE sequences (
    id            uuid        PRIMARY KEY,
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sequences_workspace_name UNIQUE (workspace_id, name)
);

CREATE TABLE sequence_enrollments (
    sequence_id   uuid        NOT NULL REFERENCES sequences (id) ON DELETE CASCADE,
    contact_id    uuid        NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    workspace_id  uuid        NOT NULL,
    -- The contacts.subscribe job that enrolled the contact (NULL: enrolled otherwise, such as by the seed). A rerun of
    -- the same job reads it to report a contact its earlier attempt enrolled as succeeded rather than already enrolled.
    -- No foreign key, so that purging old jobs one day keeps the enrollments.
    job_id        uuid,
    enrolled_at   timestamptz NOT NULL DEFAULT now(),
    -- A contact is enrolled in a sequence at most once: a rerun inserts with ON CONFLICT DO NOTHING.
    PRIMARY KEY (sequence_id, contact_id)
);
CREATE INDEX sequence_enrollments_contact_id ON sequence_enrollments (contact_id);

-- What each contacts.delete job deleted, written in the same transaction as the deletion: a rerun after a crash finds
-- the contacts its earlier attempt deleted here and reports them as deleted, not as not found. It doubles as an audit
-- trail, and goes with its job.
CREATE TABLE contact_deletions (
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    contact_id    uuid        NOT NULL,
    workspace_id  uuid        NOT NULL,
    email         text        NOT NULL,
    deleted_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, contact_id)
);

-- Files. The content is a PostgreSQL large object (content_oid), not a bytea column and not a file on disk:
--  * large objects are written and read in chunks (lo_put / lo_get), so neither an upload, nor an export of any
--    size, nor a download is ever held whole in a process's memory or sent as one parameter, as a bytea would be;
--  * they need no disk shared by the API and the workers, which may run on different machines (the AppHost's
--    replicas, containers), and they are backed up, replicated and restored with the database;
--  * writing the content and its row in one transaction makes a file appear whole or not at all: a crash mid-export
--    leaves nothing behind (an uncommitted large object is rolled back with the transaction).
-- Cost: the content lives in pg_largeobject (about 2 KB a page, TOAST-compressed), so big files grow the database;
-- the rows' triggers unlink a large object when its row is deleted or its content replaced, so none is orphaned.
CREATE FUNCTION unlink_file_content() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.content_oid IS DISTINCT FROM OLD.content_oid THEN
        PERFORM lo_unlink(OLD.content_oid);
    END IF;
    RETURN NULL;
END
$$;

-- A file a job produced (an export), downloadable from GET /api/jobs/{id}/files/{name}. A rerun of the job replaces
-- its file by name; the file goes with its job.
CREATE TABLE job_files (
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    workspace_id  uuid        NOT NULL,
    name          text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    content_type  text        NOT NULL,
    size          bigint      NOT NULL CHECK (size >= 0),
    content_oid   oid         NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, name)
);
CREATE TRIGGER job_files_unlink_content
    AFTER UPDATE OF content_oid OR DELETE ON job_files
    FOR EACH ROW EXECUTE FUNCTION unlink_file_content();

-- A file a user uploaded (POST /api/uploads) for a job to consume by id (contacts.import).
CREATE TABLE uploads (
    id            uuid        PRIMARY KEY, -- UUIDv7
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id),
    user_id       uuid        NOT NULL REFERENCES users (id),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    content_type  text        NOT NULL,
    size          bigint      NOT NULL CHECK (size >= 0),
    content_oid   oid         NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX uploads_workspace_id ON uploads (workspace_id, id DESC);
CREATE TRIGGER uploads_unlink_content
    AFTER UPDATE OF content_oid OR DELETE ON uploads
    FOR EACH ROW EXECUTE FUNCTION unlink_file_content();
