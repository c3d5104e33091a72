-- 0002: sign-in sessions. The web UI signs a user in through the API and holds a short-lived API key for them in
-- its cookie; such keys expire on their own, so a stolen cookie is worth little for long.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
CREATE INDEX api_keys_user_id ON api_keys (user_id);
