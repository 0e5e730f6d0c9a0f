//! Registrations for information meetings and circles: a place taken by one
//! conditional update (never past the capacity), a waitlist that moves up on
//! cancellation, and the registrant list.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{Language, RegistrationId, SessionId, SessionKind, TimeZone, UserId};
use std::collections::HashMap;

/// A reader's own part of the agenda (see [`Db::own_calendar`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnCalendar {
    pub registrations: HashMap<SessionId, RegistrationStatus>,
    /// The secret of their calendar feed's address, when they made one.
    pub feed_token: Option<String>,
}

/// A registration's session and status, from a row with both.
fn registration_entry(row: &sqlx::any::AnyRow) -> Result<(SessionId, RegistrationStatus), DbError> {
    Ok((
        SessionId(get(row, "session_id")?),
        RegistrationStatus::parse(&get::<String>(row, "status")?)?,
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn code(self) -> &'static str {
        match self {
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    fn parse(code: &str) -> Result<Self, DbError> {
        match code {
            "confirmed" => Ok(RegistrationStatus::Confirmed),
            "waitlisted" => Ok(RegistrationStatus::Waitlisted),
            "cancelled" => Ok(RegistrationStatus::Cancelled),
            other => Err(DbError::Corrupt(format!("registration status {other:?}"))),
        }
    }
}

/// A visitor registering for a public information meeting.
#[derive(Debug, Clone)]
pub struct Guest {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub language_group: String,
    pub language: Language,
    pub time_zone: TimeZone,
}

#[derive(Debug, Clone)]
pub enum Registrant {
    Member(UserId),
    Guest(Guest),
}

/// One line of a session's registrant list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrantRecord {
    pub registration_id: RegistrationId,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub language_group: String,
    pub time_zone: String,
    pub status: RegistrationStatus,
    pub registered_at: i64,
}

impl Db {
    /// Registers someone: a seat when one is free, else a place on the
    /// waitlist. Seats are taken by one conditional update on the session
    /// row, so concurrent registrations never exceed the capacity.
    pub async fn register(
        &self,
        session: SessionId,
        registrant: &Registrant,
    ) -> Result<RegistrationStatus, DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        let existing = match registrant {
            Registrant::Member(user) => {
                sqlx::query(
                    "SELECT id, status FROM registrations WHERE session_id = $1 AND user_id = $2",
                )
                .bind(session.0)
                .bind(user.0)
                .fetch_optional(&mut *transaction)
                .await?
            }
            Registrant::Guest(guest) => sqlx::query(
                "SELECT id, status FROM registrations WHERE session_id = $1 AND guest_email = $2",
            )
            .bind(session.0)
            .bind(&guest.email)
            .fetch_optional(&mut *transaction)
            .await?,
        };
        let existing = match existing {
            Some(row) => {
                let status = RegistrationStatus::parse(&get::<String>(&row, "status")?)?;
                if status != RegistrationStatus::Cancelled {
                    return Err(DbError::AlreadyRegistered);
                }
                Some(get::<i64>(&row, "id")?)
            }
            None => None,
        };
        let seat = sqlx::query(
            "UPDATE calendar_sessions SET confirmed_count = confirmed_count + 1 \
             WHERE id = $1 AND status <> 'cancelled' AND (capacity IS NULL OR confirmed_count < capacity)",
        )
        .bind(session.0)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        let status = if seat {
            RegistrationStatus::Confirmed
        } else {
            let kind = sqlx::query(
                "SELECT kind FROM calendar_sessions WHERE id = $1 AND status <> 'cancelled'",
            )
            .bind(session.0)
            .fetch_optional(&mut *transaction)
            .await?
            .ok_or(DbError::NotFound)?;
            // A circle is a closed group of at most ten: no queue of strangers behind it.
            if get::<String>(&kind, "kind")? == SessionKind::Circle.code() {
                return Err(DbError::MeetingFull);
            }
            RegistrationStatus::Waitlisted
        };
        match (existing, registrant) {
            (Some(id), _) => {
                sqlx::query("UPDATE registrations SET status = $1, created_at = $2, updated_at = $2 WHERE id = $3")
                    .bind(status.code())
                    .bind(at)
                    .bind(id)
                    .execute(&mut *transaction)
                    .await?;
            }
            (None, Registrant::Member(user)) => {
                sqlx::query(
                    "INSERT INTO registrations (session_id, user_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(session.0)
                .bind(user.0)
                .bind(status.code())
                .bind(at)
                .execute(&mut *transaction)
                .await
                .map_err(|error| DbError::on_unique_violation(error, DbError::AlreadyRegistered))?;
            }
            (None, Registrant::Guest(guest)) => {
                sqlx::query(
                    "INSERT INTO registrations (session_id, guest_name, guest_email, guest_organisation, guest_language_group, \
                     guest_language, guest_time_zone, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                )
                .bind(session.0)
                .bind(&guest.name)
                .bind(&guest.email)
                .bind(&guest.organisation)
                .bind(&guest.language_group)
                .bind(guest.language.code())
                .bind(guest.time_zone.as_str())
                .bind(status.code())
                .bind(at)
                .execute(&mut *transaction)
                .await
                .map_err(|error| DbError::on_unique_violation(error, DbError::AlreadyRegistered))?;
            }
        }
        transaction.commit().await?;
        Ok(status)
    }

    /// Cancels a member's registration. A freed seat goes to the first person
    /// on the waitlist, whose registration id is returned.
    pub async fn cancel_registration(
        &self,
        session: SessionId,
        user: UserId,
    ) -> Result<Option<RegistrationId>, DbError> {
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT id, status FROM registrations WHERE session_id = $1 AND user_id = $2 AND status <> 'cancelled'",
        )
        .bind(session.0)
        .bind(user.0)
        .fetch_optional(&mut *transaction)
        .await?
        .ok_or(DbError::NotFound)?;
        let promoted = cancel_in(
            &mut transaction,
            session,
            get(&row, "id")?,
            &get::<String>(&row, "status")?,
        )
        .await?;
        transaction.commit().await?;
        Ok(promoted)
    }

    /// The member's registrations that are not cancelled, by session.
    pub async fn registrations_of(
        &self,
        user: UserId,
    ) -> Result<HashMap<SessionId, RegistrationStatus>, DbError> {
        let rows = sqlx::query(
            "SELECT session_id, status FROM registrations WHERE user_id = $1 AND status <> 'cancelled'",
        )
        .bind(user.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(registration_entry).collect()
    }

    /// What an agenda shows of its reader's own, in one statement: their
    /// registrations (as [`Db::registrations_of`]) and their feed's token.
    pub async fn own_calendar(&self, user: UserId) -> Result<OwnCalendar, DbError> {
        // One row at least (the reader's), with each registration joined to it.
        let rows = sqlx::query(
            "SELECT f.token, r.session_id, r.status FROM (SELECT CAST($1 AS BIGINT) AS id) me \
             LEFT JOIN calendar_feeds f ON f.user_id = me.id \
             LEFT JOIN registrations r ON r.user_id = me.id AND r.status <> 'cancelled'",
        )
        .bind(user.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let feed_token = match rows.first() {
            Some(row) => get(row, "token")?,
            None => None,
        };
        let registrations = rows
            .iter()
            .filter_map(|row| match get::<Option<i64>>(row, "session_id") {
                Ok(None) => None,
                Ok(Some(_)) => Some(registration_entry(row)),
                Err(error) => Some(Err(error)),
            })
            .collect::<Result<_, _>>()?;
        Ok(OwnCalendar {
            registrations,
            feed_token,
        })
    }

    /// Everyone registered for a session: confirmed first, then the waitlist in order.
    pub async fn registrants(&self, session: SessionId) -> Result<Vec<RegistrantRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT r.id, r.status, r.created_at, \
             COALESCE(u.display_name, r.guest_name) AS name, COALESCE(u.email, r.guest_email) AS email, \
             COALESCE(o.name, r.guest_organisation, '') AS organisation, \
             COALESCE(g.name, r.guest_language_group, '') AS language_group, \
             COALESCE(u.time_zone, r.guest_time_zone) AS time_zone \
             FROM registrations r \
             JOIN calendar_sessions s ON s.id = r.session_id \
             LEFT JOIN users u ON u.id = r.user_id \
             LEFT JOIN organisations o ON o.id = u.organisation_id \
             LEFT JOIN cohort_members m ON m.user_id = r.user_id AND m.cohort_id = s.cohort_id \
             LEFT JOIN language_groups g ON g.id = m.language_group_id \
             WHERE r.session_id = $1 AND r.status <> 'cancelled' \
             ORDER BY CASE r.status WHEN 'confirmed' THEN 0 ELSE 1 END, r.created_at, r.id",
        )
        .bind(session.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RegistrantRecord {
                    registration_id: RegistrationId(get(row, "id")?),
                    name: get(row, "name")?,
                    email: get(row, "email")?,
                    organisation: get(row, "organisation")?,
                    language_group: get(row, "language_group")?,
                    time_zone: get(row, "time_zone")?,
                    status: RegistrationStatus::parse(&get::<String>(row, "status")?)?,
                    registered_at: get(row, "created_at")?,
                })
            })
            .collect()
    }
}

