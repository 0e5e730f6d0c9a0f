//! Users, sessions and login throttling.

use crate::{get, now, passwords, Db, DbError};
use kring_domain::{
    Country, DisplayName, Email, Language, LoginThrottle, NewPassword, OrganisationId, Role,
    ThrottleVerdict, TimeZone, UserId,
};
use password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

/// How long a session lives: ended after a quiet spell, and after a fixed time in any case.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl SessionPolicy {
    pub const DEFAULT: SessionPolicy = SessionPolicy {
        idle_secs: 14 * 24 * 3600,
        absolute_secs: 30 * 24 * 3600,
    };
    /// `last_seen_at` is only written again after this long, to spare the database a write per request.
    const TOUCH_AFTER_SECS: i64 = 60;
}

/// A stored account, as the product shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub email: Email,
    pub display_name: DisplayName,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub country: Country,
    pub language: Language,
    pub time_zone: TimeZone,
    pub created_at: i64,
}

pub struct NewUser {
    pub email: Email,
    pub display_name: DisplayName,
    pub password: NewPassword,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    pub country: Country,
    pub language: Language,
    pub time_zone: TimeZone,
}

pub struct ProfileUpdate {
    pub display_name: DisplayName,
    pub organisation_id: Option<OrganisationId>,
    pub country: Country,
    pub language: Language,
    pub time_zone: TimeZone,
}

#[derive(Debug)]
pub enum LoginOutcome {
    /// The password matched; a fresh session token was issued.
    LoggedIn {
        user: Box<UserRecord>,
        token: String,
    },
    WrongCredentials,
    Throttled {
        retry_after_minutes: i64,
    },
}

/// Selects users with their organisation's name, followed by `$tail` (a WHERE or ORDER BY clause).
macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT u.id, u.email, u.display_name, u.role, u.organisation_id, o.name AS organisation_name, ",
            "u.country, u.language, u.time_zone, u.created_at ",
            "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id ",
            $tail
        )
    };
}

fn user_from_row(row: &AnyRow) -> Result<UserRecord, DbError> {
    Ok(UserRecord {
        id: UserId(get(row, "id")?),
        email: Email::parse(&get::<String>(row, "email")?)?,
        display_name: DisplayName::parse(&get::<String>(row, "display_name")?)?,
        role: Role::parse(&get::<String>(row, "role")?)?,
        organisation_id: get::<Option<i64>>(row, "organisation_id")?.map(OrganisationId),
        organisation_name: get(row, "organisation_name")?,
        country: Country::parse(&get::<String>(row, "country")?)?,
        language: Language::parse(&get::<String>(row, "language")?)?,
        time_zone: TimeZone::parse(&get::<String>(row, "time_zone")?)?,
        created_at: get(row, "created_at")?,
    })
}

