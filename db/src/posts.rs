//! Posts: replies, edits (with their history), removal and hiding, each
//! recorded in the event log in its write transaction; the pages of a thread,
//! and who may be @mentioned and notified.

use crate::error::DbError;
use crate::hub::EventKind;
use crate::notifications::NotificationKind;
use crate::pool::{get, now, Db};
use kring_domain::forum::{HideReason, PostBody, ReplyTag, ThreadTitle};
use kring_domain::markdown::search_text;
use kring_domain::{CategoryId, PostId, ThreadId, UserId};
use sqlx::{Any, Transaction};

/// A reply to store.
#[derive(Debug, Clone)]
pub struct NewReply<'a> {
    pub thread: ThreadId,
    pub author: UserId,
    pub body: &'a PostBody,
    pub tag: Option<ReplyTag>,
    pub quote_of: Option<PostId>,
}

/// A post as a thread shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRecord {
    pub id: PostId,
    pub author_id: Option<UserId>,
    pub author: Option<String>,
    pub body: String,
    pub tag: Option<ReplyTag>,
    pub quote_of: Option<PostId>,
    pub created_at: i64,
    pub edited: bool,
    pub deleted: bool,
    pub hidden_reason: Option<String>,
}

/// Posts a thread page shows at once.
pub const POSTS_PER_PAGE: i64 = 50;
/// Readers of one category matched against what is typed after `@`: a
/// cohort and its staff are far fewer.
const MENTION_POOL: i64 = 2000;

impl Db {
    /// Adds a reply to a thread that is not locked.
    pub async fn reply(&self, reply: &NewReply<'_>) -> Result<PostId, DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        let thread = sqlx::query("SELECT locked FROM forum_threads WHERE id = $1")
            .bind(reply.thread.0)
            .fetch_optional(&mut *transaction)
            .await?
            .ok_or(DbError::NotFound)?;
        if get::<i64>(&thread, "locked")? != 0 {
            return Err(DbError::ThreadLocked);
        }
        let post = insert_post(&mut transaction, reply, None, at).await?;
        self.record_event(&mut transaction, reply.thread, post, EventKind::Created)
            .await?;
        notify_about(&mut transaction, reply, post, at).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(post)
    }

