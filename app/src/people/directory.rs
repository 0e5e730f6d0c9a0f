//! The member directory of a cohort, and what each person chooses it shows
//! of them: name and organisation always, country, languages, local time
//! and a short bio only when they say so. Only the cohort's members and
//! staff see it.

use super::*;
use crate::error::AppError;
use kring_domain::DirectoryEntry;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

/// A cohort's directory, for its members and those who run it.
#[server(endpoint = "people/directory")]
pub async fn load_directory(cohort: i64) -> Result<DirectoryView, AppError> {
    use crate::i18n::*;
    use kring_domain::CohortId;
    let context = request_context();
    let user = context.require_user()?;
    let cohort = CohortId(cohort);
    let db = db();
    // Checked before the cohort is looked up: a cohort one does not belong to
    // and one that does not exist answer alike.
    if !context.runs(Some(cohort)).await? && !db.is_cohort_member(user.id, cohort).await? {
        return Err(context.error(ErrorCode::Forbidden));
    }
    let summary = db.cohort(cohort).await?;
    let language = context.viewer.language;
    let t = locale(language);
    let now = kring_db::now();
    let people = db
        .cohort_directory(cohort)
        .await?
        .into_iter()
        .map(|person| DirectoryCard {
            name: person.display_name,
            handle: person.handle,
            role: role_name(t, person.role).to_owned(),
            organisation: person.organisation,
            country: person
                .country
                .map(|country| country.name(language).to_owned()),
            languages: person.spoken_languages,
            local_time: person
                .time_zone
                .map(|zone| local_time(&zone, now, language)),
            about: person.about,
        })
        .collect();
    Ok(DirectoryView {
        cohort_name: summary.name,
        people,
    })
}

/// "16:05 · Yerevan time": the time where someone is, now.
#[cfg(feature = "ssr")]
fn local_time(zone: &kring_domain::TimeZone, now: i64, language: kring_domain::Language) -> String {
    let clock = jiff::Timestamp::from_second(now)
        .map(|at| {
            at.to_zoned_datetime(kring_domain::series::zone_rules(zone))
                .strftime("%H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let place = kring_domain::time_text::zone_label(zone, now, language, false);
    format!("{clock} · {place}")
}

/// What the person tells their cohorts and shows in the directory.
#[server(endpoint = "people/directory/mine")]
pub async fn my_directory_entry() -> Result<DirectoryEntry, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    Ok(db().directory_entry(user.id).await?)
}

/// Saves what the person tells their cohorts; a box left unticked shows nothing of it.
#[server(endpoint = "people/directory/save")]
pub async fn save_directory_entry(
    bio: String,
    learn_share: String,
    spoken_languages: String,
    shows_country: Option<String>,
    shows_languages: Option<String>,
    shows_local_time: Option<String>,
    shows_about: Option<String>,
) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let entry = DirectoryEntry::parse(
        &bio,
        &learn_share,
        &spoken_languages,
        [
            shows_country.is_some(),
            shows_languages.is_some(),
            shows_local_time.is_some(),
            shows_about.is_some(),
        ],
    )?;
    db().set_directory_entry(user.id, &entry).await?;
    crate::navigation::redirect("/profile?saved=directory#directory");
    Ok(())
}
