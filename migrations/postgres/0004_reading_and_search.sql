-- Reading progress, and full-text search over unit texts.

-- A reader's last visit to a unit ("where you stopped") and whether they marked it done.
CREATE TABLE unit_progress (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    visited_at BIGINT NOT NULL,
    done_at BIGINT,
    PRIMARY KEY (user_id, unit_id)
);
CREATE INDEX unit_progress_recent ON unit_progress (user_id, visited_at);

-- The body without Markdown marks, written by the application with each revision.
ALTER TABLE unit_translations ADD COLUMN search_text TEXT;

-- Each text is indexed with its own language's stemmer and stop words; titles weigh more.
ALTER TABLE unit_translations ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(
        CASE language WHEN 'es' THEN 'spanish'::regconfig WHEN 'de' THEN 'german'::regconfig
                      WHEN 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END,
        title), 'A')
    || setweight(to_tsvector(
        CASE language WHEN 'es' THEN 'spanish'::regconfig WHEN 'de' THEN 'german'::regconfig
                      WHEN 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END,
        COALESCE(search_text, '')), 'B')
) STORED;
CREATE INDEX unit_translations_search ON unit_translations USING GIN (search_vector);
