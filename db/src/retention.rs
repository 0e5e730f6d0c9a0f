//! How long Kring keeps what it no longer needs (the privacy page states the
//! same periods): sent e-mail, ended sign-ins, used or expired links, old
//! audit entries and copies of data past their day.

use crate::accounts::SessionPolicy;
use crate::audit::AUDIT_KEPT_SECS;
use crate::error::DbError;
use crate::pool::{now, Db};
use crate::verification::VERIFICATION_HOURS;

/// Sent e-mail is kept this long, for questions about what was sent.
pub const SENT_MAIL_KEPT_SECS: i64 = 30 * 86_400;

impl Db {
    /// Deletes everything past its retention period; returns how many rows
    /// went. Run hourly by every instance (deleting twice is harmless).
    pub async fn apply_retention(&self, sessions: SessionPolicy) -> Result<u64, DbError> {
        let at = now();
        let mut purged = 0;
        for (statement, older_than) in [
            (
                "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1",
                at - SENT_MAIL_KEPT_SECS,
            ),
            (
                "DELETE FROM sessions WHERE created_at < $1",
                at - sessions.absolute_secs,
            ),
            (
                "DELETE FROM sessions WHERE last_seen_at < $1",
                at - sessions.idle_secs,
            ),
            (
                "DELETE FROM email_verifications WHERE created_at < $1",
                at - VERIFICATION_HOURS * 3600,
            ),
            (
                "DELETE FROM audit_log WHERE created_at < $1",
                at - AUDIT_KEPT_SECS,
            ),
            ("DELETE FROM data_exports WHERE expires_at < $1", at),
        ] {
            // One rule failing must not keep the others from running.
            match sqlx::query(statement)
                .bind(older_than)
                .execute(&mut *self.connection().await?)
                .await
            {
                Ok(done) => purged += done.rows_affected(),
                Err(error) => tracing::warn!(%error, statement, "a retention rule failed"),
            }
        }
        purged += self.prune_attempts().await?;
        purged += self.prune_access_changes().await?;
        purged += self.prune_guest_confirmations().await?;
        purged += self.prune_password_resets().await?;
        Ok(purged)
    }
}
