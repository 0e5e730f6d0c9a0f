//! What a forum page reads before its list, in one statement: a thread's or a
//! category's page needs the record, how its reader stands towards it (for the
//! access check), what its category is called in the reader's language, and
//! where the list opens. Asked one by one they were three statements, each a
//! round trip, and on PostgreSQL work for the database's process as well.

use crate::error::DbError;
use crate::events::{opening_from_row, thread_opening_table, CategoryOpening, ThreadOpening};
use crate::forum::{
    category_from_row, module_title_column, select_threads, standing_columns, standing_from_row,
    thread_from_row, Category, Standing, ThreadRecord,
};
use crate::pool::{get, Db};
use kring_domain::{CategoryId, Language, PostId, ThreadId, UserId};

/// What category `c` is called for a reader of `$language`, as `topic`: its
/// module's title (see [`module_title_column`]), its circle's question, or
/// NULL for cases and general.
macro_rules! topic_column {
    ($language:literal) => {
        concat!(
            "CASE c.kind WHEN 'module' THEN ",
            module_title_column!($language),
            " WHEN 'circle' THEN (SELECT ci.question FROM circles ci WHERE ci.id = c.circle_id) \
             END AS topic"
        )
    };
}

/// What a thread's page reads before its posts (see [`Db::thread_head`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadHead {
    pub thread: ThreadRecord,
    pub standing: Standing,
    /// The category's module title in the reader's language (else the module's
    /// source language), or its circle's question; none for cases and general.
    pub topic: Option<String>,
    pub opening: ThreadOpening,
}

/// What a category's page reads before its threads (see [`Db::category_head`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryHead {
    pub category: Category,
    pub standing: Standing,
    /// As [`ThreadHead::topic`].
    pub topic: Option<String>,
    pub opening: CategoryOpening,
}

impl Db {
    /// What `thread`'s page reads before its posts, in one statement: the thread,
    /// how `reader` stands towards its category, what the category is called in
    /// `language`, and where the reader opens it (at `post` when given).
    pub async fn thread_head(
        &self,
        thread: ThreadId,
        reader: UserId,
        post: Option<PostId>,
        language: Language,
    ) -> Result<ThreadHead, DbError> {
        let row = sqlx::query(concat!(
            select_threads!(concat!(
                ", ",
                standing_columns!(),
                ", ",
                topic_column!("$4"),
                ", o.first, o.posts, o.latest_event, o.before"
            )),
            " CROSS JOIN ",
            thread_opening_table!(),
            " WHERE t.id = $1"
        ))
        .bind(thread.0)
        .bind(reader.0)
        .bind(post.map(|post| post.0))
        .bind(language.code())
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        let record = thread_from_row(&row)?;
        Ok(ThreadHead {
            standing: standing_from_row(&row, &record.category)?,
            topic: get(&row, "topic")?,
            opening: opening_from_row(&row)?,
            thread: record,
        })
    }

    /// What `category`'s page reads before its threads, in one statement: the
    /// category, how `reader` stands towards it, what it is called in
    /// `language`, its newest event and how many threads it has.
    pub async fn category_head(
        &self,
        category: CategoryId,
        reader: UserId,
        language: Language,
    ) -> Result<CategoryHead, DbError> {
        let row = sqlx::query(concat!(
            "SELECT c.id, c.cohort_id, c.kind, c.module_id, c.circle_id, ",
            standing_columns!(),
            ", ",
            topic_column!("$3"),
            ", (SELECT COALESCE(MAX(e.id), 0) FROM forum_events e WHERE e.category_id = c.id) AS latest_event, \
             (SELECT COUNT(*) FROM forum_threads t WHERE t.category_id = c.id) AS threads \
             FROM forum_categories c WHERE c.id = $1"
        ))
        .bind(category.0)
        .bind(reader.0)
        .bind(language.code())
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        let category = category_from_row(&row)?;
        Ok(CategoryHead {
            standing: standing_from_row(&row, &category)?,
            topic: get(&row, "topic")?,
            opening: CategoryOpening {
                latest_event: get(&row, "latest_event")?,
                threads: get(&row, "threads")?,
            },
            category,
        })
    }
}
