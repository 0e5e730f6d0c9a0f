//! Full-text search: module units in the reader's language, and forum posts
//! (cases included) wherever the reader may read them. SQLite answers from its
//! FTS5 tables, PostgreSQL from `tsvector` columns; both mark matched words
//! with [`MATCH_START`]/[`MATCH_END`] in their snippets.

use crate::error::DbError;
use crate::pool::{get, Db, Engine};
use crate::reading::Reader;
use kring_domain::search::{result_page, SearchQuery, MATCH_END, MATCH_START, RESULTS_PER_PAGE};
use kring_domain::{CircleId, CohortId, Language, PostId, Role, ThreadId, UnitId, UserId};
use sqlx::any::AnyRow;

/// One page of results, and whether another follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    pub hits: Vec<T>,
    pub more: bool,
}

impl<T> Found<T> {
    /// `rows` fetched with one more than a page holds: that one only tells
    /// that another page follows.
    fn of(rows: &[AnyRow], hit: impl Fn(&AnyRow) -> Result<T, DbError>) -> Result<Self, DbError> {
        let shown = rows.len().min(RESULTS_PER_PAGE as usize);
        Ok(Found {
            hits: rows[..shown].iter().map(hit).collect::<Result<_, _>>()?,
            more: rows.len() > shown,
        })
    }
}

/// A unit whose text matched a search, with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitHit {
    pub unit: UnitId,
    pub title: String,
    pub module_title: String,
    /// With [`MATCH_START`]/[`MATCH_END`] around matches.
    pub snippet: String,
}

/// A forum post whose text (or whose thread's title, for the post that opens
/// it) matched a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostHit {
    pub post: PostId,
    pub thread: ThreadId,
    pub thread_title: String,
    pub is_case: bool,
    pub cohort: CohortId,
    /// Set when the post is in a consultation circle.
    pub circle: Option<CircleId>,
    /// `None` once the author erased their account.
    pub author: Option<String>,
    pub created_at: i64,
    /// With [`MATCH_START`]/[`MATCH_END`] around matches.
    pub snippet: String,
}

/// A page's `LIMIT` and `OFFSET`: one row more than a page shows.
fn limit_and_offset(page: i64) -> (i64, i64) {
    (RESULTS_PER_PAGE + 1, result_page(page) * RESULTS_PER_PAGE)
}

