//! What people choose to be known by: their @handle and their entry in the
//! member directory of their cohorts.

use crate::error::DbError;
use crate::handles::is_handle_taken;
use crate::pool::{get, Db};
use kring_domain::{
    CohortId, Country, DirectoryEntry, DomainError, Handle, Role, TimeZone, UserId,
};

/// A person as their cohort's directory shows them: what they chose to show,
/// nothing else (`None` where they chose not to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPerson {
    pub id: UserId,
    pub display_name: String,
    pub handle: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub country: Option<Country>,
    pub spoken_languages: Option<String>,
    pub time_zone: Option<TimeZone>,
    /// The bio and what they would like to learn or share.
    pub about: Option<(String, String)>,
}

impl Db {
    /// Gives `user` the handle they chose; refused when someone has it.
    pub async fn set_handle(&self, user: UserId, handle: &Handle) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let taken = sqlx::query("SELECT id FROM users WHERE handle = $1 AND id <> $2")
            .bind(handle.as_str())
            .bind(user.0)
            .fetch_optional(&mut *transaction)
            .await?;
        if taken.is_some() {
            return Err(DbError::Refused(DomainError::HandleTaken));
        }
        let stored = sqlx::query("UPDATE users SET handle = $1 WHERE id = $2")
            .bind(handle.as_str())
            .bind(user.0)
            .execute(&mut *transaction)
            .await;
        match stored {
            // Another took it between the check and the update.
            Err(error) if is_handle_taken(&error) => {
                return Err(DbError::Refused(DomainError::HandleTaken))
            }
            Err(error) => return Err(error.into()),
            Ok(done) if done.rows_affected() == 0 => return Err(DbError::NotFound),
            Ok(_) => {}
        }
        transaction.commit().await?;
        Ok(())
    }

    /// What `user` tells their cohorts, and what they show.
    pub async fn directory_entry(&self, user: UserId) -> Result<DirectoryEntry, DbError> {
        let row = sqlx::query(
            "SELECT bio, learn_share, spoken_languages, shows_country, shows_languages, \
             shows_local_time, shows_about FROM users WHERE id = $1",
        )
        .bind(user.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        Ok(DirectoryEntry {
            bio: get(&row, "bio")?,
            learn_share: get(&row, "learn_share")?,
            spoken_languages: get(&row, "spoken_languages")?,
            shows_country: get::<i64>(&row, "shows_country")? != 0,
            shows_languages: get::<i64>(&row, "shows_languages")? != 0,
            shows_local_time: get::<i64>(&row, "shows_local_time")? != 0,
            shows_about: get::<i64>(&row, "shows_about")? != 0,
        })
    }

    pub async fn set_directory_entry(
        &self,
        user: UserId,
        entry: &DirectoryEntry,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE users SET bio = $2, learn_share = $3, spoken_languages = $4, shows_country = $5, \
             shows_languages = $6, shows_local_time = $7, shows_about = $8 WHERE id = $1",
        )
        .bind(user.0)
        .bind(&entry.bio)
        .bind(&entry.learn_share)
        .bind(&entry.spoken_languages)
        .bind(i64::from(entry.shows_country))
        .bind(i64::from(entry.shows_languages))
        .bind(i64::from(entry.shows_local_time))
        .bind(i64::from(entry.shows_about))
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// `cohort`'s members and facilitators, by name, each showing only what
    /// they chose. Whether the reader may see it is the caller's check.
    pub async fn cohort_directory(
        &self,
        cohort: CohortId,
    ) -> Result<Vec<DirectoryPerson>, DbError> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name, u.handle, u.role, o.name AS organisation, u.country, \
             u.time_zone, u.bio, u.learn_share, u.spoken_languages, u.shows_country, \
             u.shows_languages, u.shows_local_time, u.shows_about \
             FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id \
             WHERE u.id IN (SELECT user_id FROM cohort_members WHERE cohort_id = $1) \
             OR u.id IN (SELECT user_id FROM cohort_facilitators WHERE cohort_id = $1) \
             ORDER BY u.display_name, u.id",
        )
        .bind(cohort.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let shows = |column: &str| get::<i64>(row, column).map(|shown| shown != 0);
                let languages: String = get(row, "spoken_languages")?;
                Ok(DirectoryPerson {
                    id: UserId(get(row, "id")?),
                    display_name: get(row, "display_name")?,
                    handle: get::<Option<String>>(row, "handle")?.unwrap_or_default(),
                    role: Role::parse(&get::<String>(row, "role")?)?,
                    organisation: get(row, "organisation")?,
                    country: if shows("shows_country")? {
                        Some(Country::parse(&get::<String>(row, "country")?)?)
                    } else {
                        None
                    },
                    spoken_languages: (shows("shows_languages")? && !languages.is_empty())
                        .then_some(languages),
                    time_zone: if shows("shows_local_time")? {
                        Some(TimeZone::parse(&get::<String>(row, "time_zone")?)?)
                    } else {
                        None
                    },
                    about: if shows("shows_about")? {
                        Some((get(row, "bio")?, get(row, "learn_share")?))
                    } else {
                        None
                    },
                })
            })
            .collect()
    }
}
