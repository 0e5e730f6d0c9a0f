//! Users, sessions and login throttling.

use crate::error::DbError;
use crate::limits::Bucket;
use crate::pool::{get, now, sha256_hex, Db};
use kring_domain::{
    AttemptLimit, Country, DisplayName, Email, Language, NewPassword, OrganisationId, Role,
    ThrottleVerdict, TimeZone, UserId,
};
use password_hash::rand_core::{OsRng, RngCore};
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
    /// How others @mention them (from their name, never their address).
    pub handle: String,
    /// Whether its owner followed a link mailed to the address: reminders and digests
    /// go to verified addresses only.
    pub email_verified: bool,
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

/// One try at logging in.
#[derive(Debug, Clone, Copy)]
pub struct LoginAttempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The network address it came from.
    pub address: &'a str,
    /// The browser's device cookie, if it has one.
    pub device: Option<&'a str>,
}

#[derive(Debug)]
pub enum LoginOutcome {
    /// The password matched; a fresh session token was issued, and a device
    /// token that marks this browser as one that logged in to the account.
    LoggedIn {
        user: Box<UserRecord>,
        token: String,
        device: String,
    },
    WrongCredentials,
    Throttled {
        retry_after_minutes: i64,
    },
}

/// What became of a try at changing one's password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    Changed,
    WrongPassword,
    Throttled { retry_after_minutes: i64 },
}

/// Trusted browsers kept per person; a new login past this forgets the oldest.
const TRUSTED_DEVICES_PER_USER: i64 = 10;
/// Tries at a free handle before giving up (each loses only to a sign-up at the same moment).
const HANDLE_TRIES: usize = 5;
/// Sessions kept per person (browsers and devices signed in at once).
const SESSIONS_PER_USER: i64 = 20;

/// A person's columns (`u`, with their organisation `o`) as [`UserRow`] reads them.
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.display_name, u.role, u.organisation_id, o.name AS organisation_name, \
         u.country, u.language, u.time_zone, u.created_at, u.handle, u.email_verified_at"
    };
}

/// Selects users with their organisation's name, followed by `$tail` (a WHERE or ORDER BY clause).
macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id ",
            $tail
        )
    };
}

/// A session (by `$1`, its token's hash) with its person and `$unread`, what
/// a request learns about its requester: one statement for every request.
macro_rules! select_session_user {
    ($unread:expr) => {
        concat!(
            "SELECT s.created_at AS session_created_at, s.last_seen_at AS session_seen_at, ",
            $unread,
            " AS unread, ",
            user_columns!(),
            " FROM sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN organisations o ON o.id = u.organisation_id WHERE s.token_hash = $1"
        )
    };
}

/// A person's columns as `select_users!` reads them.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    organisation_id: Option<i64>,
    organisation_name: Option<String>,
    country: String,
    language: String,
    time_zone: String,
    created_at: i64,
    handle: Option<String>,
    email_verified_at: Option<i64>,
}

fn user_from_row(row: &AnyRow) -> Result<UserRecord, DbError> {
    let row = <UserRow as sqlx::FromRow<_>>::from_row(row)?;
    Ok(UserRecord {
        id: UserId(row.id),
        email: Email::parse(&row.email)?,
        display_name: DisplayName::parse(&row.display_name)?,
        role: Role::parse(&row.role)?,
        organisation_id: row.organisation_id.map(OrganisationId),
        organisation_name: row.organisation_name,
        country: Country::parse(&row.country)?,
        language: Language::parse(&row.language)?,
        time_zone: TimeZone::parse(&row.time_zone)?,
        created_at: row.created_at,
        handle: row.handle.unwrap_or_default(),
        email_verified: row.email_verified_at.is_some(),
    })
}