impl Db {
    /// Published units (of modules not archived, in published programs) of the
    /// programs `reader` follows or facilitates (every unit for staff)
    /// whose text in `language` matches, best first; `page` counts from 0.
    pub async fn search_units(
        &self,
        query: &SearchQuery,
        language: Language,
        reader: Reader,
        page: i64,
    ) -> Result<Found<UnitHit>, DbError> {
        let (limit, offset) = limit_and_offset(page);
        // Both engines share the filter and the module title; only the match differs.
        let rows = match self.engine {
            Engine::Sqlite => {
                sqlx::query(
                    "SELECT s.unit_id, s.title, snippet(unit_search, 3, $5, $6, '…', 24) AS snippet, \
                     COALESCE(mt.title, st.title) AS module_title \
                     FROM unit_search s JOIN units u ON u.id = s.unit_id JOIN modules m ON m.id = u.module_id \
                     JOIN module_translations st ON st.module_id = m.id AND st.language = m.source_language \
                     LEFT JOIN module_translations mt ON mt.module_id = m.id AND mt.language = $2 \
                     WHERE unit_search MATCH $1 AND s.language = $2 AND ((u.published = 1 AND m.archived_at IS NULL \
                     AND EXISTS (SELECT 1 FROM programs p WHERE p.id = m.program_id AND p.published = 1)) OR $4 = 1) \
                     AND ($4 = 1 OR m.program_id IN (SELECT c.program_id FROM cohorts c \
                         JOIN cohort_members cm ON cm.cohort_id = c.id WHERE cm.user_id = $3 \
                         UNION SELECT c.program_id FROM cohorts c \
                         JOIN cohort_facilitators f ON f.cohort_id = c.id WHERE f.user_id = $3)) \
                     ORDER BY rank, s.unit_id LIMIT $7 OFFSET $8",
                )
                .bind(query.fts5_match())
                .bind(language.code())
                .bind(reader.user.0)
                .bind(i64::from(reader.staff))
                .bind(MATCH_START.to_string())
                .bind(MATCH_END.to_string())
                .bind(limit)
                .bind(offset)
                .fetch_all(&mut *self.connection().await?)
                .await?
            }
            Engine::Postgres => {
                sqlx::query(
                    "SELECT t.unit_id, t.title, \
                     ts_headline(CAST($5 AS regconfig), COALESCE(t.search_text, ''), q.query, $6) AS snippet, \
                     COALESCE(mt.title, st.title) AS module_title \
                     FROM unit_translations t JOIN units u ON u.id = t.unit_id JOIN modules m ON m.id = u.module_id \
                     JOIN module_translations st ON st.module_id = m.id AND st.language = m.source_language \
                     LEFT JOIN module_translations mt ON mt.module_id = m.id AND mt.language = $2 \
                     CROSS JOIN (SELECT to_tsquery(CAST($5 AS regconfig), $1) AS query) q \
                     WHERE t.search_vector @@ q.query AND t.language = $2 AND ((u.published = 1 AND m.archived_at IS NULL \
                     AND EXISTS (SELECT 1 FROM programs p WHERE p.id = m.program_id AND p.published = 1)) OR $4 = 1) \
                     AND ($4 = 1 OR m.program_id IN (SELECT c.program_id FROM cohorts c \
                         JOIN cohort_members cm ON cm.cohort_id = c.id WHERE cm.user_id = $3 \
                         UNION SELECT c.program_id FROM cohorts c \
                         JOIN cohort_facilitators f ON f.cohort_id = c.id WHERE f.user_id = $3)) \
                     ORDER BY ts_rank(t.search_vector, q.query) DESC, t.unit_id LIMIT $7 OFFSET $8",
                )
                .bind(query.tsquery())
                .bind(language.code())
                .bind(reader.user.0)
                .bind(i64::from(reader.staff))
                .bind(postgres_configuration(language))
                .bind(headline_options())
                .bind(limit)
                .bind(offset)
                .fetch_all(&mut *self.connection().await?)
                .await?
            }
        };
        Found::of(&rows, |row| {
            Ok(UnitHit {
                unit: UnitId(get(row, "unit_id")?),
                title: get(row, "title")?,
                module_title: get(row, "module_title")?,
                snippet: get(row, "snippet")?,
            })
        })
    }

