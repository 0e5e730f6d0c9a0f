//! The forum's storage: categories per cohort, threads and posts, consultation
//! circles with their limited places, and the numbered event log that live
//! updates replay after a dropped connection.

use crate::{get, now, Db, DbError, Engine};
use kring_domain::forum::{HideReason, PostBody, ReplyTag, ThreadTitle};
use kring_domain::{CategoryId, CircleId, CohortId, ModuleId, PostId, ThreadId, UserId};
use sqlx::{Any, Transaction};

/// What a category holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryKind {
    /// The discussion of one module.
    Module(ModuleId),
    /// Cases from members' practice, analysed by the whole group.
    Cases,
    General,
    /// A consultation circle's own, readable by its members only.
    Circle(CircleId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub cohort: CohortId,
    pub kind: CategoryKind,
}

/// A change live clients must see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Edited,
    Hidden,
    Deleted,
}

impl EventKind {
    fn code(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::Hidden => "hidden",
            EventKind::Deleted => "deleted",
        }
    }

    pub(crate) fn parse(code: &str) -> Result<Self, DbError> {
        match code {
            "created" => Ok(EventKind::Created),
            "edited" => Ok(EventKind::Edited),
            "hidden" => Ok(EventKind::Hidden),
            "deleted" => Ok(EventKind::Deleted),
            _ => Err(DbError::NotFound),
        }
    }
}

/// One numbered change. Ids rise in commit order on both engines, so "everything
/// after the last id I saw" misses nothing and repeats nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForumEvent {
    pub id: i64,
    pub thread: ThreadId,
    pub category: CategoryId,
    pub post: PostId,
    pub kind: EventKind,
}

/// A reply to store.
#[derive(Debug, Clone)]
pub struct NewReply<'a> {
    pub thread: ThreadId,
    pub author: UserId,
    pub body: &'a PostBody,
    pub tag: Option<ReplyTag>,
    pub quote_of: Option<PostId>,
}

/// A thread as a list shows it to one reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadSummary {
    pub id: ThreadId,
    pub title: String,
    pub author: Option<String>,
    pub is_case: bool,
    pub pinned: bool,
    pub locked: bool,
    pub post_count: i64,
    pub last_activity_at: i64,
    /// Posts this reader has not seen yet.
    pub unread: i64,
    /// Where the thread opens for this reader: the first post they have not seen.
    pub first_unread: Option<PostId>,
}

/// A category as the forum's front page lists it to one reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryOverview {
    pub category: Category,
    /// A module category's title in the reader's language, else the module's source language.
    pub module_title: Option<String>,
    pub threads: i64,
    /// Threads with posts this reader has not seen.
    pub unread_threads: i64,
}

/// A thread with where it lives, for permission checks and its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadRecord {
    pub id: ThreadId,
    pub category: Category,
    pub title: String,
    pub author_id: Option<UserId>,
    pub is_case: bool,
    pub pinned: bool,
    pub locked: bool,
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

/// Why someone is told about a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// A reply in a thread they started.
    Reply,
    /// Their post was quoted.
    Quote,
    /// They were @mentioned.
    Mention,
}

impl NotificationKind {
    pub(crate) fn parse(code: &str) -> Result<Self, DbError> {
        match code {
            "reply" => Ok(NotificationKind::Reply),
            "quote" => Ok(NotificationKind::Quote),
            "mention" => Ok(NotificationKind::Mention),
            _ => Err(DbError::NotFound),
        }
    }

    fn code(self) -> &'static str {
        match self {
            NotificationKind::Reply => "reply",
            NotificationKind::Quote => "quote",
            NotificationKind::Mention => "mention",
        }
    }
}

/// The channel PostgreSQL notifies on; the payload is the event id.
pub const FORUM_CHANNEL: &str = "kring_forum";

/// Posts a thread page shows at once.
pub const POSTS_PER_PAGE: i64 = 50;
/// Threads a category page lists at once.
pub const THREADS_PER_PAGE: i64 = 50;
/// Readers of one category matched against what is typed after `@`: a
/// cohort and its staff are far fewer.
const MENTION_POOL: i64 = 2000;
/// Events one live connection replays at most; past that the page reloads.
pub const MAX_REPLAY: i64 = 500;

