-- 0021: signed webhooks (docs/design.md, "Webhooks"). A workspace's admins register endpoints; every job that reaches a
-- final status while its workspace has a matching enabled endpoint gets one delivery row per endpoint, written by a
-- trigger in the very transaction that ends the job, so no outcome can commit without its deliveries (a process dying
-- right after the commit loses nothing). Workers send the deliveries later, outside any job's transaction.

CREATE TABLE webhook_endpoints (
    id                          uuid        PRIMARY KEY,
    workspace_id                uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    url                         text        NOT NULL,
    description                 text,
    events                      text[]      NOT NULL CHECK (cardinality(events) > 0),
    -- NULL: every job type.
    job_types                   text[],
    enabled                     boolean     NOT NULL DEFAULT true,
    disabled_reason             text,
    disabled_at                 timestamptz,
    -- The signing secret, whsec_ + base64. Kept as is because signing needs it (a hash could not sign); only the
    -- dispatcher's claim reads it, and no answer or log ever carries it after the create or rotate that made it.
    secret                      text        NOT NULL,
    -- The secret before the last rotation, still signing beside the new one until previous_secret_expires_at.
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    consecutive_failures        integer     NOT NULL DEFAULT 0,
    failing_since               timestamptz,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, created_at);

CREATE TABLE webhook_deliveries (
    -- Also the webhook-id header: the same on every attempt, so receivers de-duplicate by it.
    id               uuid        PRIMARY KEY,
    endpoint_id      uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    workspace_id     uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- No reference: retention may delete the job long before its deliveries are done with.
    job_id           uuid        NOT NULL,
    event            text        NOT NULL,
    -- The body, fixed when the job ended: every attempt sends the same bytes.
    payload          jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    -- Attempts started; the claim increments it, and an attempt's outcome is written only if it still matches.
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (completed_at) WHERE status <> 'pending';

CREATE TABLE webhook_attempts (
    delivery_id   uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       integer     NOT NULL,
    started_at    timestamptz NOT NULL,
    duration_ms   integer     NOT NULL,
    status_code   integer,
    error         text,
    -- The start of the receiver's answer, for the delivery log (at most 1,024 characters).
    response_body text,
    PRIMARY KEY (delivery_id, attempt)
);

-- A UUIDv7 (PostgreSQL 15 has no uuidv7()): delivery ids sort by creation, so the delivery log pages by id.
CREATE FUNCTION webhook_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
               PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
           52, 1), 53, 1), 'hex')::uuid
$$;

-- A time as the API writes it (UTC, ISO 8601), whatever the session's time zone.
CREATE FUNCTION webhook_time(t timestamptz) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
$$;

-- One delivery per enabled endpoint of the job's workspace that wants this event and type. The trigger fires only on
-- a change to a final status (its WHEN clause, evaluated without calling the function), and for a workspace without
-- enabled endpoints the function is one index probe that finds nothing: it returns before the INSERT, whose start-up
-- alone (opening webhook_deliveries and its indexes) cost four times as much (docs/design.md, "Webhooks").
CREATE FUNCTION jobs_webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM webhook_endpoints e WHERE e.workspace_id = NEW.workspace_id AND e.enabled;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_deliveries (id, endpoint_id, workspace_id, job_id, event, payload, next_attempt_at)
    SELECT webhook_uuid_v7(), e.id, NEW.workspace_id, NEW.id, 'job.' || NEW.status,
           jsonb_build_object(
               'type', 'job.' || NEW.status,
               'timestamp', webhook_time(NEW.completed_at),
               'data', jsonb_strip_nulls(jsonb_build_object(
                   'id', NEW.id,
                   'type', NEW.type,
                   'queue', NEW.queue,
                   'status', NEW.status,
                   'result', NEW.result,
                   'error', NEW.error,
                   'attempts', NEW.attempt,
                   'maxAttempts', NEW.max_attempts,
                   'createdAt', webhook_time(NEW.created_at),
                   'startedAt', webhook_time(NEW.started_at),
                   'completedAt', webhook_time(NEW.completed_at),
                   -- Read by name so that the body carries it whenever jobs have the column.
                   'scheduleId', to_jsonb(NEW) -> 'schedule_id'))),
           now()
    FROM webhook_endpoints e
    WHERE e.workspace_id = NEW.workspace_id
      AND e.enabled
      AND 'job.' || NEW.status = ANY (e.events)
      AND (e.job_types IS NULL OR NEW.type = ANY (e.job_types));
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_webhook_outbox
    AFTER UPDATE OF status ON jobs
    FOR EACH ROW
    WHEN (NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION jobs_webhook_outbox();
