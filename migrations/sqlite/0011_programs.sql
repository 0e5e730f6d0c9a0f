-- Programs are built in the browser: a program's and each module's title and summary
-- are written per language with history like unit texts, a program (a new one, or a
-- copy for a new year) stays a draft until published, and modules can be archived.

ALTER TABLE programs ADD COLUMN source_language TEXT NOT NULL DEFAULT 'en'
    CHECK (source_language IN ('en', 'es', 'de', 'nl'));
-- Readers see a program once it is published; those who run it see it always.
ALTER TABLE programs ADD COLUMN published BIGINT NOT NULL DEFAULT 1;
-- Whoever created a program edits it before any cohort follows it.
ALTER TABLE programs ADD COLUMN created_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
-- An archived module is gone for readers; its units, texts and history stay.
ALTER TABLE modules ADD COLUMN archived_at BIGINT;

-- The current title and summary of a program in each language (`programs.name` is
-- the one in its source language, kept in step, unique among programs).
CREATE TABLE program_translations (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (program_id, language)
);
INSERT INTO program_translations (program_id, language, title, summary, revision)
SELECT id, 'en', name, description, 1 FROM programs;

ALTER TABLE module_translations ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;

-- Every published title and summary of a program or a module, numbered per language
-- as unit revisions are; the unique key makes two saves on the same base collide.
CREATE TABLE outline_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('program', 'module')),
    owner_id BIGINT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- For a translation: the source language's revision it was made from.
    source_number BIGINT,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, owner_id, language, number)
);

-- A text that could not be published (someone else published first), kept for its author.
CREATE TABLE outline_drafts (
    kind TEXT NOT NULL CHECK (kind IN ('program', 'module')),
    owner_id BIGINT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'es', 'de', 'nl')),
    author_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    base_number BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, owner_id, language, author_id)
);

-- The texts that exist become revision 1, translations made from the source's revision 1.
INSERT INTO outline_revisions (kind, owner_id, language, number, title, summary, source_number, created_at)
SELECT 'program', program_id, language, 1, title, summary, NULL, 0 FROM program_translations;
INSERT INTO outline_revisions (kind, owner_id, language, number, title, summary, source_number, created_at)
SELECT 'module', t.module_id, t.language, 1, t.title, t.summary,
       CASE WHEN t.language = m.source_language THEN NULL ELSE 1 END, 0
FROM module_translations t JOIN modules m ON m.id = t.module_id;

-- A program folder uploaded for import, checked and kept (as JSON) for its preview until
-- the facilitator creates the program from it, or for an hour.
CREATE TABLE program_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
