//! `/cohorts/:id/dashboard`: the cohort at a glance for its facilitators, sortable by
//! links (no WebAssembly needed) and downloadable as CSV.

use super::*;
use crate::components::{route_id, ErrorNotice};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = use_viewer().locale();
    let cohort = route_id();
    let order = use_query_map().with_untracked(|query| query.get("sort"));
    let data = Resource::new_blocking(
        move || (cohort, order.clone()),
        |(cohort, order)| load_dashboard(cohort, order),
    );
    view! {
        <Title text=td_string!(t, dashboard_title)/>
        <Suspense>
            {move || Suspend::new(async move {
                let view = match data.await {
                    Ok(view) => view,
                    Err(error) => return view! { <ErrorNotice error=Some(error)/> }.into_any(),
                };
                let cohort = view.cohort;
                let heading = move |order: DashboardOrder, text: String| {
                    let current = view.order == order;
                    view! {
                        <a href=format!("/cohorts/{cohort}/dashboard?sort={}", order.code())
                            aria-current=current.then_some("true")>{text}</a>
                    }
                };
                view! {
                    <h1>{view.cohort_name.clone()} " · " {td_string!(t, dashboard_title)}</h1>
                    <p class="actions">
                        <a href=format!("/cohorts/{cohort}/people")>{td_string!(t, people_manage)}</a>
                        " · "
                        <a class="button secondary" href=format!("/cohorts/{cohort}/dashboard.csv")>{td_string!(t, dashboard_download)}</a>
                    </p>
                    {(view.inactive > 0).then(|| view! {
                        <p class="notice" role="note">{td_string!(t, dashboard_inactive).replace("%count%", &view.inactive.to_string())}</p>
                    })}
                    <div class="table-scroll">
                        <table class="dashboard">
                            <thead>
                                <tr>
                                    <th scope="col">{heading(DashboardOrder::Name, td_string!(t, csv_name).to_owned())}</th>
                                    <th scope="col">{td_string!(t, csv_language_group)}</th>
                                    <th scope="col">{heading(DashboardOrder::Attendance, td_string!(t, dashboard_attendance).to_owned())}</th>
                                    {view.modules.iter().map(|title| view! {
                                        <th scope="col">{heading(DashboardOrder::Progress, title.clone())}</th>
                                    }).collect_view()}
                                    <th scope="col">{heading(DashboardOrder::Seen, td_string!(t, dashboard_last_seen).to_owned())}</th>
                                    <th scope="col">{td_string!(t, dashboard_last_post)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {view.rows.iter().map(|row| view! {
                                    <tr class:inactive=row.inactive>
                                        <th scope="row">{row.name.clone()}</th>
                                        <td>{row.group.clone().unwrap_or_default()}</td>
                                        <td>{row.attendance.clone()}</td>
                                        {row.progress.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}
                                        <td>
                                            {row.last_seen.clone()}
                                            {row.inactive.then(|| view! { " " <span class="badge away">{td_string!(t, dashboard_away)}</span> })}
                                        </td>
                                        <td>{row.last_post.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}
