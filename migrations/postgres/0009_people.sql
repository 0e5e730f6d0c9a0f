-- Facilitation follows the cohort, people join a cohort by invitation, and addresses
-- are verified.

-- Who runs a cohort: its circles, moderation, planning, registrants and members.
-- Administrators run every cohort without a row here.
CREATE TABLE cohort_facilitators (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_facilitators_by_user ON cohort_facilitators (user_id);

-- Until now every facilitator ran every cohort: they keep what they had, and an
-- administrator takes them off the cohorts that are not theirs.
INSERT INTO cohort_facilitators (cohort_id, user_id, assigned_by, assigned_at)
SELECT c.id, u.id, NULL, u.created_at FROM cohorts c, users u WHERE u.role = 'facilitator';

-- An invitation into a cohort's language group: a link anyone holding it may use
-- (`uses_left` NULL for no limit), or one mailed to one address. Only a hash of
-- its secret is stored; resending a mailed one replaces the secret.
CREATE TABLE invitations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    language_group_id BIGINT REFERENCES language_groups (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('link', 'email')),
    -- What accepting makes of the person in this cohort.
    role TEXT NOT NULL CHECK (role IN ('participant', 'facilitator')),
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT,
    name TEXT,
    organisation TEXT,
    country TEXT,
    -- The language its mail and its page speak before the person chooses.
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    uses_left BIGINT CHECK (uses_left IS NULL OR uses_left >= 0),
    accepted_count BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    opened_at BIGINT,
    accepted_at BIGINT,
    accepted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    bounced_at BIGINT,
    revoked_at BIGINT,
    CHECK ((kind = 'email') = (email IS NOT NULL))
);
CREATE INDEX invitations_by_cohort ON invitations (cohort_id, created_at);
CREATE INDEX invitations_by_creator ON invitations (created_by, created_at);

-- The invitation a mail carries, so that a refusal from SMTP marks it bounced.
ALTER TABLE outbox ADD COLUMN invitation_id BIGINT REFERENCES invitations (id) ON DELETE SET NULL;

-- An address counts (for reminders and digests) once its owner followed a link mailed
-- to it. Accounts from before keep receiving mail: they are counted as verified.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;

-- The link that verifies an address: a new account's, or the new address someone
-- changes to (which counts only once verified). One per account; only its hash is kept.
CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX email_verifications_by_user ON email_verifications (user_id);

-- A CSV file of people to invite, kept from its upload to the facilitator's go-ahead
-- after the preview, for a day at most.
CREATE TABLE invitation_imports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    created_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
