//! The outbox: e-mail waiting for SMTP.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{Language, RegistrationId, SessionId, TimeZone};

/// One mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A mail that failed this many times is given up (and stays in the table, with its error).
const MAX_ATTEMPTS: i64 = 5;
/// A claim older than this is assumed to belong to an instance that died mid-send.
const CLAIM_SECS: i64 = 300;

impl Db {
    pub async fn enqueue_mail(
        &self,
        recipient: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        queue_in(&mut transaction, recipient, subject, body, now()).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Claims up to `limit` unsent mails for this instance.
    pub async fn claim_mail(&self, limit: i64) -> Result<Vec<OutgoingMail>, DbError> {
        let at = now();
        let rows = sqlx::query(
            "SELECT id, recipient, subject, body FROM outbox WHERE sent_at IS NULL AND attempts < $1 \
             AND (claimed_at IS NULL OR claimed_at < $2) ORDER BY id LIMIT $3",
        )
        .bind(MAX_ATTEMPTS)
        .bind(at - CLAIM_SECS)
        .bind(limit)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = get(row, "id")?;
            let won = sqlx::query(
                "UPDATE outbox SET claimed_at = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < $3)",
            )
            .bind(at)
            .bind(id)
            .bind(at - CLAIM_SECS)
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected()
                == 1;
            if won {
                claimed.push(OutgoingMail {
                    id,
                    recipient: get(row, "recipient")?,
                    subject: get(row, "subject")?,
                    body: get(row, "body")?,
                });
            }
        }
        Ok(claimed)
    }

    pub async fn mark_mail_sent(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// Records why sending failed and frees the mail for a later attempt.
    pub async fn mark_mail_failed(&self, id: i64, error: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE outbox SET claimed_at = NULL, last_error = $1 WHERE id = $2")
            .bind(error)
            .bind(id)
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }
}

/// Who a registration belongs to, for writing to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub address: String,
    pub name: String,
    pub language: Language,
    pub time_zone: TimeZone,
    pub session_id: SessionId,
}

impl Db {
    pub async fn registration_recipient(
        &self,
        registration: RegistrationId,
    ) -> Result<Recipient, DbError> {
        let row = sqlx::query(
            "SELECT r.session_id, COALESCE(u.email, r.guest_email) AS address, COALESCE(u.display_name, r.guest_name) AS name, \
             COALESCE(u.language, r.guest_language) AS language, COALESCE(u.time_zone, r.guest_time_zone) AS time_zone \
             FROM registrations r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1",
        )
        .bind(registration.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        Ok(Recipient {
            address: get(&row, "address")?,
            name: get(&row, "name")?,
            language: Language::parse(&get::<String>(&row, "language")?)?,
            time_zone: TimeZone::parse(&get::<String>(&row, "time_zone")?)?,
            session_id: SessionId(get(&row, "session_id")?),
        })
    }
}

/// Puts a mail in the outbox within `transaction`, with what marks it as queued.
pub(crate) async fn queue_in(
    transaction: &mut sqlx::Transaction<'static, sqlx::Any>,
    recipient: &str,
    subject: &str,
    body: &str,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(at)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}
