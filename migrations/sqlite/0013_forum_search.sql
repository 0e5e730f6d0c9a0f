-- Full-text search over forum posts (cases included) and the titles of the threads they open.

-- Written by the application with each post: its words without Markdown marks,
-- and, for the post that opens a thread, the thread's title.
ALTER TABLE forum_posts ADD COLUMN search_title TEXT;
ALTER TABLE forum_posts ADD COLUMN search_text TEXT;

-- The index reads its texts from forum_posts (no second copy of every post);
-- the triggers keep it in step. Diacritics fold, and words match as prefixes,
-- as for units: posts are written in any language.
CREATE VIRTUAL TABLE post_search USING fts5 (
    search_title,
    search_text,
    content = 'forum_posts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER post_search_insert AFTER INSERT ON forum_posts BEGIN
    INSERT INTO post_search (rowid, search_title, search_text)
    VALUES (new.id, new.search_title, new.search_text);
END;

-- Only what was indexed is taken out: a post stored before this migration is
-- indexed when its search text is first written, and FTS5 counts every 'delete'.
CREATE TRIGGER post_search_update AFTER UPDATE OF search_title, search_text ON forum_posts BEGIN
    INSERT INTO post_search (post_search, rowid, search_title, search_text)
    SELECT 'delete', old.id, old.search_title, old.search_text
    WHERE old.search_title IS NOT NULL OR old.search_text IS NOT NULL;
    INSERT INTO post_search (rowid, search_title, search_text)
    VALUES (new.id, new.search_title, new.search_text);
END;

CREATE TRIGGER post_search_delete AFTER DELETE ON forum_posts BEGIN
    INSERT INTO post_search (post_search, rowid, search_title, search_text)
    SELECT 'delete', old.id, old.search_title, old.search_text
    WHERE old.search_title IS NOT NULL OR old.search_text IS NOT NULL;
END;