    /// Replaces the text of `author`'s own post, keeping the old text in its
    /// history; `None` when the post is not theirs, is gone or was hidden. An
    /// edit obeys the rules of posting: none in a locked thread.
    pub async fn edit_post(
        &self,
        post: PostId,
        author: UserId,
        body: &PostBody,
    ) -> Result<Option<ThreadId>, DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "SELECT p.body, t.locked FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id \
             WHERE p.id = $1 AND p.author_id = $2 AND p.deleted_at IS NULL AND p.hidden_reason IS NULL",
        )
        .bind(post.0)
        .bind(author.0)
        .fetch_optional(&mut *transaction)
        .await?
        else {
            return Ok(None);
        };
        if get::<i64>(&row, "locked")? != 0 {
            return Err(DbError::ThreadLocked);
        }
        sqlx::query(
            "INSERT INTO forum_post_edits (post_id, body, replaced_at, edited_by) VALUES ($1, $2, $3, $4)",
        )
        .bind(post.0)
        .bind(get::<String>(&row, "body")?)
        .bind(at)
        .bind(author.0)
        .execute(&mut *transaction)
        .await?;
        let changed = sqlx::query(
            "UPDATE forum_posts SET body = $2, search_text = $3, edited_at = $4 WHERE id = $1",
        )
        .bind(post.0)
        .bind(body.as_str())
        .bind(search_text(body.as_str()))
        .bind(at)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        self.announce_change(transaction, post, changed, EventKind::Edited)
            .await
    }

    /// The earlier texts of a post, oldest first: (text, when it was replaced).
    pub async fn post_history(&self, post: PostId) -> Result<Vec<(String, i64)>, DbError> {
        let rows = sqlx::query(
            "SELECT body, replaced_at FROM forum_post_edits WHERE post_id = $1 ORDER BY id",
        )
        .bind(post.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| Ok((get(row, "body")?, get(row, "replaced_at")?)))
            .collect()
    }

    /// Removes `author`'s own post: it stays in the thread, shown as removed;
    /// `None` when the post is not theirs (or already removed).
    pub async fn delete_post(
        &self,
        post: PostId,
        author: UserId,
    ) -> Result<Option<ThreadId>, DbError> {
        let mut transaction = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE forum_posts SET deleted_at = $3 WHERE id = $1 AND author_id = $2 AND deleted_at IS NULL",
        )
        .bind(post.0)
        .bind(author.0)
        .bind(now())
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        self.announce_change(transaction, post, changed, EventKind::Deleted)
            .await
    }

    /// A facilitator hides a post with a reason, which its author is shown.
    pub async fn hide_post(
        &self,
        post: PostId,
        facilitator: UserId,
        reason: &HideReason,
    ) -> Result<Option<ThreadId>, DbError> {
        let mut transaction = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE forum_posts SET hidden_reason = $2, hidden_by = $3 WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(post.0)
        .bind(reason.as_str())
        .bind(facilitator.0)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        self.announce_change(transaction, post, changed, EventKind::Hidden)
            .await
    }

    /// Records the event for a post that changed and commits; `None` when nothing changed.
    async fn announce_change(
        &self,
        mut transaction: Transaction<'static, Any>,
        post: PostId,
        changed: u64,
        kind: EventKind,
    ) -> Result<Option<ThreadId>, DbError> {
        if changed == 0 {
            return Ok(None);
        }
        let row = sqlx::query("SELECT thread_id FROM forum_posts WHERE id = $1")
            .bind(post.0)
            .fetch_one(&mut *transaction)
            .await?;
        let thread = ThreadId(get(&row, "thread_id")?);
        self.record_event(&mut transaction, thread, post, kind)
            .await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(Some(thread))
    }

    /// One page (from 0) of a thread's posts in order, removed and hidden
    /// ones included (shown as such). The page's first post is found in the
    /// index alone: an OFFSET over whole rows would read, and join, every post
    /// before the page (2,000 of them on the last page of a long thread).
    pub async fn posts(&self, thread: ThreadId, page: i64) -> Result<Vec<PostRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author, p.body, p.tag, p.quote_of, \
             p.created_at, p.edited_at, p.deleted_at, p.hidden_reason \
             FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id \
             WHERE p.thread_id = $1 AND p.id >= ( \
               SELECT id FROM forum_posts WHERE thread_id = $1 ORDER BY id LIMIT 1 OFFSET $3) \
             ORDER BY p.id LIMIT $2",
        )
        .bind(thread.0)
        .bind(POSTS_PER_PAGE)
        .bind(page.max(0).saturating_mul(POSTS_PER_PAGE))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(post_from_row).collect()
    }

    /// A case thread's tagged replies that everyone may read (neither hidden
    /// nor removed), in order: what the case owner's summary gathers.
    pub async fn tagged_posts(&self, thread: ThreadId) -> Result<Vec<PostRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author, p.body, p.tag, p.quote_of, \
             p.created_at, p.edited_at, p.deleted_at, p.hidden_reason \
             FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.thread_id = $1 \
             AND p.tag IS NOT NULL AND p.deleted_at IS NULL AND p.hidden_reason IS NULL ORDER BY p.id",
        )
        .bind(thread.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(post_from_row).collect()
    }

    /// One post and the thread it is in.
    pub async fn post(&self, post: PostId) -> Result<(ThreadId, PostRecord), DbError> {
        let row = sqlx::query(
            "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author, p.body, p.tag, p.quote_of, \
             p.created_at, p.edited_at, p.deleted_at, p.hidden_reason \
             FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id = $1",
        )
        .bind(post.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        Ok((ThreadId(get(&row, "thread_id")?), post_from_row(&row)?))
    }

    /// How many posts `author` wrote or edited since `since`, and when the
    /// oldest of them was: edits count towards the posting rate too.
    pub async fn posts_since(
        &self,
        author: UserId,
        since: i64,
    ) -> Result<(i64, Option<i64>), DbError> {
        let row = sqlx::query(
            "SELECT CAST(SUM(writes) AS BIGINT) AS posts, MIN(oldest) AS oldest FROM ( \
               SELECT COUNT(*) AS writes, MIN(created_at) AS oldest FROM forum_posts \
               WHERE author_id = $1 AND created_at > $2 \
               UNION ALL \
               SELECT COUNT(*) AS writes, MIN(replaced_at) AS oldest FROM forum_post_edits \
               WHERE edited_by = $1 AND replaced_at > $2) AS recent",
        )
        .bind(author.0)
        .bind(since)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok((
            get::<Option<i64>>(&row, "posts")?.unwrap_or(0),
            get(&row, "oldest")?,
        ))
    }

    /// Members who may read `category` whose handle or a word of whose name
    /// starts with `prefix` (accents and case aside): (handle, name), at most 8.
    /// Addresses are never matched or returned.
    pub async fn mention_candidates(
        &self,
        category: CategoryId,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, DbError> {
        let rows = sqlx::query(concat!(
            "SELECT u.handle, u.display_name FROM users u JOIN forum_categories c ON c.id = $1 \
             WHERE u.handle IS NOT NULL AND ",
            may_read_category!(),
            " ORDER BY u.display_name LIMIT $2"
        ))
        .bind(category.0)
        .bind(MENTION_POOL)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let wanted = kring_domain::forum::MentionPrefix::new(prefix);
        let mut found = Vec::new();
        for row in &rows {
            let handle: String = get(row, "handle")?;
            let name: String = get(row, "display_name")?;
            if wanted.matches(&handle, &name) {
                found.push((handle, name));
                if found.len() == 8 {
                    break;
                }
            }
        }
        Ok(found)
    }
}

/// Tells the thread's author about a reply, a quoted author about the quote,
/// and everyone @mentioned; never the person who wrote the post, and one
/// notification per person, post and reason.
pub(crate) async fn notify_about(
    transaction: &mut Transaction<'static, Any>,
    reply: &NewReply<'_>,
    post: PostId,
    at: i64,
) -> Result<(), DbError> {
    let mut told: Vec<(i64, NotificationKind)> = Vec::new();
    let starter = sqlx::query("SELECT author_id FROM forum_threads WHERE id = $1")
        .bind(reply.thread.0)
        .fetch_one(&mut **transaction)
        .await?;
    if let Some(starter) = get::<Option<i64>>(&starter, "author_id")? {
        told.push((starter, NotificationKind::Reply));
    }
    if let Some(quoted) = reply.quote_of {
        let row = sqlx::query("SELECT author_id FROM forum_posts WHERE id = $1 AND thread_id = $2")
            .bind(quoted.0)
            .bind(reply.thread.0)
            .fetch_optional(&mut **transaction)
            .await?;
        if let Some(author) = row
            .map(|row| get::<Option<i64>>(&row, "author_id"))
            .transpose()?
            .flatten()
        {
            told.push((author, NotificationKind::Quote));
        }
    }
    // Every @handle in one query, among the people who may read the thread
    // (so a circle's question never reaches outsiders). `PostBody` allows at
    // most `MAX_MENTIONS`, so the list of placeholders stays short.
    let handles = reply.body.mentions();
    if !handles.is_empty() {
        let placeholders: Vec<String> = (0..handles.len()).map(|n| format!("${}", n + 2)).collect();
        let sql = format!(
            "SELECT u.id FROM users u JOIN forum_threads t ON t.id = $1 \
             JOIN forum_categories c ON c.id = t.category_id WHERE u.handle IN ({}) AND {}",
            placeholders.join(", "),
            may_read_category!()
        );
        let mut mentioned = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(reply.thread.0);
        for handle in &handles {
            mentioned = mentioned.bind(handle.as_str());
        }
        for row in mentioned.fetch_all(&mut **transaction).await? {
            told.push((get(&row, "id")?, NotificationKind::Mention));
        }
    }
    for (user, kind) in told {
        if user == reply.author.0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id, post_id, kind) DO NOTHING",
        )
        .bind(user)
        .bind(kind.code())
        .bind(post.0)
        .bind(reply.author.0)
        .bind(at)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// Stores a post, searchable at once (with `thread_title` when it opens its
/// thread), and moves its thread's counters.
pub(crate) async fn insert_post(
    transaction: &mut Transaction<'static, Any>,
    reply: &NewReply<'_>,
    thread_title: Option<&ThreadTitle>,
    at: i64,
) -> Result<PostId, DbError> {
    let row = sqlx::query(
        "INSERT INTO forum_posts (thread_id, author_id, body, tag, quote_of, created_at, search_title, search_text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(reply.thread.0)
    .bind(reply.author.0)
    .bind(reply.body.as_str())
    .bind(reply.tag.map(ReplyTag::code))
    .bind(reply.quote_of.map(|post| post.0))
    .bind(at)
    .bind(thread_title.map(ThreadTitle::as_str))
    .bind(search_text(reply.body.as_str()))
    .fetch_one(&mut **transaction)
    .await?;
    let post = PostId(get(&row, "id")?);
    sqlx::query(
        "UPDATE forum_threads SET post_count = post_count + 1, last_post_id = $2, last_activity_at = $3 WHERE id = $1",
    )
    .bind(reply.thread.0)
    .bind(post.0)
    .bind(at)
    .execute(&mut **transaction)
    .await?;
    Ok(post)
}

/// A post's columns as stored.
#[derive(sqlx::FromRow)]
struct PostRow {
    id: i64,
    author_id: Option<i64>,
    author: Option<String>,
    body: String,
    tag: Option<String>,
    quote_of: Option<i64>,
    created_at: i64,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    hidden_reason: Option<String>,
}

fn post_from_row(row: &sqlx::any::AnyRow) -> Result<PostRecord, DbError> {
    let row = <PostRow as sqlx::FromRow<_>>::from_row(row)?;
    Ok(PostRecord {
        id: PostId(row.id),
        author_id: row.author_id.map(UserId),
        author: row.author,
        body: row.body,
        tag: ReplyTag::parse_optional(&row.tag.unwrap_or_default())?,
        quote_of: row.quote_of.map(PostId),
        created_at: row.created_at,
        edited: row.edited_at.is_some(),
        deleted: row.deleted_at.is_some(),
        hidden_reason: row.hidden_reason,
    })
}
