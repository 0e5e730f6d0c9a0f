-- Accounts, organisations, programs and cohorts. Instants are UTC unix seconds.
CREATE TABLE organisations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    country TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator', 'participant')),
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE SET NULL,
    country TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    time_zone TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (address, failed_at);

CREATE TABLE programs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE cohorts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (program_id, name)
);

CREATE TABLE language_groups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    UNIQUE (cohort_id, name)
);

CREATE TABLE cohort_members (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    language_group_id BIGINT REFERENCES language_groups (id) ON DELETE SET NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_members_by_user ON cohort_members (user_id);

-- Program content; issue-level editing (revisions, drafts) builds on these.
CREATE TABLE modules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    source_language TEXT NOT NULL CHECK (source_language IN ('en', 'es', 'de', 'nl'))
);

CREATE TABLE module_translations (
    module_id BIGINT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    PRIMARY KEY (module_id, language)
);

CREATE TABLE units (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    module_id BIGINT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    position BIGINT NOT NULL
);

CREATE TABLE unit_translations (
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (unit_id, language)
);
