//! The numbered event log of the forum: every new, edited, hidden or removed
//! post appends one event in its write transaction. Live streams replay it
//! after a dropped connection, and the pump (`live`) broadcasts it.

use crate::error::DbError;
use crate::hub::{EventKind, ForumEvent};
use crate::pool::{get, now, Db, Engine};
use kring_domain::{CategoryId, PostId, ThreadId};
use sqlx::{Any, Transaction};

/// The channel PostgreSQL notifies on; the payload is the event id.
pub const FORUM_CHANNEL: &str = "kring_forum";

/// Events one live connection replays at most; past that the page reloads.
pub const MAX_REPLAY: i64 = 500;

/// Events (and access changes) the pump reads at once.
pub(crate) const PUMP_BATCH: i64 = 500;

impl Db {
    /// The newest event of a thread (0 when none), where a live page starts listening.
    pub async fn latest_thread_event(&self, thread: ThreadId) -> Result<i64, DbError> {
        let row = sqlx::query(
            "SELECT COALESCE(MAX(id), 0) AS latest FROM forum_events WHERE thread_id = $1",
        )
        .bind(thread.0)
        .fetch_one(&self.pool)
        .await?;
        get(&row, "latest")
    }

    /// The newest event in a category (0 when none).
    pub async fn latest_category_event(&self, category: CategoryId) -> Result<i64, DbError> {
        let row = sqlx::query(
            "SELECT COALESCE(MAX(id), 0) AS latest FROM forum_events WHERE category_id = $1",
        )
        .bind(category.0)
        .fetch_one(&self.pool)
        .await?;
        get(&row, "latest")
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
        .fetch_all(&self.pool)
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
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    pub(crate) async fn all_events_after(&self, after: i64) -> Result<Vec<ForumEvent>, DbError> {
        let rows = sqlx::query(
            "SELECT id, thread_id, category_id, post_id, kind FROM forum_events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(PUMP_BATCH)
        .fetch_all(&self.pool)
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
