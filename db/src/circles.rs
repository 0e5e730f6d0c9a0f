//! Consultation circles: a facilitator's question discussed by at most ten
//! members in a category only they (and facilitators) can read.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::forum::{CircleStatus, ThreadTitle};
use kring_domain::{CategoryId, CircleId, CohortId, UserId};

/// Takes `user` out of their circles (only `cohort`'s, when given) in
/// `transaction`, giving each place back. Each place given back is one this
/// transaction took away: a circle someone leaves at the same moment is never
/// counted twice.
pub(crate) async fn give_back_places(
    transaction: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
    cohort: Option<CohortId>,
) -> Result<(), DbError> {
    let left = sqlx::query(
        "DELETE FROM circle_members WHERE user_id = $1 AND ($2 < 0 OR circle_id IN \
         (SELECT id FROM circles WHERE cohort_id = $2)) RETURNING circle_id",
    )
    .bind(user.0)
    .bind(cohort.map_or(-1, |cohort| cohort.0))
    .fetch_all(&mut **transaction)
    .await?;
    for circle in &left {
        sqlx::query("UPDATE circles SET member_count = member_count - 1 WHERE id = $1")
            .bind(get::<i64>(circle, "circle_id")?)
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
}

/// A circle as the forum lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircleRecord {
    pub id: CircleId,
    pub cohort: CohortId,
    pub question: String,
    pub capacity: i64,
    pub member_count: i64,
    pub status: CircleStatus,
    pub category: CategoryId,
}

impl Db {
    /// One circle, with the category its threads live in.
    pub async fn circle(&self, circle: CircleId) -> Result<CircleRecord, DbError> {
        let row = sqlx::query(
            "SELECT c.id, c.cohort_id, c.question, c.capacity, c.member_count, c.status, f.id AS category_id \
             FROM circles c JOIN forum_categories f ON f.circle_id = c.id WHERE c.id = $1",
        )
        .bind(circle.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        circle_from_row(&row)
    }

    /// A cohort's circles, newest first.
    pub async fn circles(&self, cohort: CohortId) -> Result<Vec<CircleRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT c.id, c.cohort_id, c.question, c.capacity, c.member_count, c.status, f.id AS category_id \
             FROM circles c JOIN forum_categories f ON f.circle_id = c.id WHERE c.cohort_id = $1 ORDER BY c.id DESC",
        )
        .bind(cohort.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(circle_from_row).collect()
    }

    pub async fn is_circle_member(&self, circle: CircleId, user: UserId) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM circle_members WHERE circle_id = $1 AND user_id = $2",
        )
        .bind(circle.0)
        .bind(user.0)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    /// Closes a circle to new members and posts, archives it, or opens it again.
    pub async fn set_circle_status(
        &self,
        circle: CircleId,
        status: CircleStatus,
    ) -> Result<(), DbError> {
        let changed = sqlx::query("UPDATE circles SET status = $2 WHERE id = $1")
            .bind(circle.0)
            .bind(status.code())
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// The names of a circle's members, in the order they joined.
    pub async fn circle_member_names(
        &self,
        circle: CircleId,
    ) -> Result<Vec<(UserId, String)>, DbError> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name FROM circle_members m JOIN users u ON u.id = m.user_id \
             WHERE m.circle_id = $1 ORDER BY m.joined_at, m.user_id",
        )
        .bind(circle.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| Ok((UserId(get(row, "id")?), get(row, "display_name")?)))
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
            return Err(DbError::Refused(kring_domain::DomainError::CircleTooLarge));
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

    /// Takes `user` out of a circle (they leave, or a facilitator removes
    /// them): their place frees up and their live streams of it end.
    pub async fn leave_circle(&self, circle: CircleId, user: UserId) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let left = sqlx::query("DELETE FROM circle_members WHERE circle_id = $1 AND user_id = $2")
            .bind(circle.0)
            .bind(user.0)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        if left == 0 {
            return Err(DbError::NotFound);
        }
        sqlx::query("UPDATE circles SET member_count = member_count - 1 WHERE id = $1")
            .bind(circle.0)
            .execute(&mut *transaction)
            .await?;
        self.record_access_change(&mut transaction, user).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(())
    }

    /// The members of a circle, in the order they joined.
    pub async fn circle_members(&self, circle: CircleId) -> Result<Vec<UserId>, DbError> {
        let rows = sqlx::query(
            "SELECT user_id FROM circle_members WHERE circle_id = $1 ORDER BY joined_at, user_id",
        )
        .bind(circle.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| Ok(UserId(get(row, "user_id")?)))
            .collect()
    }
}

/// A circle's columns as stored, with its category.
#[derive(sqlx::FromRow)]
struct CircleRow {
    id: i64,
    cohort_id: i64,
    question: String,
    capacity: i64,
    member_count: i64,
    status: String,
    category_id: i64,
}

fn circle_from_row(row: &sqlx::any::AnyRow) -> Result<CircleRecord, DbError> {
    let row = <CircleRow as sqlx::FromRow<_>>::from_row(row)?;
    Ok(CircleRecord {
        id: CircleId(row.id),
        cohort: CohortId(row.cohort_id),
        question: row.question,
        capacity: row.capacity,
        member_count: row.member_count,
        status: CircleStatus::parse(&row.status)?,
        category: CategoryId(row.category_id),
    })
}
