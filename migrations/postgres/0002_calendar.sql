-- Live sessions, their registrations, calendar feeds and reminders.
-- A start is a UTC instant plus the IANA zone the host planned it in.
CREATE TABLE session_series (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_zone TEXT NOT NULL,
    wall_clock TEXT NOT NULL,
    every_weeks BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE calendar_sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    series_id BIGINT REFERENCES session_series (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('live', 'information', 'circle')),
    -- NULL for public information meetings; a NULL group means the whole cohort.
    cohort_id BIGINT REFERENCES cohorts (id) ON DELETE CASCADE,
    language_group_id BIGINT REFERENCES language_groups (id) ON DELETE SET NULL,
    starts_at BIGINT NOT NULL,
    host_zone TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
    video_link TEXT NOT NULL DEFAULT '',
    capacity BIGINT CHECK (capacity IS NULL OR capacity > 0),
    -- Kept in step with confirmed registrations; the capacity check updates it atomically.
    confirmed_count BIGINT NOT NULL DEFAULT 0,
    unit_id BIGINT REFERENCES units (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'moved', 'cancelled')),
    -- iCalendar SEQUENCE: raised on every change calendars must pick up.
    sequence BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (capacity IS NULL OR confirmed_count <= capacity)
);
CREATE INDEX calendar_sessions_by_start ON calendar_sessions (starts_at);
CREATE INDEX calendar_sessions_by_cohort ON calendar_sessions (cohort_id, starts_at);

CREATE TABLE session_translations (
    session_id BIGINT NOT NULL REFERENCES calendar_sessions (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (session_id, language)
);

-- A member (user_id) or a visitor of a public meeting (guest_*).
CREATE TABLE registrations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES calendar_sessions (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    guest_name TEXT,
    guest_email TEXT,
    guest_organisation TEXT,
    guest_language_group TEXT,
    guest_language TEXT,
    guest_time_zone TEXT,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((user_id IS NULL) <> (guest_email IS NULL))
);
CREATE UNIQUE INDEX registrations_one_per_member ON registrations (session_id, user_id);
CREATE UNIQUE INDEX registrations_one_per_guest ON registrations (session_id, guest_email);
CREATE INDEX registrations_by_user ON registrations (user_id);

-- The secret of a member's personal calendar subscription; deleting it revokes the feed.
CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- Reminders 24 hours and 1 hour before, one of each per registration.
CREATE TABLE reminders (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    lead TEXT NOT NULL CHECK (lead IN ('day', 'hour')),
    created_at BIGINT NOT NULL,
    emailed_at BIGINT,
    read_at BIGINT,
    PRIMARY KEY (registration_id, lead)
);

-- E-mail waiting to be sent through SMTP (only when SMTP_URL is configured);
-- kept in the database so a mail survives a restart or an SMTP outage.
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    -- Set by the instance sending it, so two instances never send the same mail.
    claimed_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
