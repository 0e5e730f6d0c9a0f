//! The audit trail: who read a consultation circle without being one of its
//! members, who changed it, and what admins and facilitators did to people
//! (roles, enrolments, removals, invitations, erasures, copies of data).
//! Circle entries are shown to the circle's members, the rest to admins.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{CircleId, CohortId, Role, UserId};
use sqlx::{Any, Transaction};

/// What was done. Stored by name; each has a sentence in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Someone who is not a member read the circle (once a day per person).
    CircleRead,
    CircleJoined,
    CircleLeft,
    /// A facilitator took a member out of the circle.
    CircleMemberRemoved,
    /// Closed, archived or opened again (`detail`: the new status).
    CircleStatus,
    /// A facilitator hid a post (`detail`: the post's number).
    PostHidden,
    /// A facilitator locked or unlocked a thread (`detail`: `locked`/`unlocked`).
    ThreadLock,
    /// An admin changed someone's role (`detail`: the new role).
    RoleChanged,
    /// Someone became a member of a cohort (added, or by invitation).
    Enrolled,
    /// A facilitator took a member out of a cohort.
    Removed,
    /// Invitations were made (`detail`: how many).
    Invited,
    /// An account was erased (`detail`: its number; by itself when no actor).
    AccountErased,
    /// A copy of someone's data was made.
    DataExported,
}

impl AuditAction {
    pub const ALL: [AuditAction; 13] = [
        AuditAction::CircleRead,
        AuditAction::CircleJoined,
        AuditAction::CircleLeft,
        AuditAction::CircleMemberRemoved,
        AuditAction::CircleStatus,
        AuditAction::PostHidden,
        AuditAction::ThreadLock,
        AuditAction::RoleChanged,
        AuditAction::Enrolled,
        AuditAction::Removed,
        AuditAction::Invited,
        AuditAction::AccountErased,
        AuditAction::DataExported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::CircleRead => "circle_read",
            AuditAction::CircleJoined => "circle_joined",
            AuditAction::CircleLeft => "circle_left",
            AuditAction::CircleMemberRemoved => "circle_member_removed",
            AuditAction::CircleStatus => "circle_status",
            AuditAction::PostHidden => "post_hidden",
            AuditAction::ThreadLock => "thread_lock",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::Enrolled => "enrolled",
            AuditAction::Removed => "removed",
            AuditAction::Invited => "invited",
            AuditAction::AccountErased => "account_erased",
            AuditAction::DataExported => "data_exported",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL
            .into_iter()
            .find(|action| action.as_str() == text)
    }
}

/// One thing to record. `actor` is who did it (none for the system, or for
/// someone erasing their own account), `subject` whom it was done to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit {
    pub action: AuditAction,
    pub actor: Option<(UserId, Role)>,
    pub subject: Option<UserId>,
    pub cohort: Option<CohortId>,
    pub circle: Option<CircleId>,
    pub detail: String,
}

impl NewAudit {
    pub fn new(action: AuditAction, actor: Option<(UserId, Role)>) -> Self {
        NewAudit {
            action,
            actor,
            subject: None,
            cohort: None,
            circle: None,
            detail: String::new(),
        }
    }

    pub fn subject(mut self, subject: UserId) -> Self {
        self.subject = Some(subject);
        self
    }

    /// Whom it was done to, when known (a post's author may be gone).
    pub fn subject_of(mut self, subject: Option<UserId>) -> Self {
        self.subject = subject;
        self
    }

    pub fn cohort(mut self, cohort: CohortId) -> Self {
        self.cohort = Some(cohort);
        self
    }

