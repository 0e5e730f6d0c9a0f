//! Who runs which cohort: facilitators are assigned to cohorts (by an admin, or
//! by another facilitator of the cohort), and run only those; admins run all.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{CohortId, ProgramId, Role, UserId};

impl Db {
    /// Whether `user` (whose platform role is `role`) runs `cohort`. `None` stands
    /// for what belongs to no cohort (public information meetings), which every
    /// facilitator runs.
    pub async fn runs_cohort(
        &self,
        user: UserId,
        role: Role,
        cohort: Option<CohortId>,
    ) -> Result<bool, DbError> {
        let Some(cohort) = cohort else {
            return Ok(role.may_facilitate());
        };
        if !assignment_matters(role) {
            return Ok(role.runs_cohort(false));
        }
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM cohort_facilitators WHERE cohort_id = $1 AND user_id = $2",
        )
        .bind(cohort.0)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(role.runs_cohort(get::<i64>(&row, "found")? > 0))
    }

    /// Whether `user` runs a cohort that follows `program`: whoever does edits
    /// its module content.
    pub async fn runs_program(
        &self,
        user: UserId,
        role: Role,
        program: ProgramId,
    ) -> Result<bool, DbError> {
        if !assignment_matters(role) {
            return Ok(role.runs_cohort(false));
        }
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM cohort_facilitators f JOIN cohorts c ON c.id = f.cohort_id \
             WHERE c.program_id = $1 AND f.user_id = $2",
        )
        .bind(program.0)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(role.runs_cohort(get::<i64>(&row, "found")? > 0))
    }

    /// Makes `user` a facilitator of `cohort`; a participant becomes a facilitator.
    pub async fn assign_facilitator(
        &self,
        cohort: CohortId,
        user: UserId,
        by: Option<UserId>,
    ) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let raised = sqlx::query(
            "UPDATE users SET role = 'facilitator' WHERE id = $1 AND role = 'participant'",
        )
        .bind(user.0)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO cohort_facilitators (cohort_id, user_id, assigned_by, assigned_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (cohort_id, user_id) DO NOTHING",
        )
        .bind(cohort.0)
        .bind(user.0)
        .bind(by.map(|by| by.0))
        .bind(now())
        .execute(&mut *transaction)
        .await?;
        if raised > 0 {
            self.record_access_change(&mut transaction, user).await?;
        }
        transaction.commit().await?;
        self.live_committed();
        Ok(())
    }

    /// Takes `user` off `cohort`'s facilitators; their open pages of its circles
    /// stop at once. `NotFound` when they did not facilitate it.
    pub async fn unassign_facilitator(
        &self,
        cohort: CohortId,
        user: UserId,
    ) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let removed =
            sqlx::query("DELETE FROM cohort_facilitators WHERE cohort_id = $1 AND user_id = $2")
                .bind(cohort.0)
                .bind(user.0)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
        if removed == 0 {
            return Err(DbError::NotFound);
        }
        self.record_access_change(&mut transaction, user).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(())
    }

    /// The facilitators of `cohort`, by name: (id, name).
    pub async fn cohort_facilitators(
        &self,
        cohort: CohortId,
    ) -> Result<Vec<(UserId, String)>, DbError> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name FROM cohort_facilitators f JOIN users u ON u.id = f.user_id \
             WHERE f.cohort_id = $1 AND u.role = 'facilitator' ORDER BY u.display_name",
        )
        .bind(cohort.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((UserId(get(row, "id")?), get(row, "display_name")?)))
            .collect()
    }
}

/// Whether being assigned to a cohort changes what someone with `role` may do
/// there (only for facilitators: admins run every cohort, participants none).
fn assignment_matters(role: Role) -> bool {
    role.runs_cohort(true) != role.runs_cohort(false)
}
