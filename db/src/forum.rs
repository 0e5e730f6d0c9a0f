//! The forum's storage: categories per cohort, threads (started with their
//! first post), moderation and read markers. Posts are in `posts`.

use crate::error::DbError;
use crate::hub::EventKind;
use crate::pool::{found, get, now, Db};
use crate::posts::{insert_post, notify_about, NewReply};
use kring_domain::forum::{CircleStatus, PostBody, ThreadTitle};
use kring_domain::{CategoryId, CircleId, CohortId, ModuleId, PostId, ThreadId, UserId};

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

/// Threads (`t`) with their category (`c`) and `$more` columns, before a WHERE clause.
macro_rules! select_threads {
    ($more:expr) => {
        concat!(
            "SELECT t.id, t.title, t.author_id, t.is_case, t.pinned, t.locked, t.kept_for_cohort, \
             c.id AS category_id, c.cohort_id, c.kind, c.module_id, c.circle_id",
            $more,
            " FROM forum_threads t JOIN forum_categories c ON c.id = t.category_id"
        )
    };
}
pub(crate) use select_threads;

/// Category `c`'s module title in the language `$language`, else in the module's
/// source language (NULL for a category of no module).
macro_rules! module_title_column {
    ($language:literal) => {
        concat!(
            "COALESCE((SELECT title FROM module_translations mt WHERE mt.module_id = c.module_id AND mt.language = ",
            $language,
            "), (SELECT mt.title FROM module_translations mt JOIN modules m ON m.id = mt.module_id \
              WHERE m.id = c.module_id AND mt.language = m.source_language))"
        )
    };
}
pub(crate) use module_title_column;

/// How the person `$2` stands towards category `c` (see [`Standing`]).
macro_rules! standing_columns {
    () => {
        "(SELECT COUNT(*) FROM cohort_facilitators sf WHERE sf.cohort_id = c.cohort_id AND sf.user_id = $2) AS assigned, \
         (SELECT COUNT(*) FROM cohort_members sm WHERE sm.cohort_id = c.cohort_id AND sm.user_id = $2) AS member, \
         (SELECT COUNT(*) FROM circle_members sc WHERE sc.circle_id = c.circle_id AND sc.user_id = $2) AS circle_member, \
         (SELECT ci.status FROM circles ci WHERE ci.id = c.circle_id) AS circle_status"
    };
}
pub(crate) use standing_columns;

/// How one person stands towards a category: what deciding their access needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Assigned to run the category's cohort (what makes a facilitator staff there).
    pub assigned: bool,
    /// A member of the category's cohort.
    pub member: bool,
    /// For a circle's category: whether they are in the circle, and its status.
    pub circle: Option<(bool, CircleStatus)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub cohort: CohortId,
    pub kind: CategoryKind,
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
    /// A case a facilitator chose to keep should its author erase their account.
    pub kept_for_cohort: bool,
}

