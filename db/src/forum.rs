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
        transaction.commit().await?;
        Ok(post)
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