/// Session tokens are stored only as hashes, so a leaked database holds no usable token.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Db {
    pub async fn create_user(&self, new: NewUser) -> Result<UserRecord, DbError> {
        let hash = passwords::hash(new.password.expose().to_owned()).await?;
        let row = sqlx::query(
            "INSERT INTO users (email, display_name, password_hash, role, organisation_id, country, language, \
             time_zone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.email.as_str())
        .bind(new.display_name.as_str())
        .bind(hash)
        .bind(new.role.as_str())
        .bind(new.organisation_id.map(|id| id.0))
        .bind(new.country.code())
        .bind(new.language.code())
        .bind(new.time_zone.as_str())
        .bind(now())
        .fetch_one(&self.pool)
        .await
        .map_err(|error| DbError::on_unique_violation(error, DbError::EmailTaken))?;
        self.user(UserId(get(&row, "id")?)).await
    }

    pub async fn user(&self, id: UserId) -> Result<UserRecord, DbError> {
        let row = sqlx::query(select_users!("WHERE u.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        user_from_row(&row.ok_or(DbError::NotFound)?)
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<UserRecord, DbError> {
        let row = sqlx::query(select_users!("WHERE u.email = $1"))
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        user_from_row(&row.ok_or(DbError::NotFound)?)
    }

    pub async fn users(&self) -> Result<Vec<UserRecord>, DbError> {
        let rows = sqlx::query(select_users!("ORDER BY u.display_name"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Checks a login attempt against the throttle and the password; on success
    /// issues a new session token (a session is never reused across logins).
    pub async fn log_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> Result<LoginOutcome, DbError> {
        let email = email.trim().to_lowercase();
        let throttle = LoginThrottle::default();
        let since = now() - throttle.window_secs;
        let counts = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM login_failures WHERE email = $1 AND failed_at > $3) AS account_failures, \
               (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND failed_at > $3) AS address_failures, \
               (SELECT MIN(failed_at) FROM login_failures WHERE (email = $1 OR address = $2) AND failed_at > $3) AS oldest",
        )
        .bind(&email)
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        let verdict = throttle.verdict(
            now(),
            get(&counts, "account_failures")?,
            get(&counts, "address_failures")?,
            get(&counts, "oldest")?,
        );
        if let ThrottleVerdict::Blocked {
            retry_after_minutes,
        } = verdict
        {
            return Ok(LoginOutcome::Throttled {
                retry_after_minutes,
            });
        }

        let stored = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&self.pool)
            .await?;
        let (id, hash) = match &stored {
            Some(row) => (
                Some(get::<i64>(row, "id")?),
                Some(get::<String>(row, "password_hash")?),
            ),
            None => (None, None),
        };
        match id {
            Some(id) if passwords::verify(password.to_owned(), hash).await => {
                sqlx::query("DELETE FROM login_failures WHERE email = $1")
                    .bind(&email)
                    .execute(&self.pool)
                    .await?;
                let token = self.start_session(UserId(id)).await?;
                Ok(LoginOutcome::LoggedIn {
                    user: Box::new(self.user(UserId(id)).await?),
                    token,
                })
            }
            _ => {
                if id.is_none() {
                    // Spend the same time as a real check.
                    passwords::verify(password.to_owned(), None).await;
                }
                sqlx::query(
                    "INSERT INTO login_failures (email, address, failed_at) VALUES ($1, $2, $3)",
                )
                .bind(&email)
                .bind(address)
                .bind(now())
                .execute(&self.pool)
                .await?;
                Ok(LoginOutcome::WrongCredentials)
            }
        }
    }

    /// Creates a session for `user` and returns its token (128+ random bits, hex).
    pub async fn start_session(&self, user: UserId) -> Result<String, DbError> {
        let token = new_token();
        let at = now();
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
            .bind(token_hash(&token))
            .bind(user.0)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// The user a session token belongs to, if the session is still alive.
    pub async fn session_user(
        &self,
        token: &str,
        policy: SessionPolicy,
    ) -> Result<Option<UserRecord>, DbError> {
        let at = now();
        let hash = token_hash(token);
        let Some(row) = sqlx::query(
            "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let created_at: i64 = get(&row, "created_at")?;
        let last_seen_at: i64 = get(&row, "last_seen_at")?;
        if at - created_at > policy.absolute_secs || at - last_seen_at > policy.idle_secs {
            self.end_session(token).await?;
            return Ok(None);
        }
        if at - last_seen_at > SessionPolicy::TOUCH_AFTER_SECS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(at)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        self.user(UserId(get(&row, "user_id")?)).await.map(Some)
    }

    pub async fn end_session(&self, token: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Changes a password after checking the current one, and ends every other
    /// session of that user (a stolen session dies with the old password).
    /// Returns `false` when the current password is wrong.
    pub async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new: &NewPassword,
        keep_token: &str,
    ) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DbError::NotFound)?;
        if !passwords::verify(current.to_owned(), Some(get(&row, "password_hash")?)).await {
            return Ok(false);
        }
        let hash = passwords::hash(new.expose().to_owned()).await?;
        let mut transaction = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user.0)
            .bind(token_hash(keep_token))
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(true)
    }

    pub async fn session_count(&self, user: UserId) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS sessions FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await?;
        get(&row, "sessions")
    }

    pub async fn update_profile(
        &self,
        user: UserId,
        update: &ProfileUpdate,
    ) -> Result<UserRecord, DbError> {
        sqlx::query(
            "UPDATE users SET display_name = $1, organisation_id = $2, country = $3, language = $4, time_zone = $5 \
             WHERE id = $6",
        )
        .bind(update.display_name.as_str())
        .bind(update.organisation_id.map(|id| id.0))
        .bind(update.country.code())
        .bind(update.language.code())
        .bind(update.time_zone.as_str())
        .bind(user.0)
        .execute(&self.pool)
        .await?;
        self.user(user).await
    }

    pub async fn set_language(&self, user: UserId, language: Language) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language.code())
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The zone a member sees times in, chosen with the zone picker.
    pub async fn set_time_zone(&self, user: UserId, zone: &TimeZone) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
            .bind(zone.as_str())
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_role(&self, user: UserId, role: Role) -> Result<(), DbError> {
        let result = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        if result.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    pub async fn user_count(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS users FROM users")
            .fetch_one(&self.pool)
            .await?;
        get(&row, "users")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_random_bits_and_hash_deterministically() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }
}
