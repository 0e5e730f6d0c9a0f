//! The administration's server functions, each for administrators only.
use super::*;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use kring_domain::Language;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

#[server(endpoint = "admin/overview")]
pub async fn admin_overview(people_page: Option<i64>) -> Result<AdminData, AppError> {
    let context = request_context();
    context.require_admin()?;
    let db = db();
    let people_pages = crate::components::Pages::of(
        db.user_count().await?,
        PEOPLE_PER_PAGE,
        people_page.unwrap_or(0),
    );
    let people = db.users_page(people_pages.page, PEOPLE_PER_PAGE).await?;
    let organisations = db.organisations().await?;
    let mut members = db.cohort_members(None).await?;
    let mut facilitators = db.cohort_facilitators(None).await?;
    let cohorts = db
        .cohorts(None)
        .await?
        .into_iter()
        .map(|cohort| CohortRow {
            id: cohort.id.0,
            name: cohort.name,
            groups: cohort
                .language_groups
                .into_iter()
                .map(|(id, name, _)| (id.0, name))
                .collect(),
            members: members
                .extract_if(.., |member| member.cohort_id == cohort.id)
                .map(|member| (member.user_id.0, member.display_name, member.language_group))
                .collect(),
            facilitators: facilitators
                .extract_if(.., |(of, _, _)| *of == cohort.id)
                .map(|(_, id, name)| (id.0, name))
                .collect(),
        })
        .collect();
    let programs = db.programs().await?;
    Ok(AdminData {
        tzdb_version: kring_domain::series::TZDB_VERSION.to_owned(),
        programs: programs
            .into_iter()
            .map(|(id, name)| (id.0, name))
            .collect(),
        people_pages,
        people: people
            .into_iter()
            .map(|u| PersonRow {
                id: u.id.0,
                display_name: u.display_name.as_str().to_owned(),
                email: u.email.as_str().to_owned(),
                role: u.role,
                organisation: u.organisation_name,
                time_zone: u.time_zone.as_str().to_owned(),
            })
            .collect(),
        organisations: organisations
            .into_iter()
            .map(|o| OrganisationRow {
                name: o.name,
                country: o.country.name(context.viewer.language).to_owned(),
                member_count: o.member_count,
            })
            .collect(),
        cohorts,
    })
}

#[server(endpoint = "admin/set-role")]
pub async fn set_role(user: i64, role: String) -> Result<(), AppError> {
    let context = request_context();
    context.require_admin()?;
    let role = Role::parse(&role)?;
    let person = kring_domain::UserId(user);
    db().set_role(person, role).await?;
    context
        .audit(kring_db::AuditAction::RoleChanged, |entry| {
            entry.subject(person).detail(role.as_str())
        })
        .await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

/// Mails someone a link to choose a new password; the admin never sees it.
#[server(endpoint = "admin/send-reset")]
pub async fn send_reset(user: i64) -> Result<(), AppError> {
    let context = request_context();
    context.require_admin()?;
    crate::accounts::send_reset_link(&context, kring_domain::UserId(user)).await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

#[server(endpoint = "admin/create-organisation")]
pub async fn create_organisation(name: String, country: String) -> Result<(), AppError> {
    let context = request_context();
    context.require_admin()?;
    let name = kring_domain::OrganisationName::parse(&name)?;
    let country = kring_domain::Country::parse(&country)?;
    db().create_organisation(&name, country).await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

#[server(endpoint = "admin/create-program")]
pub async fn create_program(name: String, description: String) -> Result<(), AppError> {
    let context = request_context();
    context.require_admin()?;
    let name = kring_domain::GroupName::parse(&name)?;
    db().create_program(&name, &description).await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

#[server(endpoint = "admin/create-cohort")]
pub async fn create_cohort(cohort: NewCohortForm) -> Result<(), AppError> {
    use kring_domain::{CohortPeriod, GroupName, ProgramId};
    let context = request_context();
    context.require_admin()?;
    let name = GroupName::parse(&cohort.name)?;
    let period = CohortPeriod::parse(&cohort.starts_on, &cohort.ends_on)?;
    let ticked = [
        (Language::En, cohort.group_en),
        (Language::Es, cohort.group_es),
        (Language::De, cohort.group_de),
        (Language::Nl, cohort.group_nl),
    ];
    let groups: Vec<(String, Language)> = ticked
        .into_iter()
        .filter(|(_, ticked)| ticked.is_some())
        .map(|(language, _)| (language.native_name().to_owned(), language))
        .collect();
    let db = db();
    let programs = db.programs().await?;
    if !programs.iter().any(|(id, _)| id.0 == cohort.program) {
        return Err(context.error(ErrorCode::NotFound));
    }
    let (created, _) = db
        .create_cohort(ProgramId(cohort.program), &name, &period, &groups)
        .await?;
    // Its forum exists from the start: pages only read it.
    db.create_forum(created).await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

/// Adds the person with account `email` to a cohort (or moves them to another language group).
#[server(endpoint = "admin/add-member")]
pub async fn add_cohort_member(cohort: i64, email: String, group: String) -> Result<(), AppError> {
    use kring_domain::{CohortId, Email, LanguageGroupId};
    let context = request_context();
    context.require_admin()?;
    let email = Email::parse(&email)?;
    let db = db();
    let person = db.user_by_email(&email).await?;
    let group = group.parse::<i64>().ok().map(LanguageGroupId);
    db.add_cohort_member(CohortId(cohort), person.id, group)
        .await?;
    context
        .audit(kring_db::AuditAction::Enrolled, |entry| {
            entry.subject(person.id).cohort(CohortId(cohort))
        })
        .await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

/// Takes someone out of a cohort (and its circles); their open forum pages stop at once.
#[server(endpoint = "admin/remove-member")]
pub async fn remove_cohort_member(cohort: i64, user: i64) -> Result<(), AppError> {
    use kring_domain::{CohortId, UserId};
    let context = request_context();
    context.require_admin()?;
    db().remove_cohort_member(CohortId(cohort), UserId(user))
        .await?;
    context
        .audit(kring_db::AuditAction::Removed, |entry| {
            entry.subject(UserId(user)).cohort(CohortId(cohort))
        })
        .await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

/// Makes the person with account `email` a facilitator of a cohort: they run it from now on.
#[server(endpoint = "admin/facilitators/assign")]
pub async fn assign_facilitator(cohort: i64, email: String) -> Result<(), AppError> {
    use kring_domain::{CohortId, Email};
    let context = request_context();
    let admin = context.require_admin()?;
    let email = Email::parse(&email)?;
    let db = db();
    let person = db.user_by_email(&email).await?;
    let cohort = db.cohort(CohortId(cohort)).await?;
    db.assign_facilitator(cohort.id, person.id, Some(admin.id))
        .await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

/// Takes someone off a cohort's facilitators; their open pages of its circles stop at once.
#[server(endpoint = "admin/facilitators/remove")]
pub async fn unassign_facilitator(cohort: i64, user: i64) -> Result<(), AppError> {
    use kring_domain::{CohortId, UserId};
    let context = request_context();
    context.require_admin()?;
    db().unassign_facilitator(CohortId(cohort), UserId(user))
        .await?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}
