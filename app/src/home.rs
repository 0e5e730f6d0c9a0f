//! The home page: an introduction for visitors; cohorts and the program outline for members.

use crate::components::ErrorNotice;
use crate::content::{ModuleEntry, Progress};
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortOverview {
    pub id: i64,
    /// Whether the member runs it: their way to its people and invitations.
    pub runs: bool,
    pub name: String,
    pub program_id: i64,
    pub program_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub member_count: i64,
    pub modules: Vec<ModuleEntry>,
}

/// The signed-in member's cohorts, each with its program outline in the member's language.
#[server(endpoint = "my-cohorts")]
pub async fn my_cohorts() -> Result<Vec<CohortOverview>, AppError> {
    use crate::viewer::{db, request_context};
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let cohorts = db.cohorts(Some(user.id)).await?;
    let assigned = db.assigned_cohorts(user.id).await?;
    let mut overview = Vec::with_capacity(cohorts.len());
    for cohort in cohorts {
        // Who runs a cohort sees its program's drafts too.
        let runs = user.role.runs_cohort(assigned.contains(&cohort.id));
        let reader = kring_db::Reader {
            user: user.id,
            language: context.viewer.language,
            staff: runs,
        };
        // A program is a draft for members until it is published.
        let outline = if runs || db.program_published(cohort.program_id).await? {
            db.program_outline(cohort.program_id, None, reader).await?
        } else {
            Vec::new()
        };
        overview.push(CohortOverview {
            id: cohort.id.0,
            runs,
            name: cohort.name,
            program_id: cohort.program_id.0,
            program_name: cohort.program_name,
            starts_on: cohort.starts_on,
            ends_on: cohort.ends_on,
            member_count: cohort.member_count,
            modules: outline.into_iter().map(ModuleEntry::from).collect(),
        });
    }
    Ok(overview)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let (joined, erased) = leptos_router::hooks::use_query_map()
        .with_untracked(|query| (query.get("joined").is_some(), query.get("erased").is_some()));
    view! {
        <Title text=td_string!(t, app_name)/>
        {match viewer.user.clone() {
            None => view! {
                <crate::components::Notice show=erased text=td_string!(t, home_erased)/>
                <section class="hero">
                    <h1>{td_string!(t, home_title)}</h1>
                    <p class="lead">{td_string!(t, tagline)}</p>
                    <p>{td_string!(t, home_intro)}</p>
                    <p>{td_string!(t, home_join)}</p>
                    <p class="actions">
                        {crate::accounts::registration_open().then(|| view! {
                            <a class="button" href="/register">{td_string!(t, nav_register)}</a>
                        })}
                        <a class="button secondary" href="/login">{td_string!(t, nav_login)}</a>
                    </p>
                </section>
            }.into_any(),
            Some(user) => view! {
                <h1>{td_string!(t, home_greeting).replace("%name%", &user.display_name)}</h1>
                <crate::components::Notice show=joined text=td_string!(t, home_joined)/>
                <MemberCohorts/>
            }.into_any(),
        }}
    }
}

#[component]
fn MemberCohorts() -> impl IntoView {
    let viewer = use_viewer();
    let (t, language) = (viewer.locale(), viewer.language);
    let cohorts = Resource::new_blocking(|| (), |_| my_cohorts());
    let builds = viewer
        .user
        .as_ref()
        .is_some_and(|user| user.role.may_facilitate());
    view! {
        <h2>{td_string!(t, home_your_cohorts)}</h2>
        {builds.then(|| view! { <p><a href="/programs/new">{td_string!(t, build_new_program)}</a></p> })}
        <Suspense>
            {move || Suspend::new(async move {
                match cohorts.await {
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                    Ok(cohorts) if cohorts.is_empty() => view! { <p>{td_string!(t, home_no_cohorts)}</p> }.into_any(),
                    Ok(cohorts) => cohorts.into_iter().map(|cohort| view! {
                        <section class="card">
                            <h3>{cohort.name}</h3>
                            <p class="meta">
                                {cohort.program_name} " · " {cohort.starts_on} " – " {cohort.ends_on} " · "
                                {td_string!(t, home_members).replace("%count%", &cohort.member_count.to_string())}
                            </p>
                            {cohort.runs.then(|| view! {
                                <p>
                                    <a href=format!("/cohorts/{}/people", cohort.id)>{td_string!(t, people_manage)}</a>
                                    " · "
                                    <a href=format!("/cohorts/{}/dashboard", cohort.id)>{td_string!(t, dashboard_title)}</a>
                                </p>
                            })}
                            <h4><a href=format!("/programs/{}", cohort.program_id)>{td_string!(t, home_program)}</a></h4>
                            <ol class="outline">
                                {cohort.modules.into_iter().map(|module| view! {
                                    <li>
                                        <a href=format!("/modules/{}", module.id) lang=module.shown.code()><strong>{module.title.clone()}</strong></a>
                                        <FallbackMark shown=module.shown wanted=language/>
                                        <Progress done=module.done_count() total=module.units.len()/>
                                        <ul>
                                            {module.units.into_iter().map(|unit| view! {
                                                <li class:done=unit.done>
                                                    <a href=format!("/units/{}", unit.id) lang=unit.shown.code()>{unit.title}</a>
                                                    <FallbackMark shown=unit.shown wanted=language/>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </li>
                                }).collect_view()}
                            </ol>
                        </section>
                    }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}

/// A discreet note when a title is shown in another language than the reader's.
#[component]
fn FallbackMark(shown: Language, wanted: Language) -> impl IntoView {
    let t = crate::i18n::locale(wanted);
    (shown != wanted).then(|| {
        view! { <small class="fallback">" (" {td_string!(t, home_shown_in_english).replace("%language%", shown.native_name())} ")"</small> }
    })
}