    pub fn circle(mut self, circle: CircleId) -> Self {
        self.circle = Some(circle);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// An entry as the logs show it; a person erased since reads as `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub action: AuditAction,
    pub actor: Option<String>,
    pub actor_role: Option<Role>,
    pub subject: Option<String>,
    pub cohort: Option<String>,
    pub detail: String,
    pub created_at: i64,
}

/// Entries shown on one page of a log.
pub const AUDIT_PER_PAGE: i64 = 50;

/// A circle's log is shown whole up to this many entries (a circle of at
/// most ten people over a program makes far fewer): a flood of changes
/// cannot push a read out of its members' sight.
pub const CIRCLE_LOG_MAX: i64 = 2_000;

/// How long entries are kept (the privacy page says so): two years.
pub const AUDIT_KEPT_SECS: i64 = 730 * 86_400;

const ENTRY_COLUMNS: &str = "a.id, a.action, a.actor_role, a.detail, a.created_at, \
     actor.display_name AS actor_name, subject.display_name AS subject_name, c.name AS cohort_name \
     FROM audit_log a LEFT JOIN users actor ON actor.id = a.actor_id \
     LEFT JOIN users subject ON subject.id = a.subject_id LEFT JOIN cohorts c ON c.id = a.cohort_id";

fn utc_day(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .map(|instant| instant.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Records `entry` in `transaction`, beside the change it describes. A
/// circle read already recorded today by the same person is not repeated.
pub(crate) async fn record_in(
    transaction: &mut Transaction<'static, Any>,
    entry: &NewAudit,
) -> Result<(), DbError> {
    let at = now();
    sqlx::query(
        "INSERT INTO audit_log (action, actor_id, actor_role, subject_id, cohort_id, circle_id, detail, day, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
    )
    .bind(entry.action.as_str())
    .bind(entry.actor.map(|(user, _)| user.0))
    .bind(entry.actor.map(|(_, role)| role.as_str()))
    .bind(entry.subject.map(|user| user.0))
    .bind(entry.cohort.map(|cohort| cohort.0))
    .bind(entry.circle.map(|circle| circle.0))
    .bind(&entry.detail)
    .bind(utc_day(at))
    .bind(at)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

fn entry_from_row(row: &sqlx::any::AnyRow) -> Result<AuditEntry, DbError> {
    let action: String = get(row, "action")?;
    Ok(AuditEntry {
        id: get(row, "id")?,
        action: AuditAction::parse(&action)
            .ok_or_else(|| DbError::Corrupt(format!("audit action {action:?}")))?,
        actor: get(row, "actor_name")?,
        actor_role: get::<Option<String>>(row, "actor_role")?
            .map(|role| Role::parse(&role))
            .transpose()?,
        subject: get(row, "subject_name")?,
        cohort: get(row, "cohort_name")?,
        detail: get(row, "detail")?,
        created_at: get(row, "created_at")?,
    })
}

impl Db {
    /// Records `entry` on its own (for an action stored by one statement).
    pub async fn record_audit(&self, entry: &NewAudit) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        record_in(&mut transaction, entry).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// What happened in `circle`, newest first, up to `CIRCLE_LOG_MAX`
    /// entries older than `before` (an entry's id), or the newest.
    pub async fn circle_log(
        &self,
        circle: CircleId,
        before: Option<i64>,
    ) -> Result<Vec<AuditEntry>, DbError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ENTRY_COLUMNS} WHERE a.circle_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3"
        )))
        .bind(circle.0)
        .bind(before.unwrap_or(i64::MAX))
        .bind(CIRCLE_LOG_MAX)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// The administrative log for admins, newest first, optionally of one
    /// kind of action only.
    pub async fn audit_log(
        &self,
        action: Option<AuditAction>,
        before: Option<i64>,
    ) -> Result<Vec<AuditEntry>, DbError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ENTRY_COLUMNS} WHERE ($1 = '' OR a.action = $1) AND a.id < $2 \
             ORDER BY a.id DESC LIMIT $3"
        )))
        .bind(action.map_or("", AuditAction::as_str))
        .bind(before.unwrap_or(i64::MAX))
        .bind(AUDIT_PER_PAGE)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }
}
