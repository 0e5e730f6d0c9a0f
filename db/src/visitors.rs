//! Visitors' registrations waiting for their confirmation by e-mail (double
//! opt-in): no seat is held, and nobody is mailed twice in a row, until the
//! owner of the address follows the link.

use crate::accounts::new_token;
use crate::error::DbError;
use crate::pool::{now, sha256_hex, Db};
use crate::registrations::Guest;
use kring_domain::{Language, SessionId, TimeZone};

/// How long a confirmation link works.
pub const CONFIRMATION_HOURS: i64 = 48;

impl Db {
    /// Keeps `guest`'s registration for `session` until they confirm it;
    /// returns the token for their link (stored only as a hash).
    pub async fn hold_guest_confirmation(
        &self,
        session: SessionId,
        guest: &Guest,
    ) -> Result<String, DbError> {
        let token = new_token();
        sqlx::query(
            "INSERT INTO guest_confirmations (token_hash, session_id, name, email, organisation, \
             language_group, language, time_zone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(sha256_hex(&token))
        .bind(session.0)
        .bind(&guest.name)
        .bind(&guest.email)
        .bind(&guest.organisation)
        .bind(&guest.language_group)
        .bind(guest.language.code())
        .bind(guest.time_zone.as_str())
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(token)
    }

    /// The registration waiting behind `token`, if the link is still good,
    /// without using it up (the confirmation page shows what will be confirmed).
    pub async fn guest_confirmation(
        &self,
        token: &str,
    ) -> Result<Option<(SessionId, Guest)>, DbError> {
        let row = sqlx::query(
            "SELECT session_id, name, email, organisation, language_group, language, time_zone \
             FROM guest_confirmations WHERE token_hash = $1 AND created_at > $2",
        )
        .bind(sha256_hex(token))
        .bind(now() - CONFIRMATION_HOURS * 3600)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| pending_from_row(&row)).transpose()
    }

    /// Uses up the link behind `token`: the waiting registration, once.
    pub async fn take_guest_confirmation(
        &self,
        token: &str,
    ) -> Result<Option<(SessionId, Guest)>, DbError> {
        let row = sqlx::query(
            "DELETE FROM guest_confirmations WHERE token_hash = $1 AND created_at > $2 \
             RETURNING session_id, name, email, organisation, language_group, language, time_zone",
        )
        .bind(sha256_hex(token))
        .bind(now() - CONFIRMATION_HOURS * 3600)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| pending_from_row(&row)).transpose()
    }

    /// Forgets registrations whose link ran out unconfirmed.
    pub async fn prune_guest_confirmations(&self) -> Result<u64, DbError> {
        let pruned = sqlx::query("DELETE FROM guest_confirmations WHERE created_at <= $1")
            .bind(now() - CONFIRMATION_HOURS * 3600)
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected();
        Ok(pruned)
    }
}

/// A visitor's registration waiting for its confirmation, as stored.
#[derive(sqlx::FromRow)]
struct PendingRow {
    session_id: i64,
    name: String,
    email: String,
    organisation: String,
    language_group: String,
    language: String,
    time_zone: String,
}

fn pending_from_row(row: &sqlx::any::AnyRow) -> Result<(SessionId, Guest), DbError> {
    let row = <PendingRow as sqlx::FromRow<_>>::from_row(row)?;
    Ok((
        SessionId(row.session_id),
        Guest {
            name: row.name,
            email: row.email,
            organisation: row.organisation,
            language_group: row.language_group,
            language: Language::parse(&row.language)?,
            time_zone: TimeZone::parse(&row.time_zone)?,
        },
    ))
}
