-- Authentication additions.

-- The time step of the last accepted TOTP code, so that no code is accepted twice.
ALTER TABLE users ADD COLUMN totp_last_step bigint;

-- Finding (and invalidating) a user's open tokens, e.g. older password reset links.
CREATE INDEX one_time_tokens_user_idx ON one_time_tokens (user_id, purpose) WHERE used_at IS NULL;
-- Purging expired sessions.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