    /// Forum posts `reader` may read (the forums of their cohorts; a circle's
    /// only as its member or as staff of its cohort) that match, newest first;
    /// hidden and removed posts never. `page` counts from 0. `role` is the
    /// reader's as the session knows it: it only chooses how the matches are
    /// walked, while what may be read is decided by the role stored now.
    pub async fn search_posts(
        &self,
        query: &SearchQuery,
        reader: UserId,
        role: Role,
        page: i64,
    ) -> Result<Found<PostHit>, DbError> {
        let (limit, offset) = limit_and_offset(page);
        // Newest first rather than best first: posts are walked in that order
        // and the walk stops after a page, where ranking would score every
        // match of a common word among hundreds of thousands of posts. Which
        // walk is quicker depends on how much of the forum the reader may
        // read; either way snippets are made for the page's posts alone, and
        // the access rule is the same.
        let everywhere = role.reads_every_forum();
        let rows = match self.engine {
            Engine::Sqlite => {
                // One walk along the matches, newest first, that stops after a
                // page: snippets come from the same walk, so the query (a
                // prefix query merges every word it begins) is evaluated once.
                let (readable, filter) = if everywhere {
                    // Admins read nearly every post: the walk stops soon.
                    (
                        "",
                        concat!("JOIN users u ON u.id = $2 WHERE ", may_read_category!()),
                    )
                } else {
                    // The posts of the reader's cohorts' forums they may read,
                    // first (few among many); the walk keeps to their range and
                    // looks each match up among them (the unary plus keeps the
                    // planner from walking them instead).
                    (
                        concat!(
                            "WITH readable AS MATERIALIZED (SELECT p.id FROM users u \
                             CROSS JOIN forum_categories c CROSS JOIN forum_threads t CROSS JOIN forum_posts p \
                             WHERE u.id = $2 AND c.cohort_id IN ",
                            readers_cohorts!(),
                            " AND ",
                            may_read_category!(),
                            " AND t.category_id = c.id AND p.thread_id = t.id) "
                        ),
                        "WHERE s.rowid BETWEEN (SELECT MIN(id) FROM readable) AND (SELECT MAX(id) FROM readable) \
                         AND +s.rowid IN (SELECT id FROM readable)",
                    )
                };
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{readable}SELECT p.id, p.thread_id, t.title, t.is_case, c.cohort_id, c.circle_id, \
                     a.display_name AS author, p.created_at, \
                     snippet(post_search, 1, $3, $4, '…', 24) AS snippet \
                     FROM post_search s CROSS JOIN forum_posts p \
                     JOIN forum_threads t ON t.id = p.thread_id \
                     JOIN forum_categories c ON c.id = t.category_id LEFT JOIN users a ON a.id = p.author_id \
                     {filter} AND post_search MATCH $1 AND p.id = s.rowid \
                     AND p.deleted_at IS NULL AND p.hidden_reason IS NULL \
                     ORDER BY s.rowid DESC LIMIT $5 OFFSET $6"
                )))
                .bind(query.fts5_match())
                .bind(reader.0)
                .bind(MATCH_START.to_string())
                .bind(MATCH_END.to_string())
                .bind(limit)
                .bind(offset)
                .fetch_all(&mut *self.connection().await?)
                .await?
            }
            Engine::Postgres => {
                let page_of_posts = if everywhere {
                    // Matches from the index, newest first, until a page of readable ones.
                    concat!(
                        "SELECT p.id FROM forum_posts p \
                         JOIN forum_threads t ON t.id = p.thread_id \
                         JOIN forum_categories c ON c.id = t.category_id \
                         JOIN users u ON u.id = $2 \
                         WHERE p.search_vector @@ to_tsquery('kring_words', $1) \
                         AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND ",
                        may_read_category!(),
                        " ORDER BY p.id DESC LIMIT $4 OFFSET $5"
                    )
                } else {
                    // From the reader outward: their cohorts, those cohorts'
                    // categories they may read, those categories' threads, then
                    // each thread's posts, checked against the query. Each
                    // step is fenced (`OFFSET 0`, a materialized list) so the
                    // planner follows the indexes from the reader rather than
                    // reading every thread, or every match of a common word.
                    concat!(
                        "WITH readable AS MATERIALIZED (SELECT t.id FROM users u \
                           CROSS JOIN LATERAL ",
                        readers_cohorts!(),
                        " mine CROSS JOIN LATERAL (SELECT c.id, c.cohort_id, c.circle_id FROM forum_categories c \
                             WHERE c.cohort_id = mine.cohort_id OFFSET 0) c \
                           CROSS JOIN LATERAL (SELECT t.id FROM forum_threads t WHERE t.category_id = c.id OFFSET 0) t \
                           WHERE u.id = $2 AND ",
                        may_read_category!(),
                        ") SELECT found.id FROM readable r CROSS JOIN LATERAL \
                           (SELECT p.id, p.search_vector FROM forum_posts p WHERE p.thread_id = r.id \
                            AND p.deleted_at IS NULL AND p.hidden_reason IS NULL OFFSET 0) found \
                         WHERE found.search_vector @@ to_tsquery('kring_words', $1) \
                         ORDER BY found.id DESC LIMIT $4 OFFSET $5"
                    )
                };
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT p.id, p.thread_id, t.title, t.is_case, c.cohort_id, c.circle_id, \
                     a.display_name AS author, p.created_at, \
                     ts_headline('kring_words', COALESCE(p.search_text, ''), to_tsquery('kring_words', $1), $3) AS snippet \
                     FROM ({page_of_posts}) page \
                     JOIN forum_posts p ON p.id = page.id \
                     JOIN forum_threads t ON t.id = p.thread_id \
                     JOIN forum_categories c ON c.id = t.category_id \
                     LEFT JOIN users a ON a.id = p.author_id ORDER BY p.id DESC"
                )))
                .bind(query.tsquery())
                .bind(reader.0)
                .bind(headline_options())
                .bind(limit)
                .bind(offset)
                .fetch_all(&mut *self.connection().await?)
                .await?
            }
        };
        Found::of(&rows, |row| {
            Ok(PostHit {
                post: PostId(get(row, "id")?),
                thread: ThreadId(get(row, "thread_id")?),
                thread_title: get(row, "title")?,
                is_case: get::<i64>(row, "is_case")? != 0,
                cohort: CohortId(get(row, "cohort_id")?),
                circle: get::<Option<i64>>(row, "circle_id")?.map(CircleId),
                author: get(row, "author")?,
                created_at: get(row, "created_at")?,
                snippet: get(row, "snippet")?,
            })
        })
    }

    /// Texts stored before search existed get their search text (run after
    /// migrating): unit texts, then forum posts, a batch at a time so a large
    /// forum never sits in memory at once.
    pub(crate) async fn index_unindexed_texts(&self) -> Result<(), DbError> {
        let rows = sqlx::query(
            "SELECT unit_id, language, body FROM unit_translations WHERE search_text IS NULL",
        )
        .fetch_all(&mut *self.connection().await?)
        .await?;
        for row in &rows {
            sqlx::query(
                "UPDATE unit_translations SET search_text = $1 WHERE unit_id = $2 AND language = $3",
            )
            .bind(kring_domain::markdown::search_text(&get::<String>(row, "body")?))
            .bind(get::<i64>(row, "unit_id")?)
            .bind(get::<String>(row, "language")?)
            .execute(&mut *self.connection().await?)
            .await?;
        }
        const BATCH: i64 = 500;
        loop {
            let posts = sqlx::query(
                "SELECT p.id, p.body, CASE WHEN p.id = (SELECT MIN(f.id) FROM forum_posts f \
                 WHERE f.thread_id = p.thread_id) THEN t.title END AS title \
                 FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id \
                 WHERE p.search_text IS NULL ORDER BY p.id LIMIT $1",
            )
            .bind(BATCH)
            .fetch_all(&mut *self.connection().await?)
            .await?;
            if posts.is_empty() {
                return Ok(());
            }
            let mut transaction = self.begin_write().await?;
            for post in &posts {
                sqlx::query(
                    "UPDATE forum_posts SET search_title = $2, search_text = $3 WHERE id = $1",
                )
                .bind(get::<i64>(post, "id")?)
                .bind(get::<Option<String>>(post, "title")?)
                .bind(kring_domain::markdown::search_text(&get::<String>(
                    post, "body",
                )?))
                .execute(&mut *transaction)
                .await?;
            }
            transaction.commit().await?;
            if (posts.len() as i64) < BATCH {
                return Ok(());
            }
        }
    }
}

/// How PostgreSQL marks matches in a snippet: the same marks as SQLite, two
/// short fragments.
fn headline_options() -> String {
    format!(
        "StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=35, MinWords=15, \
         MaxFragments=2, FragmentDelimiter=\" … \""
    )
}

/// PostgreSQL's text-search configuration for a language: its stemmer and stop words.
fn postgres_configuration(language: Language) -> &'static str {
    match language {
        Language::En => "english",
        Language::Es => "spanish",
        Language::De => "german",
        Language::Nl => "dutch",
    }
}
