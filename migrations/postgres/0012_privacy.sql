-- Privacy by design: an audit trail (circles and administration), copies of a person's
-- data made in the background, what each person shows in their cohort's directory, and
-- which case threads stay when their author erases their account.

-- Who did what, when. Circle entries (circle_id set) are shown to the circle's members;
-- the rest to admins. A person erased later reads as "Former member" (SET NULL); the entry
-- recording an erasure keeps only the erased account's number, in `detail`.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- The actor's role when they acted ("Joseph Mensah (facilitator)").
    actor_role TEXT,
    subject_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    cohort_id BIGINT REFERENCES cohorts (id) ON DELETE SET NULL,
    circle_id BIGINT REFERENCES circles (id) ON DELETE CASCADE,
    detail TEXT NOT NULL DEFAULT '',
    -- The UTC day, so a staff member's reads of a circle make one entry a day.
    day TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_by_circle ON audit_log (circle_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id);
CREATE INDEX audit_log_by_subject ON audit_log (subject_id);
CREATE INDEX audit_log_by_time ON audit_log (created_at);
CREATE UNIQUE INDEX audit_log_one_read_a_day ON audit_log (circle_id, actor_id, day)
    WHERE action = 'circle_read';

-- A copy of everything Kring holds about a person, built in the background and kept for
-- 24 hours after it is ready.
CREATE TABLE data_exports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'building', 'ready', 'failed')),
    parts_done BIGINT NOT NULL DEFAULT 0,
    parts_total BIGINT NOT NULL,
    archive BYTEA,
    claimed_at BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX data_exports_by_user ON data_exports (user_id, id);
CREATE INDEX data_exports_by_status ON data_exports (status, id);
-- One copy underway per person, however many tabs ask at once.
CREATE UNIQUE INDEX data_exports_one_underway ON data_exports (user_id)
    WHERE status IN ('queued', 'building');

-- The member directory: what a person tells their cohorts, and what they show beyond
-- their name and organisation (nothing until they choose).
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN learn_share TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN spoken_languages TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN shows_country BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN shows_languages BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN shows_local_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN shows_about BIGINT NOT NULL DEFAULT 0;

-- A case thread whose author erases their account is removed, unless a facilitator
-- chose to keep it for the cohort.
ALTER TABLE forum_threads ADD COLUMN kept_for_cohort BIGINT NOT NULL DEFAULT 0;
