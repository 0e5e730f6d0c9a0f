//! The forum's storage: categories per cohort, threads and posts, consultation
//! circles with their limited places, and the numbered event log that live
//! updates replay after a dropped connection.

use crate::{get, now, Db, DbError, Engine};
use kring_domain::forum::{PostBody, ReplyTag, ThreadTitle};
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

    fn parse(code: &str) -> Result<Self, DbError> {
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

impl Db {
    /// Gives a cohort its forum: a category per module of its program, then
    /// "cases" and "general". Does nothing when the cohort has one already.
    pub async fn create_forum(&self, cohort: CohortId) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let existing =
            sqlx::query("SELECT COUNT(*) AS categories FROM forum_categories WHERE cohort_id = $1")
                .bind(cohort.0)
                .fetch_one(&mut *transaction)
                .await?;
        if get::<i64>(&existing, "categories")? > 0 {
            return Ok(());
        }
        let modules = sqlx::query(
            "SELECT m.id FROM modules m JOIN cohorts c ON c.program_id = m.program_id \
             WHERE c.id = $1 ORDER BY m.position, m.id",
        )
        .bind(cohort.0)
        .fetch_all(&mut *transaction)
        .await?;
        let mut position = 0;
        for module in &modules {
            position += 1;
            sqlx::query(
                "INSERT INTO forum_categories (cohort_id, kind, module_id, position) VALUES ($1, 'module', $2, $3)",
            )
            .bind(cohort.0)
            .bind(get::<i64>(module, "id")?)
            .bind(position)
            .execute(&mut *transaction)
            .await?;
        }
        for kind in ["cases", "general"] {
            position += 1;
            sqlx::query(
                "INSERT INTO forum_categories (cohort_id, kind, position) VALUES ($1, $2, $3)",
            )
            .bind(cohort.0)
            .bind(kind)
            .bind(position)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// A cohort's categories in order, circles' last.
    pub async fn categories(&self, cohort: CohortId) -> Result<Vec<Category>, DbError> {
        let rows = sqlx::query(
            "SELECT id, kind, module_id, circle_id FROM forum_categories WHERE cohort_id = $1 ORDER BY position, id",
        )
        .bind(cohort.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let kind = match get::<String>(row, "kind")?.as_str() {
                    "module" => CategoryKind::Module(ModuleId(get(row, "module_id")?)),
                    "cases" => CategoryKind::Cases,
                    "general" => CategoryKind::General,
                    _ => CategoryKind::Circle(CircleId(get(row, "circle_id")?)),
                };
                Ok(Category {
                    id: CategoryId(get(row, "id")?),
                    cohort,
                    kind,
                })
            })
            .collect()
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
        let post = insert_post(
            &mut transaction,
            &NewReply {
                thread,
                author,
                body,
                tag: None,
                quote_of: None,
            },
            at,
        )
        .await?;
        self.record_event(&mut transaction, thread, post, EventKind::Created)
            .await?;
        transaction.commit().await?;
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
        Ok(post)
    }

    /// Replaces the text of `author`'s own post, keeping the old text in its
    /// history; `None` when the post is not theirs (or is gone).
    pub async fn edit_post(
        &self,
        post: PostId,
        author: UserId,
        body: &PostBody,
    ) -> Result<Option<ThreadId>, DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "SELECT body FROM forum_posts WHERE id = $1 AND author_id = $2 AND deleted_at IS NULL",
        )
        .bind(post.0)
        .bind(author.0)
        .fetch_optional(&mut *transaction)
        .await?
        else {
            return Ok(None);
        };
        sqlx::query(
            "INSERT INTO forum_post_edits (post_id, body, replaced_at) VALUES ($1, $2, $3)",
        )
        .bind(post.0)
        .bind(get::<String>(&row, "body")?)
        .bind(at)
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
        reason: &str,
    ) -> Result<Option<ThreadId>, DbError> {
        let mut transaction = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE forum_posts SET hidden_reason = $2, hidden_by = $3 WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(post.0)
        .bind(reason)
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
        Ok(Some(thread))
    }

    /// The threads of a category for `reader`: pinned first, then the most recently active.
    pub async fn threads(
        &self,
        category: CategoryId,
        reader: UserId,
    ) -> Result<Vec<ThreadSummary>, DbError> {
        let rows = sqlx::query(
            "SELECT t.id, t.title, u.display_name AS author, t.is_case, t.pinned, t.locked, t.post_count, \
             t.last_activity_at, \
             (SELECT COUNT(*) FROM forum_posts p WHERE p.thread_id = t.id \
                AND p.id > COALESCE(r.last_read_post_id, 0)) AS unread \
             FROM forum_threads t LEFT JOIN users u ON u.id = t.author_id \
             LEFT JOIN forum_reads r ON r.thread_id = t.id AND r.user_id = $2 \
             WHERE t.category_id = $1 ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC",
        )
        .bind(category.0)
        .bind(reader.0)
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
                })
            })
            .collect()
    }

    /// A thread's posts in order, removed and hidden ones included (shown as such).
    pub async fn posts(&self, thread: ThreadId) -> Result<Vec<PostRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT p.id, p.author_id, u.display_name AS author, p.body, p.tag, p.quote_of, p.created_at, \
             p.edited_at, p.deleted_at, p.hidden_reason \
             FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.thread_id = $1 ORDER BY p.id",
        )
        .bind(thread.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PostRecord {
                    id: PostId(get(row, "id")?),
                    author_id: get::<Option<i64>>(row, "author_id")?.map(UserId),
                    author: get(row, "author")?,
                    body: get(row, "body")?,
                    tag: ReplyTag::parse_optional(
                        &get::<Option<String>>(row, "tag")?.unwrap_or_default(),
                    )?,
                    quote_of: get::<Option<i64>>(row, "quote_of")?.map(PostId),
                    created_at: get(row, "created_at")?,
                    edited: get::<Option<i64>>(row, "edited_at")?.is_some(),
                    deleted: get::<Option<i64>>(row, "deleted_at")?.is_some(),
                    hidden_reason: get(row, "hidden_reason")?,
                })
            })
            .collect()
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

    /// How many notifications `user` has not read.
    pub async fn unread_notifications(&self, user: UserId) -> Result<i64, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        get(&row, "unread")
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

    /// The events of `thread` after event `after`, oldest first.
    pub async fn events_after(
        &self,
        thread: ThreadId,
        after: i64,
    ) -> Result<Vec<ForumEvent>, DbError> {
        let rows = sqlx::query(
            "SELECT id, thread_id, post_id, kind FROM forum_events WHERE thread_id = $1 AND id > $2 ORDER BY id",
        )
        .bind(thread.0)
        .bind(after)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ForumEvent {
                    id: get(row, "id")?,
                    thread: ThreadId(get(row, "thread_id")?),
                    post: PostId(get(row, "post_id")?),
                    kind: EventKind::parse(&get::<String>(row, "kind")?)?,
                })
            })
            .collect()
    }

    /// Opens a consultation circle with its own category. `capacity` is 1 to 10.
    pub async fn open_circle(
        &self,
        cohort: CohortId,
        question: &ThreadTitle,
        capacity: i64,
        opened_by: UserId,
    ) -> Result<(CircleId, CategoryId), DbError> {
        if !(1..=kring_domain::SessionKind::CIRCLE_MAX).contains(&capacity) {
            return Err(kring_domain::DomainError::CircleTooLarge.into());
        }
        let mut transaction = self.begin_write().await?;
        let circle = sqlx::query(
            "INSERT INTO circles (cohort_id, question, opened_by, capacity, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(cohort.0)
        .bind(question.as_str())
        .bind(opened_by.0)
        .bind(capacity)
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let circle = CircleId(get(&circle, "id")?);
        let category = sqlx::query(
            "INSERT INTO forum_categories (cohort_id, kind, circle_id, position) \
             SELECT $1, 'circle', $2, COALESCE(MAX(position), 0) + 1 FROM forum_categories WHERE cohort_id = $1 \
             RETURNING id",
        )
        .bind(cohort.0)
        .bind(circle.0)
        .fetch_one(&mut *transaction)
        .await?;
        let category = CategoryId(get(&category, "id")?);
        transaction.commit().await?;
        Ok((circle, category))
    }

    /// Takes a place in an open circle. One conditional update takes the place,
    /// so however many join at once, the circle never holds more than its capacity.
    pub async fn join_circle(&self, circle: CircleId, user: UserId) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let already = sqlx::query(
            "SELECT COUNT(*) AS found FROM circle_members WHERE circle_id = $1 AND user_id = $2",
        )
        .bind(circle.0)
        .bind(user.0)
        .fetch_one(&mut *transaction)
        .await?;
        if get::<i64>(&already, "found")? > 0 {
            return Err(DbError::AlreadyMember);
        }
        let taken = sqlx::query(
            "UPDATE circles SET member_count = member_count + 1 \
             WHERE id = $1 AND status = 'open' AND member_count < capacity",
        )
        .bind(circle.0)
        .execute(&mut *transaction)
        .await?;
        if taken.rows_affected() == 0 {
            let row = sqlx::query("SELECT status FROM circles WHERE id = $1")
                .bind(circle.0)
                .fetch_optional(&mut *transaction)
                .await?
                .ok_or(DbError::NotFound)?;
            return Err(if get::<String>(&row, "status")? == "open" {
                DbError::CircleFull
            } else {
                DbError::CircleClosed
            });
        }
        sqlx::query(
            "INSERT INTO circle_members (circle_id, user_id, joined_at) VALUES ($1, $2, $3)",
        )
        .bind(circle.0)
        .bind(user.0)
        .bind(now())
        .execute(&mut *transaction)
        .await
        .map_err(|error| DbError::on_unique_violation(error, DbError::AlreadyMember))?;
        transaction.commit().await?;
        Ok(())
    }

    /// The members of a circle, in the order they joined.
    pub async fn circle_members(&self, circle: CircleId) -> Result<Vec<UserId>, DbError> {
        let rows = sqlx::query(
            "SELECT user_id FROM circle_members WHERE circle_id = $1 ORDER BY joined_at, user_id",
        )
        .bind(circle.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(UserId(get(row, "user_id")?)))
            .collect()
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
    // A handle is the part of a member's e-mail address before the @, among
    // the members of the thread's cohort.
    for handle in reply.body.mentions() {
        let row = sqlx::query(
            "SELECT u.id FROM users u JOIN cohort_members m ON m.user_id = u.id \
             JOIN forum_categories c ON c.cohort_id = m.cohort_id \
             JOIN forum_threads t ON t.category_id = c.id \
             WHERE t.id = $1 AND LOWER(SUBSTR(u.email, 1, CAST($3 AS INTEGER))) = $2",
        )
        .bind(reply.thread.0)
        .bind(format!("{handle}@"))
        .bind(handle.chars().count() as i64 + 1)
        .fetch_optional(&mut **transaction)
        .await?;
        if let Some(row) = row {
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
