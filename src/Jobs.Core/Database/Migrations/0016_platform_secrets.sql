-- 0016: secrets every API instance must share and nobody configures, such as the key that signs stream tokens. The
-- first instance that needs one inserts a random value; every instance reads the same row from then on. Nothing sends
-- a value anywhere; deleting a row invalidates what it signed (the next instance to need it makes a new one).
CREATE TABLE platform_secrets (
    name        text        PRIMARY KEY,
    value       bytea       NOT NULL CHECK (length(value) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);
