-- Account recovery: links that let someone choose a new password. Each works once,
-- for 30 minutes, only a hash of it is stored, and an account has one at most.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX password_resets_by_user ON password_resets (user_id);