impl Db {
    /// Gives a cohort its forum: a category per module of its program, then
    /// "cases" and "general". Adds only what is missing: whoever creates a
    /// cohort, or adds a module to a program, calls it (pages only read).
    pub async fn create_forum(&self, cohort: CohortId) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO forum_categories (cohort_id, kind, module_id, position) \
             SELECT c.id, 'module', m.id, 0 FROM cohorts c JOIN modules m ON m.program_id = c.program_id \
             WHERE c.id = $1 AND NOT EXISTS (SELECT 1 FROM forum_categories f \
                WHERE f.cohort_id = c.id AND f.kind = 'module' AND f.module_id = m.id)",
        )
        .bind(cohort.0)
        .execute(&mut *transaction)
        .await?;
        for kind in ["cases", "general"] {
            sqlx::query(
                "INSERT INTO forum_categories (cohort_id, kind, position) \
                 SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT), 0 WHERE NOT EXISTS \
                 (SELECT 1 FROM forum_categories WHERE cohort_id = CAST($1 AS BIGINT) AND kind = CAST($2 AS TEXT))",
            )
            .bind(cohort.0)
            .bind(kind)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// A cohort's categories in order, circles' last.
    pub async fn categories(&self, cohort: CohortId) -> Result<Vec<Category>, DbError> {
        let rows = sqlx::query(
            "SELECT f.id, f.cohort_id, f.kind, f.module_id, f.circle_id FROM forum_categories f \
             LEFT JOIN modules m ON m.id = f.module_id WHERE f.cohort_id = $1 \
             ORDER BY CASE f.kind WHEN 'module' THEN 0 WHEN 'cases' THEN 1 WHEN 'general' THEN 2 ELSE 3 END, \
             m.position, f.id",
        )
        .bind(cohort.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(category_from_row).collect()
    }

    /// A cohort's categories with their thread counts for `reader`, circles' left out
    /// (they are listed with their circles).
    pub async fn category_overview(
        &self,
        cohort: CohortId,
        reader: UserId,
        language: kring_domain::Language,
    ) -> Result<Vec<CategoryOverview>, DbError> {
        let rows = sqlx::query(
            "SELECT c.id, c.cohort_id, c.kind, c.module_id, c.circle_id, \
             COALESCE((SELECT title FROM module_translations mt WHERE mt.module_id = c.module_id AND mt.language = $3), \
                      (SELECT mt.title FROM module_translations mt JOIN modules m ON m.id = mt.module_id \
                       WHERE m.id = c.module_id AND mt.language = m.source_language)) AS module_title, \
             (SELECT COUNT(*) FROM forum_threads t WHERE t.category_id = c.id) AS threads, \
             (SELECT COUNT(*) FROM forum_threads t LEFT JOIN forum_reads r ON r.thread_id = t.id AND r.user_id = $2 \
              WHERE t.category_id = c.id AND t.last_post_id > COALESCE(r.last_read_post_id, 0)) AS unread_threads \
             FROM forum_categories c LEFT JOIN modules m ON m.id = c.module_id \
             WHERE c.cohort_id = $1 AND c.kind <> 'circle' \
             ORDER BY CASE c.kind WHEN 'module' THEN 0 WHEN 'cases' THEN 1 ELSE 2 END, m.position, c.id",
        )
        .bind(cohort.0)
        .bind(reader.0)
        .bind(language.code())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CategoryOverview {
                    category: category_from_row(row)?,
                    module_title: get(row, "module_title")?,
                    threads: get(row, "threads")?,
                    unread_threads: get(row, "unread_threads")?,
                })
            })
            .collect()
    }

    /// A module category's title in `language`, else the module's source language.
    pub async fn module_title(
        &self,
        module: ModuleId,
        language: kring_domain::Language,
    ) -> Result<String, DbError> {
        let row = sqlx::query(
            "SELECT mt.title FROM module_translations mt JOIN modules m ON m.id = mt.module_id \
             WHERE m.id = $1 AND (mt.language = $2 OR mt.language = m.source_language) \
             ORDER BY CASE WHEN mt.language = $2 THEN 0 ELSE 1 END LIMIT 1",
        )
        .bind(module.0)
        .bind(language.code())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DbError::NotFound)?;
        get(&row, "title")
    }

    /// Starts a thread with its first post.
    pub async fn start_thread(
        &self,
        category: CategoryId,
        author: UserId,
        title: &ThreadTitle,
        body: &PostBody,
        is_case: bool,
    ) -> Result<(ThreadId, PostId), DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        let thread = sqlx::query(
            "INSERT INTO forum_threads (category_id, author_id, title, is_case, last_activity_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(category.0)
        .bind(author.0)
        .bind(title.as_str())
        .bind(i64::from(is_case))
        .bind(at)
        .fetch_one(&mut *transaction)
        .await?;
        let thread = ThreadId(get(&thread, "id")?);
        let first = NewReply {
            thread,
            author,
            body,
            tag: None,
            quote_of: None,
        };
        let post = insert_post(&mut transaction, &first, at).await?;
        self.record_event(&mut transaction, thread, post, EventKind::Created)
            .await?;
        notify_about(&mut transaction, &first, post, at).await?;
        transaction.commit().await?;
        self.live.committed();
        Ok((thread, post))
    }

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
        let post = insert_post(&mut transaction, reply, at).await?;
        self.record_event(&mut transaction, reply.thread, post, EventKind::Created)
            .await?;
        notify_about(&mut transaction, reply, post, at).await?;
        transaction.commit().await?;
        self.live.committed();
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
        let changed = sqlx::query("UPDATE forum_posts SET body = $2, edited_at = $3 WHERE id = $1")
            .bind(post.0)
            .bind(body.as_str())
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
        .fetch_all(&self.pool)
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
        self.live.committed();
        Ok(Some(thread))
    }

    /// One page (from 0) of a category's threads for `reader`: pinned first,
    /// then the most recently active.
    pub async fn threads(
        &self,
        category: CategoryId,
        reader: UserId,
        page: i64,
    ) -> Result<Vec<ThreadSummary>, DbError> {
        let rows = sqlx::query(
            "SELECT t.id, t.title, u.display_name AS author, t.is_case, t.pinned, t.locked, t.post_count, \
             t.last_activity_at, \
             (SELECT COUNT(*) FROM forum_posts p WHERE p.thread_id = t.id \
                AND p.id > COALESCE(r.last_read_post_id, 0)) AS unread, \
             (SELECT MIN(p.id) FROM forum_posts p WHERE p.thread_id = t.id \
                AND p.id > COALESCE(r.last_read_post_id, 0)) AS first_unread \
             FROM forum_threads t LEFT JOIN users u ON u.id = t.author_id \
             LEFT JOIN forum_reads r ON r.thread_id = t.id AND r.user_id = $2 \
             WHERE t.category_id = $1 ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC \
             LIMIT $3 OFFSET $4",
        )
        .bind(category.0)
        .bind(reader.0)
        .bind(THREADS_PER_PAGE)
        .bind(page.max(0).saturating_mul(THREADS_PER_PAGE))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ThreadSummary {
                    id: ThreadId(get(row, "id")?),
                    title: get(row, "title")?,
                    author: get(row, "author")?,
                    is_case: get::<i64>(row, "is_case")? != 0,
                    pinned: get::<i64>(row, "pinned")? != 0,
                    locked: get::<i64>(row, "locked")? != 0,
                    post_count: get(row, "post_count")?,
                    last_activity_at: get(row, "last_activity_at")?,
                    unread: get(row, "unread")?,
                    first_unread: get::<Option<i64>>(row, "first_unread")?.map(PostId),
                })
            })
            .collect()
    }

    /// How many threads a category has.
    pub async fn thread_count(&self, category: CategoryId) -> Result<i64, DbError> {
        let row =
            sqlx::query("SELECT COUNT(*) AS threads FROM forum_threads WHERE category_id = $1")
                .bind(category.0)
                .fetch_one(&self.pool)
                .await?;
        get(&row, "threads")
    }

    /// One page (from 0) of a thread's posts in order, removed and hidden
    /// ones included (shown as such).
    pub async fn posts(&self, thread: ThreadId, page: i64) -> Result<Vec<PostRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author, p.body, p.tag, p.quote_of, \
             p.created_at, p.edited_at, p.deleted_at, p.hidden_reason \
             FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.thread_id = $1 ORDER BY p.id \
             LIMIT $2 OFFSET $3",
        )
        .bind(thread.0)
        .bind(POSTS_PER_PAGE)
        .bind(page.max(0).saturating_mul(POSTS_PER_PAGE))
        .fetch_all(&self.pool)
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
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(post_from_row).collect()
    }

    /// How many posts a thread has, and the page (from 0) holding `post`
    /// (the last page when `post` is not in the thread).
    pub async fn post_page(
        &self,
        thread: ThreadId,
        post: Option<PostId>,
    ) -> Result<(i64, i64), DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS posts, \
             CAST(SUM(CASE WHEN id < $2 THEN 1 ELSE 0 END) AS BIGINT) AS before \
             FROM forum_posts WHERE thread_id = $1",
        )
        .bind(thread.0)
        .bind(post.map_or(i64::MAX, |post| post.0))
        .fetch_one(&self.pool)
        .await?;
        let posts: i64 = get(&row, "posts")?;
        let before = get::<Option<i64>>(&row, "before")?.unwrap_or(0);
        let last_page = (posts - 1).max(0) / POSTS_PER_PAGE;
        Ok((posts, (before / POSTS_PER_PAGE).min(last_page)))
    }

    /// One post and the thread it is in.
    pub async fn post(&self, post: PostId) -> Result<(ThreadId, PostRecord), DbError> {
        let row = sqlx::query(
            "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author, p.body, p.tag, p.quote_of, \
             p.created_at, p.edited_at, p.deleted_at, p.hidden_reason \
             FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id = $1",
        )
        .bind(post.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DbError::NotFound)?;
        Ok((ThreadId(get(&row, "thread_id")?), post_from_row(&row)?))
    }

    /// One category and the cohort it belongs to.
    pub async fn category(&self, category: CategoryId) -> Result<Category, DbError> {
        let row = sqlx::query(
            "SELECT id, cohort_id, kind, module_id, circle_id FROM forum_categories WHERE id = $1",
        )
        .bind(category.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DbError::NotFound)?;
        category_from_row(&row)
    }

    /// One thread with its category.
    pub async fn thread(&self, thread: ThreadId) -> Result<ThreadRecord, DbError> {
        let row = sqlx::query(
            "SELECT t.id, t.title, t.author_id, t.is_case, t.pinned, t.locked, c.id AS category_id, \
             c.cohort_id, c.kind, c.module_id, c.circle_id \
             FROM forum_threads t JOIN forum_categories c ON c.id = t.category_id WHERE t.id = $1",
        )
        .bind(thread.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DbError::NotFound)?;
        Ok(ThreadRecord {
            id: thread,
            category: Category {
                id: CategoryId(get(&row, "category_id")?),
                cohort: CohortId(get(&row, "cohort_id")?),
                kind: category_kind(&row)?,
            },
            title: get(&row, "title")?,
            author_id: get::<Option<i64>>(&row, "author_id")?.map(UserId),
            is_case: get::<i64>(&row, "is_case")? != 0,
            pinned: get::<i64>(&row, "pinned")? != 0,
            locked: get::<i64>(&row, "locked")? != 0,
        })
    }

    pub async fn is_cohort_member(&self, user: UserId, cohort: CohortId) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM cohort_members WHERE cohort_id = $1 AND user_id = $2",
        )
        .bind(cohort.0)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    /// Pins a thread to the top of its category, or unpins it.
    pub async fn set_thread_pinned(&self, thread: ThreadId, pinned: bool) -> Result<(), DbError> {
        let changed = sqlx::query("UPDATE forum_threads SET pinned = $2 WHERE id = $1")
            .bind(thread.0)
            .bind(i64::from(pinned))
            .execute(&self.pool)
            .await?
            .rows_affected();
        found(changed)
    }

    /// Locks a thread against new replies, or opens it again.
    pub async fn set_thread_locked(&self, thread: ThreadId, locked: bool) -> Result<(), DbError> {
        let changed = sqlx::query("UPDATE forum_threads SET locked = $2 WHERE id = $1")
            .bind(thread.0)
            .bind(i64::from(locked))
            .execute(&self.pool)
            .await?
            .rows_affected();
        found(changed)
    }

    /// Moves a thread to another category of the same cohort.
    pub async fn move_thread(&self, thread: ThreadId, to: CategoryId) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE forum_threads SET category_id = $2 WHERE id = $1 AND $2 IN \
             (SELECT target.id FROM forum_categories target JOIN forum_categories source \
              ON source.cohort_id = target.cohort_id \
              JOIN forum_threads t ON t.category_id = source.id WHERE t.id = $1)",
        )
        .bind(thread.0)
        .bind(to.0)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        found(changed)?;
        // Later events follow the thread to its new category.
        sqlx::query("UPDATE forum_events SET category_id = $2 WHERE thread_id = $1")
            .bind(thread.0)
            .bind(to.0)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
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
        .fetch_one(&self.pool)
        .await?;
        Ok((
            get::<Option<i64>>(&row, "posts")?.unwrap_or(0),
            get(&row, "oldest")?,
        ))
    }

    /// Marks every thread of `category` read up to its newest post.
    pub async fn mark_category_read(
        &self,
        reader: UserId,
        category: CategoryId,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO forum_reads (user_id, thread_id, last_read_post_id) \
             SELECT $1, id, last_post_id FROM forum_threads WHERE category_id = $2 AND last_post_id > 0 \
             ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_post_id = \
             CASE WHEN excluded.last_read_post_id > forum_reads.last_read_post_id \
             THEN excluded.last_read_post_id ELSE forum_reads.last_read_post_id END",
        )
        .bind(reader.0)
        .bind(category.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

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
        .fetch_all(&self.pool)
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

    /// Remembers that `reader` has seen `thread` up to `post`; never moves back.
    pub async fn mark_read(
        &self,
        reader: UserId,
        thread: ThreadId,
        post: PostId,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO forum_reads (user_id, thread_id, last_read_post_id) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_post_id = \
             CASE WHEN excluded.last_read_post_id > forum_reads.last_read_post_id \
             THEN excluded.last_read_post_id ELSE forum_reads.last_read_post_id END",
        )
        .bind(reader.0)
        .bind(thread.0)
        .bind(post.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The first post `reader` has not seen, where the thread should open.
    pub async fn first_unread(
        &self,
        reader: UserId,
        thread: ThreadId,
    ) -> Result<Option<PostId>, DbError> {
        let row = sqlx::query(
            "SELECT MIN(p.id) AS first FROM forum_posts p \
             LEFT JOIN forum_reads r ON r.thread_id = p.thread_id AND r.user_id = $2 \
             WHERE p.thread_id = $1 AND p.id > COALESCE(r.last_read_post_id, 0)",
        )
        .bind(thread.0)
        .bind(reader.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(get::<Option<i64>>(&row, "first")?.map(PostId))
    }

    /// Appends to the event log. On PostgreSQL a transaction-long advisory
    /// lock makes ids follow commit order (an id taken by a transaction that
    /// commits later could otherwise be skipped by a client catching up), and
    /// the notification goes out with the commit, to every instance.
    async fn record_event(
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
        rows.iter().map(crate::live::event_from_row).collect()
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
        rows.iter().map(crate::live::event_from_row).collect()
    }
}

/// Tells the thread's author about a reply, a quoted author about the quote,
/// and everyone @mentioned; never the person who wrote the post, and one
/// notification per person, post and reason.
async fn notify_about(
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

/// Stores a post and moves its thread's counters.
async fn insert_post(
    transaction: &mut Transaction<'static, Any>,
    reply: &NewReply<'_>,
    at: i64,
) -> Result<PostId, DbError> {
    let row = sqlx::query(
        "INSERT INTO forum_posts (thread_id, author_id, body, tag, quote_of, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(reply.thread.0)
    .bind(reply.author.0)
    .bind(reply.body.as_str())
    .bind(reply.tag.map(ReplyTag::code))
    .bind(reply.quote_of.map(|post| post.0))
    .bind(at)
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

fn category_kind(row: &sqlx::any::AnyRow) -> Result<CategoryKind, DbError> {
    Ok(match get::<String>(row, "kind")?.as_str() {
        "module" => CategoryKind::Module(ModuleId(get(row, "module_id")?)),
        "cases" => CategoryKind::Cases,
        "general" => CategoryKind::General,
        _ => CategoryKind::Circle(CircleId(get(row, "circle_id")?)),
    })
}

fn category_from_row(row: &sqlx::any::AnyRow) -> Result<Category, DbError> {
    Ok(Category {
        id: CategoryId(get(row, "id")?),
        cohort: CohortId(get(row, "cohort_id")?),
        kind: category_kind(row)?,
    })
}

fn post_from_row(row: &sqlx::any::AnyRow) -> Result<PostRecord, DbError> {
    Ok(PostRecord {
        id: PostId(get(row, "id")?),
        author_id: get::<Option<i64>>(row, "author_id")?.map(UserId),
        author: get(row, "author")?,
        body: get(row, "body")?,
        tag: ReplyTag::parse_optional(&get::<Option<String>>(row, "tag")?.unwrap_or_default())?,
        quote_of: get::<Option<i64>>(row, "quote_of")?.map(PostId),
        created_at: get(row, "created_at")?,
        edited: get::<Option<i64>>(row, "edited_at")?.is_some(),
        deleted: get::<Option<i64>>(row, "deleted_at")?.is_some(),
        hidden_reason: get(row, "hidden_reason")?,
    })
}

/// `NotFound` when an update touched no row.
fn found(changed: u64) -> Result<(), DbError> {
    if changed == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}
