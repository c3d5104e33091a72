-- 0004: the tables of the lead-discovery workload (docs/design.md, "Workloads"), owned by it:
-- Jobs.Worker/Handlers/Leads writes them, Jobs.Api/Campaigns reads them. The engine applies this file with its own but
-- never reads or writes these tables.

-- One campaign per leads.discover job. job_id is the idempotency anchor: a rerun of the job after a crash upserts
-- this row rather than adding one. No foreign key to jobs, so that purging old jobs one day keeps their campaigns.
CREATE TABLE campaigns (
    id              uuid        PRIMARY KEY, -- UUIDv7: ordered by creation, so keyset pages by id
    workspace_id    uuid        NOT NULL REFERENCES workspaces (id),
    job_id          uuid        NOT NULL UNIQUE,
    name            text        NOT NULL,
    business_type   text        NOT NULL,
    location        text        NOT NULL,
    max_results     integer     NOT NULL CHECK (max_results BETWEEN 1 AND 100),
    min_confidence  smallint    NOT NULL CHECK (min_confidence BETWEEN 0 AND 100),
    -- 'simulated' when the data came from the simulated services, so that fake leads are never taken for real ones.
    source          text        NOT NULL,
    -- businessesFound, qualifiedLeads, leadsEnriched, totalCost (USD), avgConfidence, emailStatuses, providers.
    stats           jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_workspace_id ON campaigns (workspace_id, id DESC);

CREATE TABLE leads (
    id                 uuid           PRIMARY KEY,
    campaign_id        uuid           NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    workspace_id       uuid           NOT NULL REFERENCES workspaces (id),
    place_id           text           NOT NULL,
    -- The campaign's order: 1 is the most confident lead.
    rank               integer        NOT NULL CHECK (rank >= 1),
    business_name      text           NOT NULL,
    address            text,
    phone              text,
    website            text,
    rating             numeric(2, 1)  CHECK (rating BETWEEN 0 AND 5),
    reviews_count      integer        CHECK (reviews_count >= 0),
    has_opening_hours  boolean        NOT NULL,
    business_status    text,
    confidence         smallint       NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    email              text,
    email_confidence   smallint       CHECK (email_confidence BETWEEN 0 AND 100),
    email_status       text           CHECK (email_status IN ('deliverable', 'risky', 'undeliverable')),
    -- USD spent on this lead: its details, email search and verification (the text search is the campaign's).
    cost               numeric(10, 4) NOT NULL DEFAULT 0 CHECK (cost >= 0),
    source             text           NOT NULL,
    created_at         timestamptz    NOT NULL DEFAULT now(),
    updated_at         timestamptz    NOT NULL DEFAULT now(),
    -- A rerun upserts the same lead rather than adding a second one.
    CONSTRAINT leads_campaign_place UNIQUE (campaign_id, place_id),
    CONSTRAINT leads_email_status_needs_email CHECK (email_status IS NULL OR email IS NOT NULL)
);
CREATE INDEX leads_campaign_rank ON leads (campaign_id, rank);
