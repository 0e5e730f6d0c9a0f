//! Administration: people and their roles, organisations, cohorts and their members.
//! Every function here checks on the server that the caller is an administrator.

use crate::components::{role_name, ErrorNotice, LabeledField, Notice};
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::{Language, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub name: String,
    pub country: String,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortRow {
    pub id: i64,
    pub name: String,
    pub groups: Vec<(i64, String)>,
    /// (user, name, language group)
    pub members: Vec<(i64, String, Option<String>)>,
}

/// People listed on one page of the administration.
pub const PEOPLE_PER_PAGE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminData {
    pub programs: Vec<(i64, String)>,
    /// One page of people, by name.
    pub people: Vec<PersonRow>,
    pub people_pages: crate::components::Pages,
    pub organisations: Vec<OrganisationRow>,
    pub cohorts: Vec<CohortRow>,
    /// The IANA tz database version every time is computed with, e.g. `2026f`.
    pub tzdb_version: String,
}

#[server(endpoint = "admin/overview")]
pub async fn admin_overview(people_page: Option<i64>) -> Result<AdminData, AppError> {
    let context = request_context();
    context.require_admin()?;
    let db = db();
    let internal = |e| context.internal(e);
    let people_pages = crate::components::Pages::of(
        db.user_count().await.map_err(internal)?,
        PEOPLE_PER_PAGE,
        people_page.unwrap_or(0),
    );
    let people = db
        .users_page(people_pages.page, PEOPLE_PER_PAGE)
        .await
        .map_err(internal)?;
    let organisations = db.organisations().await.map_err(internal)?;
    let mut members = db.cohort_members().await.map_err(internal)?;
    let cohorts = db
        .cohorts(None)
        .await
        .map_err(internal)?
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
        })
        .collect();
    let programs = db.programs().await.map_err(internal)?;
    Ok(AdminData {
        tzdb_version: kring_domain::calendar::TZDB_VERSION.to_owned(),
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
    let role = Role::parse(&role).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    db().set_role(kring_domain::UserId(user), role)
        .await
        .map_err(|e| context.db_error(e))?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

#[server(endpoint = "admin/create-organisation")]
pub async fn create_organisation(name: String, country: String) -> Result<(), AppError> {
    let context = request_context();
    context.require_admin()?;
    let invalid = |e| context.error(ErrorCode::Invalid(e));
    let name = kring_domain::OrganisationName::parse(&name).map_err(invalid)?;
    let country = kring_domain::Country::parse(&country).map_err(invalid)?;
    db().create_organisation(&name, country)
        .await
        .map_err(|error| match error {
            kring_db::DbError::OrganisationNameTaken => context.error(ErrorCode::OrganisationTaken),
            other => context.internal(other),
        })?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

#[server(endpoint = "admin/create-program")]
pub async fn create_program(name: String, description: String) -> Result<(), AppError> {
    let context = request_context();
    context.require_admin()?;
    let name =
        kring_domain::GroupName::parse(&name).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    db().create_program(&name, &description)
        .await
        .map_err(|error| match error {
            kring_db::DbError::ProgramNameTaken => context.error(ErrorCode::NameTaken),
            other => context.internal(other),
        })?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

/// The cohort form: a program, a name, the first and last day, and a
/// checkbox per language that gets a language group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCohortForm {
    pub program: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub group_en: Option<String>,
    pub group_es: Option<String>,
    pub group_de: Option<String>,
    pub group_nl: Option<String>,
}

#[server(endpoint = "admin/create-cohort")]
pub async fn create_cohort(cohort: NewCohortForm) -> Result<(), AppError> {
    use kring_domain::{CohortPeriod, GroupName, ProgramId};
    let context = request_context();
    context.require_admin()?;
    let invalid = |e| context.error(ErrorCode::Invalid(e));
    let name = GroupName::parse(&cohort.name).map_err(invalid)?;
    let period = CohortPeriod::parse(&cohort.starts_on, &cohort.ends_on).map_err(invalid)?;
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
    let programs = db.programs().await.map_err(|e| context.internal(e))?;
    if !programs.iter().any(|(id, _)| id.0 == cohort.program) {
        return Err(context.error(ErrorCode::NotFound));
    }
    let (created, _) = db
        .create_cohort(ProgramId(cohort.program), &name, &period, &groups)
        .await
        .map_err(|error| match error {
            kring_db::DbError::CohortNameTaken => context.error(ErrorCode::NameTaken),
            other => context.internal(other),
        })?;
    // Its forum exists from the start: pages only read it.
    db.create_forum(created)
        .await
        .map_err(|e| context.internal(e))?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

/// Adds the person with account `email` to a cohort (or moves them to another language group).
#[server(endpoint = "admin/add-member")]
pub async fn add_cohort_member(cohort: i64, email: String, group: String) -> Result<(), AppError> {
    use kring_domain::{CohortId, Email, LanguageGroupId};
    let context = request_context();
    context.require_admin()?;
    let email = Email::parse(&email).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    let db = db();
    let person = db
        .user_by_email(&email)
        .await
        .map_err(|e| context.db_error(e))?;
    let group = group.parse::<i64>().ok().map(LanguageGroupId);
    db.add_cohort_member(CohortId(cohort), person.id, group)
        .await
        .map_err(|e| context.internal(e))?;
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
        .await
        .map_err(|e| context.db_error(e))?;
    crate::navigation::redirect("/admin?saved=1");
    Ok(())
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let viewer = use_viewer();
    let (t, language) = (viewer.locale(), viewer.language);
    let set_role = ServerAction::<SetRole>::new();
    let create_organisation = ServerAction::<CreateOrganisation>::new();
    let add_member = ServerAction::<AddCohortMember>::new();
    let remove_member = ServerAction::<RemoveCohortMember>::new();
    let new_program = ServerAction::<CreateProgram>::new();
    let new_cohort = ServerAction::<CreateCohort>::new();
    let error = Signal::derive(move || {
        set_role
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| create_organisation.value().get().and_then(Result::err))
            .or_else(|| add_member.value().get().and_then(Result::err))
            .or_else(|| remove_member.value().get().and_then(Result::err))
            .or_else(|| new_program.value().get().and_then(Result::err))
            .or_else(|| new_cohort.value().get().and_then(Result::err))
    });
    let (saved, people_page) = use_query_map().with_untracked(|query| {
        (
            query.get("saved").is_some(),
            query
                .get("people")
                .and_then(|page| page.parse::<i64>().ok())
                .map(|page| page.saturating_sub(1).max(0)),
        )
    });
    let overview = Resource::new_blocking(move || people_page, admin_overview);
    view! {
        <Title text=td_string!(t, admin_title)/>
        <h1>{td_string!(t, admin_title)}</h1>
        <Notice show=saved text=td_string!(t, admin_saved)/>
        <ErrorNotice error/>
        <Suspense>
            {move || Suspend::new(async move {
                let overview = match overview.await {
                    Ok(overview) => overview,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let tzdb = td_string!(t, admin_tzdb).replace("%version%", &overview.tzdb_version);
                let programs = overview.programs.clone();
                view! {
                    <p class="meta tzdb">{tzdb}</p>
                    <section class="card">
                        <h2>{td_string!(t, admin_users)}</h2>
                        <table>
                            <thead><tr>
                                <th>{td_string!(t, admin_name)}</th><th>{td_string!(t, field_email)}</th>
                                <th>{td_string!(t, field_organisation)}</th><th>{td_string!(t, field_time_zone)}</th>
                                <th>{td_string!(t, profile_role)}</th>
                            </tr></thead>
                            <tbody>
                                {overview.people.into_iter().map(|person| view! {
                                    <tr>
                                        <td>{person.display_name}</td><td>{person.email}</td>
                                        <td>{person.organisation.unwrap_or_default()}</td><td>{person.time_zone}</td>
                                        <td>
                                            <ActionForm action=set_role>
                                                <input type="hidden" name="user" value=person.id.to_string()/>
                                                <select name="role" aria-label=td_string!(t, profile_role)>
                                                    {Role::ALL.into_iter().map(|role| view! {
                                                        <option value=role.as_str() selected=role == person.role>{role_name(t, role)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit" class="secondary">{td_string!(t, admin_role_save)}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <crate::components::Pager pages=overview.people_pages base="/admin".to_owned() t key="people"/>
                    </section>
                    <section class="card">
                        <h2>{td_string!(t, admin_organisations)}</h2>
                        <ul>
                            {overview.organisations.into_iter().map(|o| view! {
                                <li>{o.name} " · " {o.country} " · " {o.member_count}</li>
                            }).collect_view()}
                        </ul>
                        <ActionForm action=create_organisation>
                            <LabeledField label=td_string!(t, admin_name)>
                                <input type="text" name="name" required maxlength="120"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, field_country)>
                                <select name="country">
                                    {crate::accounts::country_options(language, String::new())}
                                </select>
                            </LabeledField>
                            <button type="submit">{td_string!(t, admin_add_organisation)}</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{td_string!(t, admin_programs)}</h2>
                        <ul>{programs.iter().map(|(_, name)| view! { <li>{name.clone()}</li> }).collect_view()}</ul>
                        <ActionForm action=new_program>
                            <LabeledField label=td_string!(t, admin_name)>
                                <input type="text" name="name" required maxlength="120"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_description)>
                                <input type="text" name="description"/>
                            </LabeledField>
                            <button type="submit">{td_string!(t, admin_add_program)}</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{td_string!(t, admin_cohorts)}</h2>
                        {overview.cohorts.into_iter().map(|cohort| {
                            let cohort_id = cohort.id;
                            view! {
                                <h3>{cohort.name}</h3>
                                <p>{td_string!(t, admin_members)} ":"</p>
                                <ul class="members">
                                    {cohort.members.into_iter().map(|(member, name, group)| view! {
                                        <li>
                                            {match group {
                                                Some(group) => format!("{name} ({group})"),
                                                None => name,
                                            }} " "
                                            <ActionForm action=remove_member attr:class="inline">
                                                <input type="hidden" name="cohort" value=cohort_id.to_string()/>
                                                <input type="hidden" name="user" value=member.to_string()/>
                                                <button type="submit" class="link">{td_string!(t, admin_remove_member)}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <ActionForm action=add_member>
                                    <input type="hidden" name="cohort" value=cohort_id.to_string()/>
                                    <LabeledField label=td_string!(t, admin_person_email)>
                                        <input type="email" name="email" required autocomplete="off"/>
                                    </LabeledField>
                                    <LabeledField label=td_string!(t, admin_language_group)>
                                        <select name="group">
                                            {cohort.groups.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                        </select>
                                    </LabeledField>
                                    <button type="submit">{td_string!(t, admin_add_member)}</button>
                                </ActionForm>
                            }
                        }).collect_view()}
                        <h3>{td_string!(t, admin_add_cohort)}</h3>
                        <ActionForm action=new_cohort>
                            <LabeledField label=td_string!(t, admin_program)>
                                <select name="cohort[program]">
                                    {overview.programs.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                </select>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_name)>
                                <input type="text" name="cohort[name]" required maxlength="120"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_starts_on)>
                                <input type="date" name="cohort[starts_on]" required/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_ends_on)>
                                <input type="date" name="cohort[ends_on]" required/>
                            </LabeledField>
                            <fieldset>
                                <legend>{td_string!(t, admin_language_groups)}</legend>
                                {Language::ALL.into_iter().map(|language| view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("cohort[group_{}]", language.code()) value="on"/>
                                        {language.native_name()}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <button type="submit">{td_string!(t, admin_add_cohort)}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
