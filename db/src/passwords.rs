//! Password hashing with argon2id at OWASP's recommended parameters
//! (19 MiB of memory, two passes, one lane).

use crate::DbError;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use password_hash::{rand_core::OsRng, SaltString};

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on a blocking thread: argon2 is deliberately slow and must not stall the async workers.
pub async fn hash(password: String) -> Result<String, DbError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|_| DbError::Hashing)
    })
    .await
    .map_err(|_| DbError::Hashing)?
}

/// Checks `password` against a stored hash; `None` still spends the same work,
/// so response times do not reveal which e-mail addresses have accounts.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
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
    .unwrap_or(false)
}

/// A valid argon2id hash of a random phrase nobody knows, checked against when an account does not exist.
const UNKNOWN_ACCOUNT_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Kd1Jd3M1Ff2pWk3g0wqQ5aWc6b2eG6YqkXbq4bbb1c";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let hash = hash("kring-demo-2026".to_owned()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify("kring-demo-2026".to_owned(), Some(hash.clone())).await);
        assert!(!verify("kring-demo-2025".to_owned(), Some(hash)).await);
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify("anything".to_owned(), None).await);
        assert!(
            PasswordHash::new(UNKNOWN_ACCOUNT_HASH).is_ok(),
            "the decoy hash must parse, or no work is spent"
        );
    }
}
