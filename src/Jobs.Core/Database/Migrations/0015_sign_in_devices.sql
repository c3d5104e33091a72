-- 0015: known devices for sign-in (OWASP "device cookies"). A successful sign-in gets a random device token bound to
-- its email; a later sign-in that shows it for that email is held only to the device's own budget of failed passwords,
-- not to the email's, which an attacker elsewhere may have spent (the API's SignInThrottle). The token grants nothing
-- else. Stored as its SHA-256, as API keys are: it is random and long, so no salt or stretching is needed.
CREATE TABLE sign_in_devices (
    token_hash  bytea       PRIMARY KEY,
    -- Lower-case: sign-in compares emails without case.
    email       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Moves forward with every sign-in on the device: a device in use stays known.
    expires_at  timestamptz NOT NULL
);

CREATE INDEX sign_in_devices_expires_at ON sign_in_devices (expires_at);
