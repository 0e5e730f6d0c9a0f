//! Password hashing with argon2id at OWASP's recommended parameters
//! (19 MiB of memory, two passes, one lane), a bounded number at a time, and
//! checking the current password before what only its owner may do.
//!
//! Each hash holds 19 MiB while it runs. Without a bound, a few hundred
//! anonymous sign-ups or logins at once take gigabytes; with one, the rest
//! wait their turn for a while and are then told Kring is busy.

use crate::accounts::PasswordChange;
use crate::error::DbError;
use crate::hashing::MEMORY_KIB;
use crate::limits::Bucket;
use crate::pool::{get, Db};
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use kring_domain::{AttemptLimit, ThrottleVerdict, UserId};
use password_hash::{rand_core::OsRng, SaltString};
use std::time::Duration;

/// How long a request waits for its turn before it is told Kring is busy.
const WAIT_FOR_TURN: Duration = Duration::from_secs(10);

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl Db {
    /// Checks `current` as `user`'s password before something only its owner may do
    /// (changing the password or the address): the refusal, if any. Tries are counted
    /// first, like logins.
    pub async fn check_current_password(
        &self,
        user: UserId,
        current: &str,
    ) -> Result<Option<PasswordChange>, DbError> {
        if let ThrottleVerdict::Blocked {
            retry_after_minutes,
        } = self
            .count_attempt(Bucket::PasswordChange(user), AttemptLimit::PASSWORD_CHANGE)
            .await?
        {
            return Ok(Some(PasswordChange::Throttled {
                retry_after_minutes,
            }));
        }
        let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)?;
        if !self
            .verify_password(current, Some(get(&row, "password_hash")?))
            .await?
        {
            return Ok(Some(PasswordChange::WrongPassword));
        }
        self.forget_attempts(Bucket::PasswordChange(user)).await?;
        Ok(None)
    }

    /// Runs `work` on a blocking thread (argon2 is deliberately slow and must
    /// not stall the async workers) once a turn is free.
    async fn hashing<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, DbError> {
        let turn = tokio::time::timeout(WAIT_FOR_TURN, self.hashing.clone().acquire_owned())
            .await
            .map_err(|_| DbError::Busy)?
            .map_err(|_| DbError::Busy)?;
        // The turn goes with the work: a request abandoned mid-hash must not
        // free a turn while its 19 MiB are still in use.
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|_| DbError::Hashing)
    }

    pub(crate) async fn hash_password(&self, password: &str) -> Result<String, DbError> {
        let password = password.to_owned();
        self.hashing(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|_| DbError::Hashing)
        })
        .await?
    }

    /// Checks `password` against a stored hash; `None` still spends the same
    /// work, so response times do not reveal which addresses have accounts.
    pub(crate) async fn verify_password(
        &self,
        password: &str,
        stored: Option<String>,
    ) -> Result<bool, DbError> {
        let password = password.to_owned();
        self.hashing(move || {
            let stored = stored.unwrap_or_else(|| UNKNOWN_ACCOUNT_HASH.to_owned());
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return false;
            };
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
                && stored != UNKNOWN_ACCOUNT_HASH
        })
        .await
    }
}

/// A valid argon2id hash of a random phrase nobody knows, checked against when an account does not exist.
const UNKNOWN_ACCOUNT_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Kd1Jd3M1Ff2pWk3g0wqQ5aWc6b2eG6YqkXbq4bbb1c";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let test = crate::testing::TestDatabase::sqlite().await;
        let hash = test.db.hash_password("kring-demo-2026").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(test
            .db
            .verify_password("kring-demo-2026", Some(hash.clone()))
            .await
            .unwrap());
        assert!(!test
            .db
            .verify_password("kring-demo-2025", Some(hash))
            .await
            .unwrap());
        assert!(!test.db.verify_password("anything", None).await.unwrap());
        assert!(
            PasswordHash::new(UNKNOWN_ACCOUNT_HASH).is_ok(),
            "the decoy hash must parse, or no work is spent"
        );
        test.finish().await;
    }

    #[tokio::test]
    async fn a_hash_waits_for_a_free_turn_and_gives_up_when_none_comes() {
        let test = crate::testing::TestDatabase::sqlite().await;
        let turns = test.db.hashing.available_permits();
        let _all = test.db.hashing.acquire_many(turns as u32).await.unwrap();
        tokio::time::pause();
        let refused = test.db.hash_password("kring-demo-2026").await;
        assert!(matches!(refused, Err(DbError::Busy)), "{refused:?}");
        tokio::time::resume();
        drop(_all);
        test.finish().await;
    }
}
