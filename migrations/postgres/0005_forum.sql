-- The forum: categories per cohort, threads, posts with edit history, consultation
-- circles, read markers, notifications, and the event log live updates replay from.

-- Consultation circles: a facilitator's question, at most 10 members.
CREATE TABLE circles (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    opened_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    capacity BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 10),
    member_count BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'archived')),
    created_at BIGINT NOT NULL,
    CHECK (member_count <= capacity)
);

CREATE TABLE circle_members (
    circle_id BIGINT NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (circle_id, user_id)
);

-- One per module, "cases", "general", and one per circle.
CREATE TABLE forum_categories (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('module', 'cases', 'general', 'circle')),
    module_id BIGINT REFERENCES modules (id) ON DELETE CASCADE,
    circle_id BIGINT REFERENCES circles (id) ON DELETE CASCADE,
    position BIGINT NOT NULL
);
CREATE INDEX forum_categories_by_cohort ON forum_categories (cohort_id, position);

CREATE TABLE forum_threads (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES forum_categories (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    is_case BIGINT NOT NULL DEFAULT 0,
    pinned BIGINT NOT NULL DEFAULT 0,
    locked BIGINT NOT NULL DEFAULT 0,
    post_count BIGINT NOT NULL DEFAULT 0,
    last_post_id BIGINT NOT NULL DEFAULT 0,
    last_activity_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX forum_threads_by_category ON forum_threads (category_id, pinned, last_activity_at);

CREATE TABLE forum_posts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES forum_threads (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    tag TEXT CHECK (tag IN ('question', 'perspective', 'suggestion')),
    quote_of BIGINT REFERENCES forum_posts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    hidden_reason TEXT,
    hidden_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX forum_posts_by_thread ON forum_posts (thread_id, id);
CREATE INDEX forum_posts_by_author ON forum_posts (author_id, created_at);

-- Earlier texts of edited posts, shown as the post's history.
CREATE TABLE forum_post_edits (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    replaced_at BIGINT NOT NULL
);

-- The newest post each member has seen in a thread.
CREATE TABLE forum_reads (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES forum_threads (id) ON DELETE CASCADE,
    last_read_post_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);

CREATE TABLE notifications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'quote', 'mention')),
    post_id BIGINT NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    emailed_at BIGINT,
    UNIQUE (user_id, post_id, kind)
);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);

-- Every change live clients must see, numbered in commit order per engine.
CREATE TABLE forum_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES forum_threads (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL,
    post_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'hidden', 'deleted')),
    created_at BIGINT NOT NULL
);
CREATE INDEX forum_events_by_thread ON forum_events (thread_id, id);
