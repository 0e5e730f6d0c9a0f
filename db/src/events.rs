//! The numbered event log of the forum: every new, edited, hidden or removed
//! post appends one event in its write transaction. Live streams replay it
//! after a dropped connection, and the pump (`live`) broadcasts it.

use crate::error::DbError;
use crate::hub::{EventKind, ForumEvent};
use crate::pool::{get, now, Db, Engine};
use crate::posts::POSTS_PER_PAGE;
use kring_domain::{CategoryId, PostId, ThreadId, UserId};
use sqlx::{Any, Transaction};

/// The channel PostgreSQL notifies on; the payload is the event id.
pub const FORUM_CHANNEL: &str = "kring_forum";

/// Events one live connection replays at most; past that the page reloads.
pub const MAX_REPLAY: i64 = 500;

/// Events (and access changes) the pump reads at once.
pub(crate) const PUMP_BATCH: i64 = 500;

/// What a page opening a thread reads before its posts, in one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadOpening {
    /// The thread's newest event (0 when none), where its live stream starts:
    /// a post committed after it is both on the page and sent live, and the
    /// page replaces it by id rather than missing it.
    pub latest_event: i64,
    /// The reader's first post not read yet.
    pub first_unread: Option<PostId>,
    pub posts: i64,
    /// The page (from 0) holding the post asked for, else the first unread
    /// post, else the last page.
    pub page: i64,
}

/// What a page listing a category's threads reads before them (with [`crate::CategoryHead`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryOpening {
    /// The category's newest event (0 when none), where its "new posts" bar starts.
    pub latest_event: i64,
    pub threads: i64,
}

/// Where reader `$2` opens thread `$1` (at post `$3` when given), as a table `o`
/// of one row: the `first` unread post, the thread's `posts`, its `latest_event`,
/// and the posts `before` the opening. How far the reader read comes first: the
/// first unread post is then one step along the thread's index, not a join
/// across all its posts. The thread's own count (kept with every post) saves
/// counting a long thread's index; only the posts before the opening are counted.
macro_rules! thread_opening_table {
    () => {
        "(SELECT u.first, n.posts, \
           (SELECT COALESCE(MAX(e.id), 0) FROM forum_events e WHERE e.thread_id = $1) AS latest_event, \
           CASE WHEN COALESCE($3, u.first) IS NULL THEN n.posts \
             ELSE (SELECT COUNT(*) FROM forum_posts b WHERE b.thread_id = $1 \
               AND b.id < COALESCE($3, u.first)) END AS before \
         FROM (SELECT (SELECT MIN(p.id) FROM forum_posts p \
             WHERE p.thread_id = $1 AND p.id > COALESCE((SELECT r.last_read_post_id \
               FROM forum_reads r WHERE r.thread_id = $1 AND r.user_id = $2), 0)) AS first) u, \
           (SELECT COALESCE((SELECT ct.post_count FROM forum_threads ct WHERE ct.id = $1), 0) AS posts) n) o"
    };
}
pub(crate) use thread_opening_table;

/// The opening read by [`thread_opening_table`]'s columns.
pub(crate) fn opening_from_row(row: &sqlx::any::AnyRow) -> Result<ThreadOpening, DbError> {
    let posts: i64 = get(row, "posts")?;
    let before: i64 = get(row, "before")?;
    let last_page = (posts - 1).max(0) / POSTS_PER_PAGE;
    Ok(ThreadOpening {
        latest_event: get(row, "latest_event")?,
        first_unread: get::<Option<i64>>(row, "first")?.map(PostId),
        posts,
        page: (before / POSTS_PER_PAGE).min(last_page),
    })
}

impl Db {
    /// Where `reader` opens `thread`: at `post` when given (and in it), else
    /// at their first unread post, else on the last page.
    pub async fn thread_opening(
        &self,
        thread: ThreadId,
        reader: UserId,
        post: Option<PostId>,
    ) -> Result<ThreadOpening, DbError> {
        let row = sqlx::query(concat!("SELECT o.* FROM ", thread_opening_table!()))
            .bind(thread.0)
            .bind(reader.0)
            .bind(post.map(|post| post.0))
            .fetch_one(&mut *self.connection().await?)
            .await?;
        opening_from_row(&row)
    }

    /// Appends to the event log. On PostgreSQL a transaction-long advisory
    /// lock makes ids follow commit order (an id taken by a transaction that
    /// commits later could otherwise be skipped by a client catching up), and
    /// the notification goes out with the commit, to every instance.
    pub(crate) async fn record_event(
        &self,
        transaction: &mut Transaction<'static, Any>,
        thread: ThreadId,
        post: PostId,
        kind: EventKind,
    ) -> Result<i64, DbError> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7265746)")
                .execute(&mut **transaction)
                .await?;
        }
        let row = sqlx::query(
            "INSERT INTO forum_events (thread_id, category_id, post_id, kind, created_at) \
             SELECT t.id, t.category_id, $2, $3, $4 FROM forum_threads t WHERE t.id = $1 RETURNING id",
        )
        .bind(thread.0)
        .bind(post.0)
        .bind(kind.code())
        .bind(now())
        .fetch_one(&mut **transaction)
        .await?;
        let id: i64 = get(&row, "id")?;
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(FORUM_CHANNEL)
                .bind(id.to_string())
                .execute(&mut **transaction)
                .await?;
        }
        Ok(id)
    }

    /// What a thread's live stream replays after event `after`: each changed
    /// post once, by its newest event (which is rendered as the post is now),
    /// oldest first; at most `MAX_REPLAY` + 1, so a caller sees when there are more.
    pub async fn events_after(
        &self,
        thread: ThreadId,
        after: i64,
    ) -> Result<Vec<ForumEvent>, DbError> {
        let rows = sqlx::query(
            "SELECT e.id, e.thread_id, e.category_id, e.post_id, e.kind FROM forum_events e \
             WHERE e.thread_id = $1 AND e.id > $2 \
             AND e.id = (SELECT MAX(newer.id) FROM forum_events newer WHERE newer.post_id = e.post_id) \
             ORDER BY e.id LIMIT $3",
        )
        .bind(thread.0)
        .bind(after)
        .bind(MAX_REPLAY + 1)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The new posts (their `created` events) in the threads of `category`
    /// after event `after`, oldest first; at most `MAX_REPLAY` + 1.
    pub async fn category_events_after(
        &self,
        category: CategoryId,
        after: i64,
    ) -> Result<Vec<ForumEvent>, DbError> {
        let rows = sqlx::query(
            "SELECT id, thread_id, category_id, post_id, kind FROM forum_events \
             WHERE category_id = $1 AND id > $2 AND kind = 'created' ORDER BY id LIMIT $3",
        )
        .bind(category.0)
        .bind(after)
        .bind(MAX_REPLAY + 1)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    pub(crate) async fn all_events_after(&self, after: i64) -> Result<Vec<ForumEvent>, DbError> {
        let rows = sqlx::query(
            "SELECT id, thread_id, category_id, post_id, kind FROM forum_events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(PUMP_BATCH)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(event_from_row).collect()
    }
}

/// An event's columns as stored.
#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    thread_id: i64,
    category_id: i64,
    post_id: i64,
    kind: String,
}

pub(crate) fn event_from_row(row: &sqlx::any::AnyRow) -> Result<ForumEvent, DbError> {
    let row = <EventRow as sqlx::FromRow<_>>::from_row(row)?;
    Ok(ForumEvent {
        id: row.id,
        thread: ThreadId(row.thread_id),
        category: CategoryId(row.category_id),
        post: PostId(row.post_id),
        kind: EventKind::parse(&row.kind)?,
    })
}
