-- Trust: attempts counted before any password is checked, browsers that logged
-- in before, the changes that end live streams, visitors' pending
-- confirmations, and handles that are not e-mail addresses.

-- Attempts per bucket (an account, a network address, a trusted browser, a
-- person changing their password) in fixed windows; one atomic upsert counts each.
CREATE TABLE attempt_counts (
    bucket TEXT PRIMARY KEY,
    window_started_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL
);
DROP TABLE login_failures;

-- Browsers that logged in to an account before (OWASP's device cookies): their
-- attempts are counted apart, so a stranger's guessing cannot lock the owner out.
CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX trusted_devices_by_user ON trusted_devices (user_id, created_at);

-- Someone's sessions, role or memberships changed: their live streams check again.
CREATE TABLE access_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- A visitor's registration waiting for the link sent to their address.
CREATE TABLE guest_confirmations (
    token_hash TEXT PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES calendar_sessions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation TEXT NOT NULL,
    language_group TEXT NOT NULL,
    language TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- How members are @mentioned: from their name, never their address. Filled
-- for existing members at start-up (folding accents needs Unicode tables).
ALTER TABLE users ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX users_by_handle ON users (handle);

-- Who edited, so edits count towards the posting rate.
ALTER TABLE forum_post_edits ADD COLUMN edited_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX forum_post_edits_by_editor ON forum_post_edits (edited_by, replaced_at);

-- A post's newest event: a live replay sends each post once, as it is now.
CREATE INDEX forum_events_by_post ON forum_events (post_id, id);
