-- Module content with history: every published text is a numbered revision per
-- unit and language; unit_translations keeps the current one for fast reading.
ALTER TABLE units ADD COLUMN published BIGINT NOT NULL DEFAULT 1;

CREATE TABLE unit_revisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    -- 1, 2, 3… per unit and language; the unique key makes two saves on the same base collide.
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- For a translation: the source language's revision it was made from.
    source_number BIGINT,
    -- For a restore: the revision whose text it brings back.
    restored_from BIGINT,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (unit_id, language, number)
);

-- Autosaved work in progress, one per person, unit and language.
CREATE TABLE unit_drafts (
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    author_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    base_number BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, language, author_id)
);

ALTER TABLE unit_translations ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;

-- The texts that exist become revision 1, translations made from the source's revision 1.
INSERT INTO unit_revisions (unit_id, language, number, title, body, source_number, created_at)
SELECT t.unit_id, t.language, 1, t.title, t.body,
       CASE WHEN t.language = m.source_language THEN NULL ELSE 1 END, 0
FROM unit_translations t JOIN units u ON u.id = t.unit_id JOIN modules m ON m.id = u.module_id;
