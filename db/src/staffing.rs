//! Who runs which cohort: facilitators are assigned to cohorts (by an admin, or
//! by another facilitator of the cohort), and run only those; admins run all.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{CohortId, ProgramId, Role, UserId};
use sqlx::{Any, Transaction};

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
        .fetch_one(&mut *self.connection().await?)
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
        // Its creator runs a program too while they build it, before any cohort follows it.
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM cohort_facilitators f JOIN cohorts c ON c.id = f.cohort_id \
             WHERE c.program_id = $1 AND f.user_id = $2) \
             + (SELECT COUNT(*) FROM programs p WHERE p.id = $1 AND p.created_by = $2 \
                AND NOT EXISTS (SELECT 1 FROM cohorts c WHERE c.program_id = p.id)) AS found",
        )
        .bind(program.0)
        .bind(user.0)
        .fetch_one(&mut *self.connection().await?)
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
        self.assign_in(&mut transaction, cohort, user, by).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(())
    }

    /// [`Self::assign_facilitator`] within `transaction` (accepting a co-facilitator's
    /// invitation does it with the membership, all or nothing).
    pub(crate) async fn assign_in(
        &self,
        transaction: &mut Transaction<'static, Any>,
        cohort: CohortId,
        user: UserId,
        by: Option<UserId>,
    ) -> Result<(), DbError> {
        let raised = sqlx::query(
            "UPDATE users SET role = 'facilitator' WHERE id = $1 AND role = 'participant'",
        )
        .bind(user.0)
        .execute(&mut **transaction)
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
        .execute(&mut **transaction)
        .await?;
        if raised > 0 {
            self.record_access_change(transaction, user).await?;
        }
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

    /// The facilitators of every cohort (or of `only` that one), by name within each
    /// cohort: (cohort, id, name).
    pub async fn cohort_facilitators(
        &self,
        only: Option<CohortId>,
    ) -> Result<Vec<(CohortId, UserId, String)>, DbError> {
        let rows = sqlx::query(
            "SELECT f.cohort_id, u.id, u.display_name FROM cohort_facilitators f \
             JOIN users u ON u.id = f.user_id \
             WHERE ($1 < 0 OR f.cohort_id = $1) AND u.role = 'facilitator' \
             ORDER BY f.cohort_id, u.display_name",
        )
        .bind(only.map_or(-1, |id| id.0))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    CohortId(get(row, "cohort_id")?),
                    UserId(get(row, "id")?),
                    get(row, "display_name")?,
                ))
            })
            .collect()
    }

    /// The cohorts `user` is assigned to facilitate, in one query (whether they run
    /// them is `Role::runs_cohort` of it).
    pub async fn assigned_cohorts(&self, user: UserId) -> Result<Vec<CohortId>, DbError> {
        let rows = sqlx::query("SELECT cohort_id FROM cohort_facilitators WHERE user_id = $1")
            .bind(user.0)
            .fetch_all(&mut *self.connection().await?)
            .await?;
        rows.iter()
            .map(|row| Ok(CohortId(get(row, "cohort_id")?)))
            .collect()
    }
}

/// Whether being assigned to a cohort changes what someone with `role` may do
/// there (only for facilitators: admins run every cohort, participants none).
fn assignment_matters(role: Role) -> bool {
    role.runs_cohort(true) != role.runs_cohort(false)
}
