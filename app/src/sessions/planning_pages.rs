//! Facilitators' pages: planning a series, managing a session (registrants,
//! export, move, cancel) and the fair-time heatmap.

use super::*;
use crate::components::{ErrorNotice, LabeledField, TextArea};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What to do when a clock change skips or repeats the time: ask, earlier or later.
fn choice_select(t: Locale, name: &'static str, selected: &str) -> impl IntoView {
    let options = [
        ("ask", td_string!(t, plan_choice_ask)),
        ("earlier", td_string!(t, plan_choice_earlier)),
        ("later", td_string!(t, plan_choice_later)),
    ];
    view! {
        <select name=name>
            {options.into_iter().map(|(value, label)| view! { <option value=value selected=selected == value>{label}</option> }).collect_view()}
        </select>
    }
}

/// `/sessions/plan`: type, check (GET: nothing typed is lost), then create.
#[component]
pub fn PlanPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let query = use_query_map();
    let (form, checking) = query.with_untracked(|q| {
        (
            SeriesForm::from_query(|name| q.get(name)),
            q.get("check").is_some(),
        )
    });
    let create = ServerAction::<PlanSeries>::new();
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let choices = Resource::new_blocking(|| (), |_| load_planning_choices());
    let checked_form = form.clone();
    let preview = Resource::new_blocking(
        move || checking.then(|| checked_form.clone()),
        |form| async move {
            match form {
                Some(form) => preview_series(form).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=td_string!(t, plan_title)/>
        <h1>{td_string!(t, plan_title)}</h1>
        <p><a href="/sessions">{td_string!(t, cal_back)}</a></p>
        <ErrorNotice error=create_error/>
        <Suspense>
            {move || {
                let form = form.clone();
                Suspend::new(async move {
                let choices = match choices.await {
                    Ok(choices) => choices,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let preview = preview.await;
                let zone = if form.zone.is_empty() { "Etc/GMT".to_owned() } else { form.zone.clone() };
                let kind = if form.kind.is_empty() { "live".to_owned() } else { form.kind.clone() };
                let texts: Vec<(Language, String, String)> = form.texts().into_iter().map(|(l, title, description)| (l, title.to_owned(), description.to_owned())).collect();
                let hidden: Vec<(String, String)> = SeriesForm::FIELDS.into_iter().map(|name| (format!("series[{name}]"), form.field(name).to_owned())).collect();
                let every_weeks = if form.every_weeks.is_empty() { "2".to_owned() } else { form.every_weeks.clone() };
                let count = if form.count.is_empty() { "1".to_owned() } else { form.count.clone() };
                let minutes = if form.minutes.is_empty() { "120".to_owned() } else { form.minutes.clone() };
                let SeriesForm { audience, first_date, clock, other_zone, capacity, video_link, unit, choice, .. } = form;
                view! {
                    <form method="get" action="/sessions/plan" class="card plan">
                        <input type="hidden" name="check" value="1"/>
                        <LabeledField label=td_string!(t, plan_kind)>
                            <select name="kind">
                                {SessionKind::ALL.into_iter().map(|k| view! {
                                    <option value=k.code() selected=k.code() == kind>{crate::i18n::kind_name(t, k)}</option>
                                }).collect_view()}
                            </select>
                        </LabeledField>
                        <LabeledField label=td_string!(t, plan_audience) hint=td_string!(t, plan_audience_hint)>
                            <select name="audience">
                                <option value="public" selected=audience == "public">{td_string!(t, plan_public)}</option>
                                {choices.audiences.iter().map(|(v, label)| view! { <option value=v.clone() selected=*v == audience>{label.clone()}</option> }).collect_view()}
                            </select>
                        </LabeledField>
                        <fieldset>
                            <legend>{td_string!(t, plan_texts)}</legend>
                            <p class="hint">{td_string!(t, plan_texts_hint)}</p>
                            {texts.into_iter().map(|(l, title, description)| view! {
                                <LabeledField label=l.native_name()>
                                    <input type="text" name=format!("title_{}", l.code()) maxlength="200" lang=l.code() value=title/>
                                    <TextArea name=format!("description_{}", l.code()) text=description attr:rows="2" attr:lang=l.code()/>
                                </LabeledField>
                            }).collect_view()}
                        </fieldset>
                        <fieldset>
                            <legend>{td_string!(t, plan_when)}</legend>
                            <LabeledField label=td_string!(t, plan_first_date)>
                                <input type="date" name="first_date" required value=first_date/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, plan_clock)>
                                <input type="time" name="clock" required value=clock/>
                            </LabeledField>
                            <p class="label">{td_string!(t, plan_zone)}</p>
                            <label class="check"><input type="radio" name="zone" value="Etc/GMT" checked=zone == "Etc/GMT"/> {td_string!(t, plan_zone_gmt)}</label>
                            <label class="check"><input type="radio" name="zone" value="Europe/London" checked=zone == "Europe/London"/> {td_string!(t, plan_zone_london)}</label>
                            <label class="check"><input type="radio" name="zone" value="other" checked=zone == "other"/> {td_string!(t, plan_zone_other)}</label>
                            <input type="text" name="other_zone" list="zones" aria-label=td_string!(t, plan_zone_other) value=other_zone placeholder="Europe/Amsterdam"/>
                            <LabeledField label=td_string!(t, plan_every_weeks)>
                                <select name="every_weeks">
                                    {(1..=4).map(|n: u8| view! { <option value=n.to_string() selected=every_weeks == n.to_string()>{td_string!(t, plan_weeks).replace("%count%", &n.to_string())}</option> }).collect_view()}
                                </select>
                            </LabeledField>
                            <LabeledField label=td_string!(t, plan_count)>
                                <input type="number" name="count" min="1" max="60" value=count/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, plan_choice) hint=td_string!(t, plan_choice_hint)>
                                {choice_select(t, "choice", &choice)}
                            </LabeledField>
                            <LabeledField label=td_string!(t, plan_minutes)>
                                <input type="number" name="minutes" min="15" max="480" required value=minutes/>
                            </LabeledField>
                        </fieldset>
                        <LabeledField label=td_string!(t, plan_capacity) hint=td_string!(t, plan_capacity_hint)>
                            <input type="number" name="capacity" min="1" value=capacity/>
                        </LabeledField>
                        <LabeledField label=td_string!(t, plan_video_link)>
                            <input type="url" name="video_link" placeholder="https://" value=video_link/>
                        </LabeledField>
                        <LabeledField label=td_string!(t, cal_materials)>
                            <select name="unit">
                                <option value="">"—"</option>
                                {choices.units.iter().map(|(id, title)| view! { <option value=id.to_string() selected=id.to_string() == unit>{title.clone()}</option> }).collect_view()}
                            </select>
                        </LabeledField>
                        <button type="submit">{td_string!(t, plan_check)}</button>
                        <crate::sessions::ZoneList/>
                    </form>
                    {match preview {
                        Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Ok(Some(preview)) => view! {
                            <section class="card preview">
                                <h2>{td_string!(t, plan_preview).replace("%count%", &preview.occurrences.len().to_string())}</h2>
                                <ol>{preview.occurrences.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ol>
                                <ActionForm action=create>
                                    {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
                                    <button type="submit">{td_string!(t, plan_create)}</button>
                                </ActionForm>
                            </section>
                        }.into_any(),
                    }}
                }.into_any()
            })}}
        </Suspense>
    }
}

/// The facilitator's part of a session page: registrants, export, move, cancel.
#[component]
pub fn ManageSession(detail: SessionDetail, change: ServerAction<ChangeSession>) -> impl IntoView {
    let t = use_viewer().locale();
    let id = detail.card.id;
    view! {
        <section class="card manage">
            <h2>{td_string!(t, plan_registrants)}</h2>
            {if detail.registrants.is_empty() {
                view! { <p>{td_string!(t, plan_no_registrants)}</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr>
                            <th>{td_string!(t, admin_name)}</th><th>{td_string!(t, field_email)}</th>
                            <th>{td_string!(t, field_organisation)}</th><th>{td_string!(t, admin_language_group)}</th>
                            <th>{td_string!(t, field_time_zone)}</th><th>{td_string!(t, plan_status)}</th>
                        </tr></thead>
                        <tbody>
                            {detail.registrants.into_iter().map(|r| view! {
                                <tr>
                                    <td>{r.name}</td><td>{r.email}</td><td>{r.organisation}</td>
                                    <td>{r.language_group}</td><td>{r.time_zone}</td>
                                    <td>{if r.waitlisted { td_string!(t, cal_waitlisted) } else { td_string!(t, cal_registered) }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <p><a class="button secondary" href=format!("/sessions/{id}/registrants.csv")>{td_string!(t, plan_export_csv)}</a></p>
            <h3>{td_string!(t, plan_move)}</h3>
            <ActionForm action=change>
                <input type="hidden" name="change[id]" value=id.to_string()/>
                <input type="hidden" name="change[action]" value="move"/>
                <LabeledField label=td_string!(t, plan_date)>
                    <input type="date" name="change[date]" required/>
                </LabeledField>
                <LabeledField label=td_string!(t, plan_clock) hint=td_string!(t, plan_move_hint)>
                    <input type="time" name="change[clock]" required/>
                </LabeledField>
                <LabeledField label=td_string!(t, plan_choice)>
                    {choice_select(t, "change[choice]", "ask")}
                </LabeledField>
                <button type="submit">{td_string!(t, plan_move)}</button>
            </ActionForm>
            <h3>{td_string!(t, plan_cancel)}</h3>
            <ActionForm action=change>
                <input type="hidden" name="change[id]" value=id.to_string()/>
                <input type="hidden" name="change[action]" value="cancel"/>
                <input type="hidden" name="change[date]" value=""/>
                <input type="hidden" name="change[clock]" value=""/>
                <input type="hidden" name="change[choice]" value="ask"/>
                <button type="submit" class="danger">{td_string!(t, plan_cancel)}</button>
            </ActionForm>
        </section>
    }
}

/// `/sessions/fair-time`: an hour-by-hour heatmap of who is awake.
#[component]
pub fn FairTimePage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let (audience, date, zone, minutes) = use_query_map().with_untracked(|q| {
        (
            q.get("audience").unwrap_or_default(),
            q.get("date").unwrap_or_else(|| "2027-01-14".to_owned()),
            q.get("zone").unwrap_or_else(|| "Etc/GMT".to_owned()),
            q.get("minutes")
                .and_then(|m| m.parse().ok())
                .unwrap_or(120_i64),
        )
    });
    let inputs = (audience.clone(), date.clone(), zone.clone(), minutes);
    let data = Resource::new_blocking(
        move || inputs.clone(),
        |(a, d, z, m)| load_fair_time(a, d, z, m),
    );
    view! {
        <Title text=td_string!(t, cal_fair_time)/>
        <h1>{td_string!(t, cal_fair_time)}</h1>
        <p>{td_string!(t, fair_explain)}</p>
        <p><a href="/sessions">{td_string!(t, cal_back)}</a></p>
        <Suspense>
            {move || {
                let (audience, date, zone) = (audience.clone(), date.clone(), zone.clone());
                Suspend::new(async move {
                let fair = match data.await {
                    Ok(fair) => fair,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                view! {
                    <form method="get" action="/sessions/fair-time" class="card">
                        <LabeledField label=td_string!(t, plan_audience)>
                            <select name="audience">
                                {fair.audiences.iter().map(|(v, label)| view! { <option value=v.clone() selected=*v == audience>{label.clone()}</option> }).collect_view()}
                            </select>
                        </LabeledField>
                        <LabeledField label=td_string!(t, fair_date)>
                            <input type="date" name="date" value=date required/>
                        </LabeledField>
                        <LabeledField label=td_string!(t, plan_zone)>
                            <input type="text" name="zone" list="zones" value=zone required/>
                        </LabeledField>
                        <crate::sessions::ZoneList/>
                        <LabeledField label=td_string!(t, plan_minutes)>
                            <input type="number" name="minutes" min="15" max="480" value=minutes.to_string()/>
                        </LabeledField>
                        <button type="submit">{td_string!(t, fair_show)}</button>
                    </form>
                    <table class="heatmap">
                        <thead><tr>
                            <th scope="col">{td_string!(t, plan_clock)}</th>
                            <th scope="col">{td_string!(t, fair_awake)}</th>
                            <th scope="col">{td_string!(t, fair_outside)}</th>
                            <th scope="col"></th>
                        </tr></thead>
                        <tbody>
                            {fair.slots.into_iter().map(|slot| {
                                // A meter, not an inline style: the page's CSP allows no style attributes.
                                view! {
                                    <tr class="slot">
                                        <th scope="row">{slot.clock}</th>
                                        <td class="bar">
                                            <meter min="0" max=slot.total.max(1).to_string() value=slot.awake.to_string() aria-hidden="true"></meter>
                                            " " <span>{format!("{} / {}", slot.awake, slot.total)}</span>
                                        </td>
                                        <td>{slot.outside.join(", ")}</td>
                                        <td><a href=slot.plan_link>{td_string!(t, fair_plan_here)}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}}
        </Suspense>
    }
}
