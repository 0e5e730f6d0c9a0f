//! Attempts counted per bucket, before the work they ask for is done.
//!
//! One statement adds the attempt and reads the count back, so parallel
//! attempts each see their own number and no more than the limit get through,
//! on both engines and across instances sharing a database. Buckets are stored
//! as hashes: the table holds no addresses or e-mail addresses.

use crate::error::DbError;
use crate::pool::{get, now, sha256_hex, Db};
use kring_domain::{AttemptLimit, ThrottleVerdict, UserId};

/// What one count is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket<'a> {
    /// Password guesses at one account (its lower-cased e-mail address).
    Account(&'a str),
    /// Attempts from one network address.
    Address(&'a str),
    /// Password guesses from a browser that logged in to the account before.
    TrustedDevice(&'a str),
    /// Every login from one network address (never given back).
    LoginsFrom(&'a str),
    /// Every login to one account (never given back).
    LoginsTo(&'a str),
    /// Tries at one's current password when changing it.
    PasswordChange(UserId),
    /// New accounts from one network address.
    SignUps(&'a str),
    /// Visitor registrations from one network address.
    VisitorsFrom(&'a str),
    /// Visitor confirmations mailed to one address.
    VisitorEmail(&'a str),
    /// "Forgot your password?" requests from one network address.
    ResetsFrom(&'a str),
    /// Reset links asked for one e-mail address.
    ResetEmail(&'a str),
    /// Verification links mailed for one account (sent again, or to a new address).
    VerificationMail(UserId),
}

impl Bucket<'_> {
    fn key(&self) -> String {
        let (kind, value) = match self {
            Bucket::Account(email) => ("account", email.to_string()),
            Bucket::Address(address) => ("address", address.to_string()),
            Bucket::TrustedDevice(device) => ("device", device.to_string()),
            Bucket::LoginsFrom(address) => ("logins-from", address.to_string()),
            Bucket::LoginsTo(email) => ("logins-to", email.to_string()),
            Bucket::PasswordChange(user) => ("password", user.0.to_string()),
            Bucket::SignUps(address) => ("sign-ups", address.to_string()),
            Bucket::VisitorsFrom(address) => ("visitors", address.to_string()),
            Bucket::VisitorEmail(email) => ("visitor-email", email.to_lowercase()),
            Bucket::ResetsFrom(address) => ("resets", address.to_string()),
            Bucket::ResetEmail(email) => ("reset-email", email.to_lowercase()),
            Bucket::VerificationMail(user) => ("verification-mail", user.0.to_string()),
        };
        format!("{kind}:{}", sha256_hex(&value))
    }
}

impl Db {
    /// Counts one attempt in `bucket` and judges it against `limit`.
    pub async fn count_attempt(
        &self,
        bucket: Bucket<'_>,
        limit: AttemptLimit,
    ) -> Result<ThrottleVerdict, DbError> {
        let at = now();
        let row = sqlx::query(
            "INSERT INTO attempt_counts (bucket, window_started_at, attempts) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
             attempts = CASE WHEN attempt_counts.window_started_at <= $3 THEN 1 \
                        ELSE attempt_counts.attempts + 1 END, \
             window_started_at = CASE WHEN attempt_counts.window_started_at <= $3 THEN $2 \
                        ELSE attempt_counts.window_started_at END \
             RETURNING attempts, window_started_at",
        )
        .bind(bucket.key())
        .bind(at)
        .bind(at - limit.window_secs)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(limit.verdict(at, get(&row, "attempts")?, get(&row, "window_started_at")?))
    }

    /// Takes back one attempt counted in `bucket`: a login that succeeded is
    /// no guess, and must not use up its network's allowance (a workshop's
    /// room shares one address).
    pub async fn give_back_attempt(&self, bucket: Bucket<'_>) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE attempt_counts SET attempts = attempts - 1 WHERE bucket = $1 AND attempts > 0",
        )
        .bind(bucket.key())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// Starts `bucket` afresh (after a login that succeeded).
    pub async fn forget_attempts(&self, bucket: Bucket<'_>) -> Result<(), DbError> {
        sqlx::query("DELETE FROM attempt_counts WHERE bucket = $1")
            .bind(bucket.key())
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// Drops counts whose window ended over a day ago.
    pub async fn prune_attempts(&self) -> Result<u64, DbError> {
        let pruned = sqlx::query("DELETE FROM attempt_counts WHERE window_started_at < $1")
            .bind(now() - 2 * 24 * 3600)
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected();
        Ok(pruned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_hold_no_address_in_the_clear_and_never_collide_across_kinds() {
        let account = Bucket::Account("amara@demo.kring").key();
        assert!(!account.contains("amara"), "{account}");
        assert_ne!(
            Bucket::SignUps("10.0.0.1").key(),
            Bucket::Address("10.0.0.1").key()
        );
        assert_eq!(
            Bucket::VisitorEmail("Rosa@Example.org").key(),
            Bucket::VisitorEmail("rosa@example.org").key()
        );
    }
}
