-- Full-text search over forum posts (cases included) and the titles of the threads they open.

-- Written by the application with each post: its words without Markdown marks,
-- and, for the post that opens a thread, the thread's title.
ALTER TABLE forum_posts ADD COLUMN search_title TEXT;
ALTER TABLE forum_posts ADD COLUMN search_text TEXT;

-- Posts are written in any language, so no language's stemmer: words match as
-- prefixes and without their accents ("nino" finds "niño"), as on SQLite.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION kring_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION kring_words
    ALTER MAPPING FOR hword, hword_part, word, numword, numhword, hword_numpart WITH unaccent, simple;

-- Titles weigh more.
ALTER TABLE forum_posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('kring_words'::regconfig, COALESCE(search_title, '')), 'A')
    || setweight(to_tsvector('kring_words'::regconfig, COALESCE(search_text, '')), 'B')
) STORED;
CREATE INDEX forum_posts_search ON forum_posts USING GIN (search_vector);
