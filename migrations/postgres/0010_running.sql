-- Running the program: every member expected at a cohort's live sessions is reminded
-- and told of changes, may say they cannot come, and facilitators keep attendance,
-- notes and a recording link.

-- Reminders (24 hours and 1 hour before) and changes (moved, cancelled) of a session,
-- for a member (user_id) or a visitor registered by address (registration_id).
-- `sequence` is the session's iCalendar SEQUENCE when the notice was made, so a
-- session that moves reminds again, and each notice is made once across instances.
CREATE TABLE session_notices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES calendar_sessions (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    registration_id BIGINT REFERENCES registrations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('day', 'hour', 'moved', 'cancelled')),
    sequence BIGINT NOT NULL,
    -- For a move: where the session was before.
    previous_start BIGINT,
    created_at BIGINT NOT NULL,
    emailed_at BIGINT,
    CHECK ((user_id IS NULL) <> (registration_id IS NULL))
);
CREATE UNIQUE INDEX session_notices_once_per_member ON session_notices (session_id, user_id, kind, sequence);
CREATE UNIQUE INDEX session_notices_once_per_visitor ON session_notices (session_id, registration_id, kind, sequence);
CREATE INDEX session_notices_by_user ON session_notices (user_id, created_at);
CREATE INDEX session_notices_unsent ON session_notices (emailed_at, created_at);

-- The reminders made so far become notices.
INSERT INTO session_notices (session_id, user_id, registration_id, kind, sequence, created_at, emailed_at)
SELECT r.session_id, r.user_id, CASE WHEN r.user_id IS NULL THEN r.id END, x.lead, s.sequence, x.created_at, x.emailed_at
FROM reminders x JOIN registrations r ON r.id = x.registration_id JOIN calendar_sessions s ON s.id = r.session_id;
DROP TABLE reminders;

-- "I can't come": a member expected at a session who will not be there gets no reminder of it.
CREATE TABLE session_absences (
    session_id BIGINT NOT NULL REFERENCES calendar_sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

-- A member may turn reminders off in their profile (changes are still told).
ALTER TABLE users ADD COLUMN session_reminders BIGINT NOT NULL DEFAULT 1;

-- Who was at a session, as the facilitator took it down.
CREATE TABLE attendance (
    session_id BIGINT NOT NULL REFERENCES calendar_sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
    recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX attendance_by_user ON attendance (user_id);

-- What facilitators add after a session: notes (Markdown) and a recording (https only).
ALTER TABLE calendar_sessions ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_sessions ADD COLUMN recording_link TEXT NOT NULL DEFAULT '';

-- When each person was last seen signed in, for the cohort dashboard ("not seen for two
-- weeks"); kept on the account because sessions end and are deleted.
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;
UPDATE users SET last_seen_at = (SELECT MAX(s.last_seen_at) FROM sessions s WHERE s.user_id = users.id);