/// Session tokens are stored only as hashes, so a leaked database holds no usable token.
fn token_hash(token: &str) -> String {
    sha256_hex(token)
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Db {
    pub async fn create_user(&self, new: NewUser) -> Result<UserRecord, DbError> {
        let hash = self.hash_password(new.password.expose()).await?;
        // Two people with one first name signing up at once may pick the same
        // handle: the loser takes the next one.
        for _ in 0..HANDLE_TRIES {
            let mut transaction = self.begin_write().await?;
            let handle = crate::handles::free_handle(&mut transaction, &new.display_name).await?;
            let inserted = sqlx::query(
                "INSERT INTO users (email, display_name, password_hash, role, organisation_id, country, language, \
                 time_zone, created_at, handle) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(new.email.as_str())
            .bind(new.display_name.as_str())
            .bind(&hash)
            .bind(new.role.as_str())
            .bind(new.organisation_id.map(|id| id.0))
            .bind(new.country.code())
            .bind(new.language.code())
            .bind(new.time_zone.as_str())
            .bind(now())
            .bind(handle)
            .fetch_one(&mut *transaction)
            .await;
            match inserted {
                Ok(row) => {
                    transaction.commit().await?;
                    return self.user(UserId(get(&row, "id")?)).await;
                }
                Err(error) if crate::handles::is_handle_taken(&error) => continue,
                Err(error) => return Err(DbError::on_unique_violation(error, DbError::EmailTaken)),
            }
        }
        Err(DbError::Busy)
    }

    /// Whether an account uses `email`: asked before a password is hashed for a new one.
    pub async fn email_taken(&self, email: &Email) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS found FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_one(&mut *self.connection().await?)
            .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    pub async fn user(&self, id: UserId) -> Result<UserRecord, DbError> {
        let row = sqlx::query(select_users!("WHERE u.id = $1"))
            .bind(id.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?;
        user_from_row(&row.ok_or(DbError::NotFound)?)
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<UserRecord, DbError> {
        let row = sqlx::query(select_users!("WHERE u.email = $1"))
            .bind(email.as_str())
            .fetch_optional(&mut *self.connection().await?)
            .await?;
        user_from_row(&row.ok_or(DbError::NotFound)?)
    }

    /// One page (from 0) of everyone, by name.
    pub async fn users_page(&self, page: i64, per_page: i64) -> Result<Vec<UserRecord>, DbError> {
        let rows = sqlx::query(select_users!(
            "ORDER BY u.display_name, u.id LIMIT $1 OFFSET $2"
        ))
        .bind(per_page)
        .bind(page.max(0).saturating_mul(per_page))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Counts a login attempt, then checks the password; on success issues a
    /// new session token (a session is never reused across logins).
    ///
    /// Attempts are counted before any hashing, atomically, so parallel
    /// guesses get no more through than the limit. A browser that logged in
    /// to the account before (its device token) is counted on its own; every
    /// other is counted per account and per address, so a stranger guessing
    /// at an address locks out strangers, not the owner's own browser.
    pub async fn log_in(&self, attempt: LoginAttempt<'_>) -> Result<LoginOutcome, DbError> {
        let email = attempt.email.trim().to_lowercase();
        let trusted = match attempt.device {
            Some(device) => self.device_trusted_for(device, &email).await?,
            None => false,
        };
        // In order, stopping at the first that says wait: an address already
        // refused leaves the accounts it aims at untouched. Every login costs
        // a password check, so all of them count towards an hourly budget too.
        let buckets = match attempt.device.filter(|_| trusted) {
            Some(device) => vec![
                (
                    Bucket::LoginsFrom(attempt.address),
                    AttemptLimit::LOGINS_PER_ADDRESS,
                ),
                (Bucket::LoginsTo(&email), AttemptLimit::LOGINS_PER_ACCOUNT),
                (
                    Bucket::TrustedDevice(device),
                    AttemptLimit::LOGIN_PER_TRUSTED_DEVICE,
                ),
            ],
            None => vec![
                (
                    Bucket::LoginsFrom(attempt.address),
                    AttemptLimit::LOGINS_PER_ADDRESS,
                ),
                (
                    Bucket::Address(attempt.address),
                    AttemptLimit::LOGIN_PER_ADDRESS,
                ),
                (Bucket::LoginsTo(&email), AttemptLimit::LOGINS_PER_ACCOUNT),
                (Bucket::Account(&email), AttemptLimit::LOGIN_PER_ACCOUNT),
            ],
        };
        for (bucket, limit) in buckets {
            if let ThrottleVerdict::Blocked {
                retry_after_minutes,
            } = self.count_attempt(bucket, limit).await?
            {
                return Ok(LoginOutcome::Throttled {
                    retry_after_minutes,
                });
            }
        }

        let stored = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *self.connection().await?)
            .await?;
        let (id, hash) = match &stored {
            Some(row) => (
                Some(get::<i64>(row, "id")?),
                Some(get::<String>(row, "password_hash")?),
            ),
            // An unknown address still spends the work of a real check.
            None => (None, None),
        };
        let matches = self.verify_password(attempt.password, hash).await?;
        let Some(id) = id.filter(|_| matches) else {
            return Ok(LoginOutcome::WrongCredentials);
        };
        let user = UserId(id);
        self.forget_attempts(Bucket::Account(&email)).await?;
        if !trusted {
            self.give_back_attempt(Bucket::Address(attempt.address))
                .await?;
        }
        let device = match attempt.device.filter(|_| trusted) {
            Some(device) => {
                self.forget_attempts(Bucket::TrustedDevice(device)).await?;
                device.to_owned()
            }
            None => self.trust_device(user).await?,
        };
        let token = self.start_session(user).await?;
        Ok(LoginOutcome::LoggedIn {
            user: Box::new(self.user(user).await?),
            token,
            device,
        })
    }

    /// Whether `device` is a token this browser got when logging in to `email`'s account.
    async fn device_trusted_for(&self, device: &str, email: &str) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM trusted_devices d JOIN users u ON u.id = d.user_id \
             WHERE d.token_hash = $1 AND u.email = $2",
        )
        .bind(token_hash(device))
        .bind(email)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    /// Marks a browser as one that logged in to `user`'s account; keeps the newest few per person.
    pub async fn trust_device(&self, user: UserId) -> Result<String, DbError> {
        let device = new_token();
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO trusted_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash(&device))
        .bind(user.0)
        .bind(now())
        .execute(&mut *transaction)
        .await?;
        sqlx::query(
            "DELETE FROM trusted_devices WHERE user_id = $1 AND token_hash NOT IN \
             (SELECT token_hash FROM trusted_devices WHERE user_id = $1 \
              ORDER BY created_at DESC, token_hash LIMIT $2)",
        )
        .bind(user.0)
        .bind(TRUSTED_DEVICES_PER_USER)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(device)
    }

    /// Creates a session for `user` and returns its token (128+ random bits,
    /// hex). A person keeps their newest few sessions: logging in again and
    /// again never piles them up.
    pub async fn start_session(&self, user: UserId) -> Result<String, DbError> {
        let token = new_token();
        let at = now();
        let mut transaction = self.begin_write().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
            .bind(token_hash(&token))
            .bind(user.0)
            .bind(at)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("UPDATE users SET last_seen_at = $1 WHERE id = $2")
            .bind(at)
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND token_hash NOT IN \
             (SELECT token_hash FROM sessions WHERE user_id = $1 \
              ORDER BY created_at DESC, token_hash LIMIT $2)",
        )
        .bind(user.0)
        .bind(SESSIONS_PER_USER)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(token)
    }

    /// Whether the session behind `token` is still there and within its
    /// time, without touching it: what an open live stream asks now and then,
    /// which must not keep an idle session alive.
    pub async fn session_alive(
        &self,
        token: &str,
        policy: SessionPolicy,
    ) -> Result<Option<(UserId, Role)>, DbError> {
        let at = now();
        let row = sqlx::query(
            "SELECT s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.created_at >= $2 AND s.last_seen_at >= $3",
        )
        .bind(token_hash(token))
        .bind(at - policy.absolute_secs)
        .bind(at - policy.idle_secs)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| {
            Ok((
                UserId(get(&row, "user_id")?),
                Role::parse(&get::<String>(&row, "role")?)?,
            ))
        })
        .transpose()
    }

    /// The user a session token belongs to, if the session is still alive.
    pub async fn session_user(
        &self,
        token: &str,
        policy: SessionPolicy,
    ) -> Result<Option<UserRecord>, DbError> {
        Ok(self
            .session_viewer(token, policy, false)
            .await?
            .map(|(user, _)| user))
    }

    /// [`Db::session_user`] with how many notifications that person has not
    /// read when `count_unread` (a page's header shows it; calls from code
    /// need no count), read in one statement.
    pub async fn session_viewer(
        &self,
        token: &str,
        policy: SessionPolicy,
        count_unread: bool,
    ) -> Result<Option<(UserRecord, i64)>, DbError> {
        let at = now();
        let hash = token_hash(token);
        let statement = if count_unread {
            select_session_user!(unread_notifications_of_u!())
        } else {
            select_session_user!("CAST(0 AS BIGINT)")
        };
        let Some(row) = sqlx::query(statement)
            .bind(&hash)
            .fetch_optional(&mut *self.connection().await?)
            .await?
        else {
            return Ok(None);
        };
        let created_at: i64 = get(&row, "session_created_at")?;
        let last_seen_at: i64 = get(&row, "session_seen_at")?;
        if at - created_at > policy.absolute_secs || at - last_seen_at > policy.idle_secs {
            self.end_session(token).await?;
            return Ok(None);
        }
        let user = user_from_row(&row)?;
        if at - last_seen_at > SessionPolicy::TOUCH_AFTER_SECS {
            let mut transaction = self.begin_write().await?;
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(at)
                .bind(&hash)
                .execute(&mut *transaction)
                .await?;
            sqlx::query("UPDATE users SET last_seen_at = $1 WHERE id = $2")
                .bind(at)
                .bind(user.id.0)
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;
        }
        Ok(Some((user, get(&row, "unread")?)))
    }

    /// Ends a session; the live streams it opened end with it, on every instance.
    pub async fn end_session(&self, token: &str) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
            .bind(token_hash(token))
            .fetch_optional(&mut *transaction)
            .await?;
        if let Some(row) = ended {
            self.record_access_change(&mut transaction, UserId(get(&row, "user_id")?))
                .await?;
        }
        transaction.commit().await?;
        self.live_committed();
        Ok(())
    }

    /// Changes a password after checking the current one, and ends every other
    /// session of that user (a stolen session dies with the old password).
    /// Tries at the current password are counted first, like logins.
    pub async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new: &NewPassword,
        keep_token: &str,
    ) -> Result<PasswordChange, DbError> {
        if let Some(refused) = self.check_current_password(user, current).await? {
            return Ok(refused);
        }
        let hash = self.hash_password(new.expose()).await?;
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
        // A reset link asked for before must not undo the change.
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        self.record_access_change(&mut transaction, user).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(PasswordChange::Changed)
    }

    pub async fn session_count(&self, user: UserId) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS sessions FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&mut *self.connection().await?)
            .await?;
        get(&row, "sessions")
    }

    /// Saves someone's profile. Their posts show their name: live
    /// connections that keep posts loaded hear of it and load them again.
    pub async fn update_profile(
        &self,
        user: UserId,
        update: &ProfileUpdate,
    ) -> Result<UserRecord, DbError> {
        let mut transaction = self.begin_write().await?;
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
        .execute(&mut *transaction)
        .await?;
        self.record_access_change(&mut transaction, user).await?;
        transaction.commit().await?;
        self.live_committed();
        self.user(user).await
    }

    pub async fn set_language(&self, user: UserId, language: Language) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language.code())
            .bind(user.0)
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// The zone a member sees times in, chosen with the zone picker.
    pub async fn set_time_zone(&self, user: UserId, zone: &TimeZone) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
            .bind(zone.as_str())
            .bind(user.0)
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// Gives someone another role; their live streams check again what they may read.
    pub async fn set_role(&self, user: UserId, role: Role) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        if role != Role::Admin {
            crate::erasure::keep_an_admin(&mut transaction, self.engine(), user).await?;
        }
        let result = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        if result.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        self.record_access_change(&mut transaction, user).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(())
    }

    pub async fn user_count(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS users FROM users")
            .fetch_one(&mut *self.connection().await?)
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
