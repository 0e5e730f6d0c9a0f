//! Account recovery: a link mailed to the account's address lets its owner choose a new
//! password. A link works once and for 30 minutes, only its hash is stored, a newer link
//! replaces an older one (as does a password changed on the profile), and using it ends
//! every session and trusted browser the account had.

use crate::accounts::new_token;
use crate::error::DbError;
use crate::pool::{get, now, sha256_hex, Db};
use kring_domain::{NewPassword, UserId};

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 30;

impl Db {
    /// A new reset link for `user`, returned once and stored as a hash; earlier links stop
    /// working, so only the newest mail counts.
    pub async fn create_password_reset(&self, user: UserId) -> Result<String, DbError> {
        let token = new_token();
        // One statement, so that two requests at once still leave one working link.
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, \
             created_at = excluded.created_at",
        )
        .bind(sha256_hex(&token))
        .bind(user.0)
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(token)
    }

    /// Whose password the link behind `token` resets, while it works. Looking uses
    /// nothing up: the page shows the form first.
    pub async fn password_reset_user(&self, token: &str) -> Result<Option<UserId>, DbError> {
        let row = sqlx::query(
            "SELECT user_id FROM password_resets WHERE token_hash = $1 AND created_at > $2",
        )
        .bind(sha256_hex(token))
        .bind(now() - RESET_MINUTES * 60)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| Ok(UserId(get(&row, "user_id")?))).transpose()
    }

    /// Sets `new` as the password through the link behind `token`, once: every session of
    /// the account ends (whoever held one is out), and the person who used the link gets a
    /// new session, whose token is returned. `None` when the link is unknown, used or expired.
    pub async fn reset_password(
        &self,
        token: &str,
        new: &NewPassword,
    ) -> Result<Option<(UserId, String)>, DbError> {
        // Hashing is slow and bounded: spend it only on a link that works.
        if self.password_reset_user(token).await?.is_none() {
            return Ok(None);
        }
        let hash = self.hash_password(new.expose()).await?;
        let mut transaction = self.begin_write().await?;
        let used = sqlx::query(
            "DELETE FROM password_resets WHERE token_hash = $1 AND created_at > $2 RETURNING user_id",
        )
        .bind(sha256_hex(token))
        .bind(now() - RESET_MINUTES * 60)
        .fetch_optional(&mut *transaction)
        .await?;
        // Two tabs raced with the same link: the first one used it.
        let Some(used) = used else {
            return Ok(None);
        };
        let user = UserId(get(&used, "user_id")?);
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        // Whoever held a session or a trusted browser of this account loses it.
        for statement in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM trusted_devices WHERE user_id = $1",
        ] {
            sqlx::query(statement)
                .bind(user.0)
                .execute(&mut *transaction)
                .await?;
        }
        self.record_access_change(&mut transaction, user).await?;
        transaction.commit().await?;
        self.live_committed();
        let session = self.start_session(user).await?;
        Ok(Some((user, session)))
    }

    /// Forgets links that ran out unused.
    pub async fn prune_password_resets(&self) -> Result<u64, DbError> {
        let pruned = sqlx::query("DELETE FROM password_resets WHERE created_at <= $1")
            .bind(now() - RESET_MINUTES * 60)
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected();
        Ok(pruned)
    }
}
