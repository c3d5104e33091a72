-- 0025: paused queues and job types per workspace (docs/design.md, "Pausing"). A paused name keeps its jobs pending:
-- the fills pass them over (they take no slot and get no hint), and nothing that already runs is touched. Resuming
-- deletes the row, and the workspace's next fill hints them. The fills read this table by its primary key, once per
-- statement, as an array (JobRules.NotPaused), so a workspace with no pause pays one empty index probe per kind.
CREATE TABLE workspace_pauses (
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('queue', 'type')),
    name          text        NOT NULL,
    -- Who paused it; NULL once that user is gone.
    paused_by     uuid        REFERENCES users (id) ON DELETE SET NULL,
    paused_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, kind, name)
);
