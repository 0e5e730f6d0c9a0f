//! Verified addresses: a link mailed to an address proves its owner reads it. A new
//! account's address counts once verified; a changed address replaces the old one only
//! then. A link works once, for two days; an account has one at most; only its hash is kept.

use crate::accounts::new_token;
use crate::error::DbError;
use crate::pool::{get, now, sha256_hex, Db};
use kring_domain::{Email, UserId};

/// How long a verification link works.
pub const VERIFICATION_HOURS: i64 = 48;

impl Db {
    /// A new link verifying `email` for `user`, returned once; an earlier link stops working.
    pub async fn start_email_verification(
        &self,
        user: UserId,
        email: &Email,
    ) -> Result<String, DbError> {
        let token = new_token();
        sqlx::query(
            "INSERT INTO email_verifications (token_hash, user_id, email, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET \
             token_hash = excluded.token_hash, email = excluded.email, created_at = excluded.created_at",
        )
        .bind(sha256_hex(&token))
        .bind(user.0)
        .bind(email.as_str())
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(token)
    }

    /// The address a working link behind `token` verifies, and whose it is.
    pub async fn email_verification(
        &self,
        token: &str,
    ) -> Result<Option<(UserId, String)>, DbError> {
        let row = sqlx::query(
            "SELECT user_id, email FROM email_verifications WHERE token_hash = $1 AND created_at > $2",
        )
        .bind(sha256_hex(token))
        .bind(now() - VERIFICATION_HOURS * 3600)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| Ok((UserId(get(&row, "user_id")?), get(&row, "email")?)))
            .transpose()
    }

    /// The address `user` is changing to, waiting for its link to be followed.
    pub async fn pending_email(&self, user: UserId) -> Result<Option<String>, DbError> {
        let row = sqlx::query("SELECT email FROM email_verifications WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?;
        row.map(|row| get(&row, "email")).transpose()
    }

    /// Follows the link behind `token`, once: its address becomes the account's, verified.
    /// Reset links mailed to an older address stop working. `None` when the link is
    /// unknown, used or too old; `EmailTaken` when another account took the address since.
    pub async fn verify_email(&self, token: &str) -> Result<Option<UserId>, DbError> {
        let mut transaction = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "DELETE FROM email_verifications WHERE token_hash = $1 AND created_at > $2 \
             RETURNING user_id, email",
        )
        .bind(sha256_hex(token))
        .bind(now() - VERIFICATION_HOURS * 3600)
        .fetch_optional(&mut *transaction)
        .await?
        else {
            return Ok(None);
        };
        let user = UserId(get(&row, "user_id")?);
        let email: String = get(&row, "email")?;
        let taken =
            sqlx::query("SELECT COUNT(*) AS taken FROM users WHERE email = $1 AND id <> $2")
                .bind(&email)
                .bind(user.0)
                .fetch_one(&mut *transaction)
                .await?;
        if get::<i64>(&taken, "taken")? > 0 {
            return Err(DbError::EmailTaken);
        }
        let previous = sqlx::query("SELECT email FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_one(&mut *transaction)
            .await?;
        sqlx::query("UPDATE users SET email = $1, email_verified_at = $2 WHERE id = $3")
            .bind(&email)
            .bind(now())
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        if get::<String>(&previous, "email")? != email {
            sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
                .bind(user.0)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(Some(user))
    }

    /// Counts `user`'s address as verified without a link: it was proven otherwise (an
    /// invitation mailed to it was followed), or it is a demo account's.
    pub async fn mark_email_verified(&self, user: UserId) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL",
        )
        .bind(now())
        .bind(user.0)
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }
}
