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

-- Prefix queries stand in for per-language stemming; diacritics fold ("nino" finds "niño").
CREATE VIRTUAL TABLE unit_search USING fts5 (
    unit_id UNINDEXED,
    language UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER unit_search_insert AFTER INSERT ON unit_translations
WHEN new.search_text IS NOT NULL BEGIN
    INSERT INTO unit_search (unit_id, language, title, body)
    VALUES (new.unit_id, new.language, new.title, new.search_text);
END;

CREATE TRIGGER unit_search_update AFTER UPDATE ON unit_translations BEGIN
    DELETE FROM unit_search WHERE unit_id = old.unit_id AND language = old.language;
    INSERT INTO unit_search (unit_id, language, title, body)
    SELECT new.unit_id, new.language, new.title, new.search_text WHERE new.search_text IS NOT NULL;
END;

CREATE TRIGGER unit_search_delete AFTER DELETE ON unit_translations BEGIN
    DELETE FROM unit_search WHERE unit_id = old.unit_id AND language = old.language;
END;