/// Cancels registration `registration` (its `status` as stored) in
/// `transaction`: a confirmed seat goes to the first on the waitlist, whose
/// registration is returned, else back to the session.
pub(crate) async fn cancel_in(
    transaction: &mut sqlx::Transaction<'static, sqlx::Any>,
    session: SessionId,
    registration: i64,
    status: &str,
) -> Result<Option<RegistrationId>, DbError> {
    let at = now();
    sqlx::query("UPDATE registrations SET status = 'cancelled', updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(registration)
        .execute(&mut **transaction)
        .await?;
    let mut promoted = None;
    if status == "confirmed" {
        let next = sqlx::query(
            "SELECT id FROM registrations WHERE session_id = $1 AND status = 'waitlisted' ORDER BY created_at, id LIMIT 1",
        )
        .bind(session.0)
        .fetch_optional(&mut **transaction)
        .await?;
        match next {
            Some(next) => {
                let id: i64 = get(&next, "id")?;
                sqlx::query(
                    "UPDATE registrations SET status = 'confirmed', updated_at = $1 WHERE id = $2",
                )
                .bind(at)
                .bind(id)
                .execute(&mut **transaction)
                .await?;
                promoted = Some(RegistrationId(id));
            }
            None => {
                sqlx::query("UPDATE calendar_sessions SET confirmed_count = confirmed_count - 1 WHERE id = $1")
                    .bind(session.0)
                    .execute(&mut **transaction)
                    .await?;
            }
        }
    }
    Ok(promoted)
}
