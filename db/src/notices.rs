//! What members and visitors are told about sessions: reminders 24 hours and 1 hour
//! before, and at once when a session moves or is cancelled. Each notice is made once
//! (a unique key per person, session, kind and the session's sequence), so several
//! instances may run the jobs; the app shows notices and the mail job sends them.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{Language, SessionId, TimeZone, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

/// What a notice tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// The session starts within a day.
    Day,
    /// The session starts within the hour.
    Hour,
    Moved,
    Cancelled,
}

impl NoticeKind {
    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Day => "day",
            NoticeKind::Hour => "hour",
            NoticeKind::Moved => "moved",
            NoticeKind::Cancelled => "cancelled",
        }
    }

    fn parse(code: &str) -> Result<NoticeKind, DbError> {
        match code {
            "day" => Ok(NoticeKind::Day),
            "hour" => Ok(NoticeKind::Hour),
            "moved" => Ok(NoticeKind::Moved),
            "cancelled" => Ok(NoticeKind::Cancelled),
            other => Err(DbError::Corrupt(format!("notice kind {other:?}"))),
        }
    }

    pub fn is_reminder(self) -> bool {
        matches!(self, NoticeKind::Day | NoticeKind::Hour)
    }
}

/// One notice as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionNotice {
    pub id: i64,
    pub session_id: SessionId,
    pub kind: NoticeKind,
    /// For a move: the start before it.
    pub previous_start: Option<i64>,
    pub created_at: i64,
}

/// A notice due to go out by e-mail, with whom it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeMail {
    pub notice: SessionNotice,
    pub recipient: String,
    pub language: Language,
    pub time_zone: TimeZone,
}

/// Reminders are shown until their session ends; changes for this long.
const CHANGES_SHOWN_SECS: i64 = 14 * 86_400;
/// A notice not mailed within this long (an address confirmed later, say) is not mailed at all.
const MAIL_WITHIN_SECS: i64 = 86_400;

fn notice(row: &AnyRow) -> Result<SessionNotice, DbError> {
    Ok(SessionNotice {
        id: get(row, "id")?,
        session_id: SessionId(get(row, "session_id")?),
        kind: NoticeKind::parse(&get::<String>(row, "kind")?)?,
        previous_start: get(row, "previous_start")?,
        created_at: get(row, "created_at")?,
    })
}