/// Threads a category page lists at once.
pub const THREADS_PER_PAGE: i64 = 50;

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
        .fetch_all(&mut *self.connection().await?)
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
        let rows = sqlx::query(concat!(
            "SELECT c.id, c.cohort_id, c.kind, c.module_id, c.circle_id, ",
            module_title_column!("$3"),
            " AS module_title, \
             (SELECT COUNT(*) FROM forum_threads t WHERE t.category_id = c.id) AS threads, \
             (SELECT COUNT(*) FROM forum_threads t LEFT JOIN forum_reads r ON r.thread_id = t.id AND r.user_id = $2 \
              WHERE t.category_id = c.id AND t.last_post_id > COALESCE(r.last_read_post_id, 0)) AS unread_threads \
             FROM forum_categories c LEFT JOIN modules m ON m.id = c.module_id \
             WHERE c.cohort_id = $1 AND c.kind <> 'circle' \
             ORDER BY CASE c.kind WHEN 'module' THEN 0 WHEN 'cases' THEN 1 ELSE 2 END, m.position, c.id",
        ))
        .bind(cohort.0)
        .bind(reader.0)
        .bind(language.code())
        .fetch_all(&mut *self.connection().await?)
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
        let post = insert_post(&mut transaction, &first, Some(title), at).await?;
        self.record_event(&mut transaction, thread, post, EventKind::Created)
            .await?;
        notify_about(&mut transaction, &first, post, at).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok((thread, post))
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
        .fetch_all(&mut *self.connection().await?)
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

    /// One category and the cohort it belongs to.
    pub async fn category(&self, category: CategoryId) -> Result<Category, DbError> {
        let row = sqlx::query(
            "SELECT id, cohort_id, kind, module_id, circle_id FROM forum_categories WHERE id = $1",
        )
        .bind(category.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        category_from_row(&row)
    }

    /// One thread with its category.
    pub async fn thread(&self, thread: ThreadId) -> Result<ThreadRecord, DbError> {
        let row = sqlx::query(concat!(select_threads!(""), " WHERE t.id = $1"))
            .bind(thread.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)?;
        thread_from_row(&row)
    }

    /// One thread with its category, and how `reader` stands towards that
    /// category: one statement for what opening a thread checks first.
    pub async fn thread_for(
        &self,
        thread: ThreadId,
        reader: UserId,
    ) -> Result<(ThreadRecord, Standing), DbError> {
        let row = sqlx::query(concat!(
            select_threads!(concat!(", ", standing_columns!())),
            " WHERE t.id = $1"
        ))
        .bind(thread.0)
        .bind(reader.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        let thread = thread_from_row(&row)?;
        let standing = standing_from_row(&row, &thread.category)?;
        Ok((thread, standing))
    }

    /// How `person` stands towards `category`.
    pub async fn standing(&self, person: UserId, category: &Category) -> Result<Standing, DbError> {
        let (_, standing) = self.category_for(category.id, person).await?;
        Ok(standing)
    }

    /// One category and how `reader` stands towards it.
    pub async fn category_for(
        &self,
        category: CategoryId,
        reader: UserId,
    ) -> Result<(Category, Standing), DbError> {
        let row = sqlx::query(concat!(
            "SELECT c.id, c.cohort_id, c.kind, c.module_id, c.circle_id, ",
            standing_columns!(),
            " FROM forum_categories c WHERE c.id = $1"
        ))
        .bind(category.0)
        .bind(reader.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        let category = category_from_row(&row)?;
        let standing = standing_from_row(&row, &category)?;
        Ok((category, standing))
    }

    pub async fn is_cohort_member(&self, user: UserId, cohort: CohortId) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM cohort_members WHERE cohort_id = $1 AND user_id = $2",
        )
        .bind(cohort.0)
        .bind(user.0)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    /// Pins a thread to the top of its category, or unpins it.
    pub async fn set_thread_pinned(&self, thread: ThreadId, pinned: bool) -> Result<(), DbError> {
        let changed = sqlx::query("UPDATE forum_threads SET pinned = $2 WHERE id = $1")
            .bind(thread.0)
            .bind(i64::from(pinned))
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected();
        found(changed)
    }

    /// Locks a thread against new replies, or opens it again.
    pub async fn set_thread_locked(&self, thread: ThreadId, locked: bool) -> Result<(), DbError> {
        let changed = sqlx::query("UPDATE forum_threads SET locked = $2 WHERE id = $1")
            .bind(thread.0)
            .bind(i64::from(locked))
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected();
        found(changed)
    }

    /// Keeps a case thread for the cohort should its author erase their
    /// account (otherwise it goes with them), or stops keeping it.
    pub async fn set_case_kept(&self, thread: ThreadId, kept: bool) -> Result<(), DbError> {
        let changed = sqlx::query(
            "UPDATE forum_threads SET kept_for_cohort = $2 WHERE id = $1 AND is_case = 1",
        )
        .bind(thread.0)
        .bind(i64::from(kept))
        .execute(&mut *self.connection().await?)
        .await?
        .rows_affected();
        found(changed)
    }

    /// Moves a thread to another category of the same cohort. Never into or
    /// out of a consultation circle: what was said there stays there, and
    /// nothing said elsewhere is brought in front of its members.
    pub async fn move_thread(&self, thread: ThreadId, to: CategoryId) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE forum_threads SET category_id = $2 WHERE id = $1 AND $2 IN \
             (SELECT target.id FROM forum_categories target JOIN forum_categories source \
              ON source.cohort_id = target.cohort_id \
              JOIN forum_threads t ON t.category_id = source.id WHERE t.id = $1 \
              AND source.kind <> 'circle' AND target.kind <> 'circle')",
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
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
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
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }
}

/// A category's columns as stored.
#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: i64,
    cohort_id: i64,
    kind: String,
    module_id: Option<i64>,
    circle_id: Option<i64>,
}

impl CategoryRow {
    fn into_category(self) -> Result<Category, DbError> {
        let kind = match (self.kind.as_str(), self.module_id, self.circle_id) {
            ("module", Some(module), _) => CategoryKind::Module(ModuleId(module)),
            ("cases", _, _) => CategoryKind::Cases,
            ("general", _, _) => CategoryKind::General,
            ("circle", _, Some(circle)) => CategoryKind::Circle(CircleId(circle)),
            (kind, _, _) => return Err(DbError::Corrupt(format!("forum category kind {kind:?}"))),
        };
        Ok(Category {
            id: CategoryId(self.id),
            cohort: CohortId(self.cohort_id),
            kind,
        })
    }
}

pub(crate) fn category_from_row(row: &sqlx::any::AnyRow) -> Result<Category, DbError> {
    <CategoryRow as sqlx::FromRow<_>>::from_row(row)?.into_category()
}

pub(crate) fn thread_from_row(row: &sqlx::any::AnyRow) -> Result<ThreadRecord, DbError> {
    Ok(ThreadRecord {
        id: ThreadId(get(row, "id")?),
        category: CategoryRow {
            id: get(row, "category_id")?,
            cohort_id: get(row, "cohort_id")?,
            kind: get(row, "kind")?,
            module_id: get(row, "module_id")?,
            circle_id: get(row, "circle_id")?,
        }
        .into_category()?,
        title: get(row, "title")?,
        author_id: get::<Option<i64>>(row, "author_id")?.map(UserId),
        is_case: get::<i64>(row, "is_case")? != 0,
        pinned: get::<i64>(row, "pinned")? != 0,
        locked: get::<i64>(row, "locked")? != 0,
        kept_for_cohort: get::<i64>(row, "kept_for_cohort")? != 0,
    })
}

pub(crate) fn standing_from_row(
    row: &sqlx::any::AnyRow,
    category: &Category,
) -> Result<Standing, DbError> {
    let circle = match category.kind {
        CategoryKind::Circle(_) => {
            let status: Option<String> = get(row, "circle_status")?;
            let status = status.ok_or(DbError::NotFound)?;
            Some((
                get::<i64>(row, "circle_member")? > 0,
                CircleStatus::parse(&status)?,
            ))
        }
        _ => None,
    };
    Ok(Standing {
        assigned: get::<i64>(row, "assigned")? > 0,
        member: get::<i64>(row, "member")? > 0,
        circle,
    })
}
