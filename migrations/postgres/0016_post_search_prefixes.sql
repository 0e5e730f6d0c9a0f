-- SQLite's post index gained lists for word prefixes in this step; PostgreSQL's
-- GIN index on the posts' tsvector already answers prefix queries from its
-- entries, so the schemas of both engines stay at the same version with nothing
-- to change here.
SELECT 1;