/// Tells everyone a change of session `session` concerns, within the change's
/// transaction: the members expected at it and everyone registered (members and
/// visitors, placed or waiting). The session's row already carries the new sequence.
pub(crate) async fn record_change(
    transaction: &mut Transaction<'static, Any>,
    session: SessionId,
    kind: NoticeKind,
    previous_start: i64,
) -> Result<(), DbError> {
    let at = now();
    sqlx::query(concat!(
        "INSERT INTO session_notices (session_id, user_id, kind, sequence, previous_start, created_at) \
         SELECT s.id, m.user_id, $2, s.sequence, $3, $4 FROM calendar_sessions s \
         JOIN cohort_members m ON ",
        expected_at_session!(),
        " WHERE s.id = $1 ON CONFLICT DO NOTHING"
    ))
    .bind(session.0)
    .bind(kind.code())
    .bind(previous_start)
    .bind(at)
    .execute(&mut **transaction)
    .await?;
    sqlx::query(
        "INSERT INTO session_notices (session_id, user_id, registration_id, kind, sequence, previous_start, created_at) \
         SELECT s.id, r.user_id, CASE WHEN r.user_id IS NULL THEN r.id END, $2, s.sequence, $3, $4 \
         FROM registrations r JOIN calendar_sessions s ON s.id = r.session_id \
         WHERE s.id = $1 AND r.status <> 'cancelled' ON CONFLICT DO NOTHING",
    )
    .bind(session.0)
    .bind(kind.code())
    .bind(previous_start)
    .bind(at)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

impl Db {
    /// Creates the reminders that are due: 24 hours before and 1 hour before, for
    /// every member expected at a live session (unless they turned reminders off or
    /// said they cannot come) and everyone with a confirmed place in another session.
    /// Safe to run on several instances at once: each reminder is made once.
    pub async fn create_due_reminders(&self, at: i64) -> Result<u64, DbError> {
        let mut created = 0;
        for (kind, from, to) in [
            (NoticeKind::Day, 3_600, 86_400),
            (NoticeKind::Hour, 0, 3_600),
        ] {
            let expected = sqlx::query(concat!(
                "INSERT INTO session_notices (session_id, user_id, kind, sequence, created_at) \
                 SELECT s.id, m.user_id, $1, s.sequence, $2 FROM calendar_sessions s \
                 JOIN cohort_members m ON ",
                expected_at_session!(),
                " JOIN users u ON u.id = m.user_id \
                 WHERE s.status <> 'cancelled' AND s.starts_at > $2 + $3 AND s.starts_at <= $2 + $4 \
                 AND u.session_reminders <> 0 \
                 AND NOT EXISTS (SELECT 1 FROM session_absences a WHERE a.session_id = s.id AND a.user_id = m.user_id) \
                 ON CONFLICT DO NOTHING"
            ));
            let registered = sqlx::query(
                "INSERT INTO session_notices (session_id, user_id, registration_id, kind, sequence, created_at) \
                 SELECT s.id, r.user_id, CASE WHEN r.user_id IS NULL THEN r.id END, $1, s.sequence, $2 \
                 FROM registrations r JOIN calendar_sessions s ON s.id = r.session_id \
                 LEFT JOIN users u ON u.id = r.user_id \
                 WHERE r.status = 'confirmed' AND s.status <> 'cancelled' \
                 AND s.starts_at > $2 + $3 AND s.starts_at <= $2 + $4 \
                 AND (u.id IS NULL OR u.session_reminders <> 0) \
                 ON CONFLICT DO NOTHING",
            );
            for query in [expected, registered] {
                created += query
                    .bind(kind.code())
                    .bind(at)
                    .bind(from)
                    .bind(to)
                    .execute(&mut *self.connection().await?)
                    .await?
                    .rows_affected();
            }
        }
        Ok(created)
    }

    /// What the member is told in the app, newest first: reminders of sessions that
    /// have not ended, and changes of the last two weeks.
    pub async fn session_notices(
        &self,
        user: UserId,
        at: i64,
    ) -> Result<Vec<SessionNotice>, DbError> {
        let rows = sqlx::query(
            "SELECT n.id, n.session_id, n.kind, n.previous_start, n.created_at FROM session_notices n \
             JOIN calendar_sessions s ON s.id = n.session_id \
             WHERE n.user_id = $1 AND ( \
               (n.kind IN ('day', 'hour') AND n.sequence = s.sequence AND s.status <> 'cancelled' \
                AND s.starts_at + s.duration_minutes * 60 > $2) \
               OR (n.kind IN ('moved', 'cancelled') AND n.created_at > $3)) \
             ORDER BY n.created_at DESC, n.id DESC",
        )
        .bind(user.0)
        .bind(at)
        .bind(at - CHANGES_SHOWN_SECS)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(notice).collect()
    }

    /// Notices not yet e-mailed, for visitors (whose address was confirmed when
    /// they registered) and members with a confirmed address. A reminder whose
    /// session moved or was cancelled since is not mailed.
    pub async fn notices_to_email(&self) -> Result<Vec<NoticeMail>, DbError> {
        let at = now();
        let rows = sqlx::query(
            "SELECT n.id, n.session_id, n.kind, n.previous_start, n.created_at, \
             COALESCE(u.email, r.guest_email) AS recipient, COALESCE(u.language, r.guest_language) AS language, \
             COALESCE(u.time_zone, r.guest_time_zone) AS time_zone \
             FROM session_notices n JOIN calendar_sessions s ON s.id = n.session_id \
             LEFT JOIN users u ON u.id = n.user_id LEFT JOIN registrations r ON r.id = n.registration_id \
             WHERE n.emailed_at IS NULL AND n.created_at > $2 \
             AND (n.user_id IS NULL OR u.email_verified_at IS NOT NULL) \
             AND (n.kind IN ('moved', 'cancelled') OR (n.sequence = s.sequence AND s.status <> 'cancelled' AND s.starts_at > $1)) \
             ORDER BY n.id",
        )
        .bind(at)
        .bind(at - MAIL_WITHIN_SECS)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(NoticeMail {
                    notice: notice(row)?,
                    recipient: get(row, "recipient")?,
                    language: Language::parse(&get::<String>(row, "language")?)?,
                    time_zone: TimeZone::parse(&get::<String>(row, "time_zone")?)?,
                })
            })
            .collect()
    }

    /// Puts a notice's e-mail in the outbox, once: of two instances, one wins.
    pub async fn enqueue_notice_mail(
        &self,
        mail: &NoticeMail,
        subject: &str,
        body: &str,
    ) -> Result<bool, DbError> {
        let mut transaction = self.begin_write().await?;
        let at = now();
        let won = sqlx::query(
            "UPDATE session_notices SET emailed_at = $1 WHERE id = $2 AND emailed_at IS NULL",
        )
        .bind(at)
        .bind(mail.notice.id)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if won {
            crate::mail::queue_in(&mut transaction, &mail.recipient, subject, body, at).await?;
        }
        transaction.commit().await?;
        Ok(won)
    }

    /// Whether `user` is expected at `session`: a member of its cohort's group, for a live session.
    pub async fn expected_at(&self, session: SessionId, user: UserId) -> Result<bool, DbError> {
        let row = sqlx::query(concat!(
            "SELECT COUNT(*) AS found FROM calendar_sessions s JOIN cohort_members m ON ",
            expected_at_session!(),
            " WHERE s.id = $1 AND m.user_id = $2"
        ))
        .bind(session.0)
        .bind(user.0)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    /// Records that `user` cannot come to `session` (or takes it back).
    pub async fn set_absence(
        &self,
        session: SessionId,
        user: UserId,
        absent: bool,
    ) -> Result<(), DbError> {
        let query = if absent {
            sqlx::query(
                "INSERT INTO session_absences (session_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (session_id, user_id) DO NOTHING",
            )
            .bind(session.0)
            .bind(user.0)
            .bind(now())
        } else {
            sqlx::query("DELETE FROM session_absences WHERE session_id = $1 AND user_id = $2")
                .bind(session.0)
                .bind(user.0)
        };
        query.execute(&mut *self.connection().await?).await?;
        Ok(())
    }

    /// Whether `user` said they cannot come to `session`.
    pub async fn is_absent(&self, session: SessionId, user: UserId) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM session_absences WHERE session_id = $1 AND user_id = $2",
        )
        .bind(session.0)
        .bind(user.0)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    /// Whether `user` wants reminders of sessions.
    pub async fn wants_session_reminders(&self, user: UserId) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT session_reminders FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(get::<i64>(&row, "session_reminders")? != 0)
    }

    pub async fn set_wants_session_reminders(
        &self,
        user: UserId,
        wanted: bool,
    ) -> Result<(), DbError> {
        crate::pool::found(
            sqlx::query("UPDATE users SET session_reminders = $1 WHERE id = $2")
                .bind(i64::from(wanted))
                .bind(user.0)
                .execute(&mut *self.connection().await?)
                .await?
                .rows_affected(),
        )
    }
}
