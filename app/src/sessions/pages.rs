//! The sessions pages: the agenda and month grid, a session, a visitor's
//! confirmation, and the time-zone picker.

use super::*;
use crate::components::{page_number, ErrorNotice, LabeledField, Notice, Pager};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/sessions/confirm?token=…`: what the link confirms, and the button that does.
#[component]
pub fn ConfirmVisitorPage() -> impl IntoView {
    let t = use_viewer().locale();
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .unwrap_or_default();
    let confirm = ServerAction::<ConfirmGuest>::new();
    let pending = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        load_guest_confirmation,
    );
    view! {
        <Title text=td_string!(t, cal_confirm_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, cal_confirm_title)}</h1>
            <ErrorNotice error=Signal::derive(move || confirm.value().get().and_then(Result::err))/>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match pending.await {
                            Ok(pending) => view! {
                                <p>{td_string!(t, cal_confirm_explain)
                                    .replace("%name%", &pending.name)
                                    .replace("%title%", &pending.session_title)
                                    .replace("%time%", &pending.time)}</p>
                                <ActionForm action=confirm>
                                    <input type="hidden" name="token" value=token/>
                                    <button type="submit">{td_string!(t, cal_confirm_submit)}</button>
                                </ActionForm>
                            }.into_any(),
                            Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// "3 of 10 places taken".
fn places_text(t: Locale, places: Option<(i64, i64)>) -> Option<String> {
    places.map(|(taken, capacity)| {
        td_string!(t, cal_places)
            .replace("%taken%", &taken.to_string())
            .replace("%capacity%", &capacity.to_string())
    })
}

/// A session's time, as every list and page shows it.
#[component]
pub fn SessionTimeText(card: SessionCard) -> impl IntoView {
    view! {
        <span class="time">
            <strong class="local">{card.local}</strong>
            {card.day_marker.map(|marker| view! { " " <span class="day-marker">{marker}</span> })}
            {(!card.host.is_empty()).then(|| view! { " · " <span class="host">{card.host}</span> })}
            " · " <span class="relative">{card.relative}</span>
        </span>
    }
}

#[component]
fn SessionListItem(card: SessionCard) -> impl IntoView {
    let t = use_viewer().locale();
    let cancelled = card.status == SessionStatus::Cancelled;
    let moved = card.status == SessionStatus::Moved;
    let places = places_text(t, card.places);
    view! {
        <li class="session" class:cancelled=cancelled data-session=card.id.to_string()>
            {card.shift_notice.clone().map(|notice| view! { <p class="notice shift" role="note">{notice}</p> })}
            <a class="title" href=format!("/sessions/{}", card.id) lang=card.shown_language.code()>{card.title.clone()}</a>
            <span class="kind">{kind_name(t, card.kind)}</span>
            {cancelled.then(|| view! { <span class="badge cancelled">{td_string!(t, cal_cancelled)}</span> })}
            {moved.then(|| view! { <span class="badge moved">{td_string!(t, cal_moved)}</span> })}
            {match card.registration {
                Some(RegistrationState::Confirmed) => Some(view! { <span class="badge registered">{td_string!(t, cal_registered)}</span> }.into_any()),
                Some(RegistrationState::Waitlisted) => Some(view! { <span class="badge waitlisted">{td_string!(t, cal_waitlisted)}</span> }.into_any()),
                None => None,
            }}
            <br/>
            <SessionTimeText card=card.clone()/>
            <small class="meta">{card.audience.clone()} {places.map(|p| format!(" · {p}"))}</small>
        </li>
    }
}

/// `/sessions`: the sessions ahead (default, `?page=2`), those past
/// (`?past=1`, latest first) or a month grid (`?view=month&month=2027-03`).
#[component]
pub fn SessionsPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let query = use_query_map();
    let (view_mode, month, feed_done, past_page, page) = query.with_untracked(|q| {
        (
            q.get("view"),
            q.get("month"),
            q.get("feed"),
            q.get("past").map(|page| page_number(&page)),
            q.get("page").map_or(0, |page| page_number(&page)),
        )
    });
    let month_view = view_mode.as_deref() == Some("month");
    let month = month_view.then(|| month.unwrap_or_default());
    let past = !month_view && past_page.is_some();
    let page = past_page.unwrap_or(page);
    let feed_action = ServerAction::<ManageFeed>::new();
    let error = Signal::derive(move || feed_action.value().get().and_then(Result::err));
    let data = Resource::new_blocking(
        move || (month.clone(), past, page),
        |(month, past, page)| load_agenda(month, past, page),
    );
    view! {
        <Title text=td_string!(t, cal_title)/>
        <h1>{td_string!(t, cal_title)}</h1>
        {(!viewer.time_zone_known).then(|| view! { <crate::behaviours::ZoneCookie/> })}
        <Notice show=feed_done.as_deref() == Some("regenerate") text=td_string!(t, cal_feed_created)/>
        <Notice show=feed_done.as_deref() == Some("revoke") text=td_string!(t, cal_feed_revoked)/>
        <ErrorNotice error/>
        <Suspense>
            {move || Suspend::new(async move {
                let agenda = match data.await {
                    Ok(agenda) => agenda,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let zone_line = td_string!(t, cal_times_in).replace("%zone%", &agenda.zone_label);
                let upcoming = !month_view && !past;
                view! {
                    <p class="zone-line">
                        {zone_line} " "
                        <a href="/time-zone?back=/sessions">{td_string!(t, cal_change_zone)}</a>
                    </p>
                    <nav class="view-switch" aria-label=td_string!(t, cal_views)>
                        <a href="/sessions" aria-current=upcoming.then_some("page")>{td_string!(t, cal_agenda)}</a>
                        <a href="/sessions?past=1" aria-current=past.then_some("page")>{td_string!(t, cal_past)}</a>
                        <a href="/sessions?view=month" aria-current=month_view.then_some("page")>{td_string!(t, cal_month)}</a>
                        {agenda.may_plan.then(|| view! {
                            <a href="/sessions/plan">{td_string!(t, cal_plan)}</a>
                            <a href="/sessions/fair-time">{td_string!(t, cal_fair_time)}</a>
                        })}
                    </nav>
                    {(!agenda.notices.is_empty()).then(|| view! {
                        <section class="card reminders" aria-label=td_string!(t, cal_notices)>
                            <h2>{td_string!(t, cal_notices)}</h2>
                            <ul>{agenda.notices.iter().map(|text| view! { <li>{text.clone()}</li> }).collect_view()}</ul>
                        </section>
                    })}
                    {match agenda.month.clone() {
                        Some(grid) => view! { <MonthView grid/> }.into_any(),
                        None if agenda.sessions.is_empty() => view! {
                            <p>{if past { td_string!(t, cal_none_past) } else { td_string!(t, cal_none) }}</p>
                        }.into_any(),
                        None => view! {
                            <ol class="agenda">
                                {agenda.sessions.iter().cloned().map(|card| view! { <SessionListItem card/> }).collect_view()}
                            </ol>
                            <Pager pages=agenda.pages base="/sessions".to_owned() t key=if past { "past" } else { "page" }/>
                        }.into_any(),
                    }}
                    <FeedSection feed=agenda.feed.clone() signed_in=agenda.signed_in feed_action/>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn MonthView(grid: MonthGrid) -> impl IntoView {
    let t = use_viewer().locale();
    view! {
        <section class="month">
            <h2>{grid.heading.clone()}</h2>
            <p class="month-nav">
                <a href=format!("/sessions?view=month&month={}", grid.previous)>{td_string!(t, cal_previous_month)}</a>
                " · "
                <a href=format!("/sessions?view=month&month={}", grid.next)>{td_string!(t, cal_next_month)}</a>
            </p>
            <table class="month-grid">
                <thead><tr>{grid.weekdays.iter().map(|d| view! { <th scope="col">{d.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {grid.weeks.into_iter().map(|week| view! {
                        <tr>
                            {week.into_iter().map(|cell| view! {
                                <td class:outside=!cell.in_month>
                                    <span class="day">{cell.day}</span>
                                    {cell.sessions.into_iter().map(|session| view! {
                                        <a class="grid-session" class:cancelled=session.cancelled href=format!("/sessions/{}", session.id)>
                                            <span class="clock">{session.clock}</span> " " {session.title}
                                        </a>
                                    }).collect_view()}
                                </td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn FeedSection(
    feed: Option<FeedLinks>,
    signed_in: bool,
    feed_action: ServerAction<ManageFeed>,
) -> impl IntoView {
    let t = use_viewer().locale();
    view! {
        <section class="card feed">
            <h2>{td_string!(t, cal_feed_title)}</h2>
            {match (signed_in, feed) {
                (true, Some(FeedLinks { https: Some(https), webcal })) => view! {
                    <p>{td_string!(t, cal_feed_explain)}</p>
                    <p><input type="text" readonly class="feed-url" value=https.clone() aria-label=td_string!(t, cal_feed_title)/></p>
                    <p class="actions">
                        <a class="button" href=webcal.unwrap_or_default()>{td_string!(t, cal_feed_subscribe)}</a>
                    </p>
                    <ActionForm action=feed_action>
                        <input type="hidden" name="action" value="regenerate"/>
                        <button type="submit" class="secondary">{td_string!(t, cal_feed_regenerate)}</button>
                    </ActionForm>
                    <ActionForm action=feed_action>
                        <input type="hidden" name="action" value="revoke"/>
                        <button type="submit" class="secondary">{td_string!(t, cal_feed_revoke)}</button>
                    </ActionForm>
                }.into_any(),
                (true, _) => view! {
                    <p>{td_string!(t, cal_feed_explain)}</p>
                    <ActionForm action=feed_action>
                        <input type="hidden" name="action" value="regenerate"/>
                        <button type="submit">{td_string!(t, cal_feed_create)}</button>
                    </ActionForm>
                }.into_any(),
                (false, _) => view! {
                    <p>{td_string!(t, cal_public_feed)}</p>
                    <p class="actions">
                        <a class="button" href="/calendar/public.ics">{td_string!(t, cal_download_ics)}</a>
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

/// `/sessions/:id`: the time, the join link, materials and registration.
#[component]
pub fn SessionPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let id = crate::components::route_id();
    let (registered, planned) =
        use_query_map().with_untracked(|q| (q.get("registered"), q.get("planned")));
    let register = ServerAction::<RegisterForSession>::new();
    let unregister = ServerAction::<CancelMyRegistration>::new();
    let guest = ServerAction::<RegisterGuest>::new();
    let change = ServerAction::<crate::sessions::ChangeSession>::new();
    let error = Signal::derive(move || {
        register
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| unregister.value().get().and_then(Result::err))
            .or_else(|| guest.value().get().and_then(Result::err))
            .or_else(|| change.value().get().and_then(Result::err))
    });
    let data = Resource::new_blocking(move || id, load_session);
    view! {
        {(!viewer.time_zone_known).then(|| view! { <crate::behaviours::ZoneCookie/> })}
        <ErrorNotice error/>
        <Suspense>
            {move || {
                let (registered, planned) = (registered.clone(), planned.clone());
                Suspend::new(async move {
                let detail = match data.await {
                    Ok(detail) => detail,
                    Err(error) => return view! {
                        <Title text=td_string!(t, not_found_title)/>
                        <ErrorNotice error=Signal::stored(Some(error))/>
                    }.into_any(),
                };
                let card = detail.card.clone();
                let confirmation = match registered.as_deref() {
                    Some("confirmed") => Some(td_string!(t, cal_now_registered).replace("%time%", &card.local)),
                    Some("waitlisted") => Some(td_string!(t, cal_now_waitlisted).to_owned()),
                    Some("cancelled") => Some(td_string!(t, cal_now_cancelled).to_owned()),
                    Some("check-mail") => Some(td_string!(t, cal_guest_check_mail).to_owned()),
                    // Only a number: the link's text is anybody's.
                    _ => planned
                        .as_deref()
                        .and_then(|count| count.parse::<u16>().ok())
                        .map(|count| td_string!(t, cal_planned).replace("%count%", &count.to_string())),
                };
                let places = places_text(t, card.places);
                view! {
                    <Title text=card.title.clone()/>
                    <p><a href="/sessions">{td_string!(t, cal_back)}</a></p>
                    {confirmation.map(|text| view! { <p class="notice success" role="status">{text}</p> })}
                    <article class="card session-detail">
                        <h1 lang=card.shown_language.code()>{card.title.clone()}</h1>
                        <p class="kind">{kind_name(t, card.kind)} {(!card.audience.is_empty()).then(|| format!(" · {}", card.audience))}</p>
                        {(card.status == SessionStatus::Cancelled).then(|| view! { <p class="notice error">{td_string!(t, cal_is_cancelled)}</p> })}
                        {(card.status == SessionStatus::Moved).then(|| view! { <p class="notice">{td_string!(t, cal_is_moved)}</p> })}
                        {card.shift_notice.clone().map(|notice| view! { <p class="notice shift" role="note">{notice}</p> })}
                        <p class="when"><SessionTimeText card=card.clone()/></p>
                        {places.map(|p| view! { <p class="places">{p} {(detail.waitlisted > 0).then(|| td_string!(t, cal_waitlist_count).replace("%count%", &detail.waitlisted.to_string()))}</p> })}
                        <p class="description" lang=card.shown_language.code()>{detail.description.clone()}</p>
                        {detail.unit.clone().map(|(unit, title)| view! { <p class="materials">{td_string!(t, cal_materials)} ": " <a href=format!("/units/{unit}")>{title}</a></p> })}
                        {detail.video_link.clone().map(|link| if detail.join_open {
                            view! { <p><a class="button join" href=link rel="noopener noreferrer" target="_blank">{td_string!(t, cal_join)}</a></p> }.into_any()
                        } else {
                            view! { <p class="hint">{td_string!(t, cal_join_later)}</p> }.into_any()
                        })}
                        <p class="actions">
                            <a class="button secondary" href=format!("/sessions/{}/event.ics", card.id)>{td_string!(t, cal_download_ics)}</a>
                            <a class="button secondary" href=detail.google_link.clone() rel="noopener noreferrer" target="_blank">{td_string!(t, cal_google)}</a>
                        </p>
                        {detail.may_register.then(|| match card.registration {
                            Some(_) => view! {
                                <ActionForm action=unregister>
                                    <input type="hidden" name="id" value=card.id.to_string()/>
                                    <button type="submit" class="secondary">{td_string!(t, cal_unregister)}</button>
                                </ActionForm>
                            }.into_any(),
                            None => view! {
                                <ActionForm action=register>
                                    <input type="hidden" name="id" value=card.id.to_string()/>
                                    <button type="submit">{td_string!(t, cal_register)}</button>
                                </ActionForm>
                            }.into_any(),
                        })}
                    </article>
                    <crate::sessions::FollowUpSection follow_up=detail.follow_up.clone()/>
                    {detail.visitor_may_register.then(|| if detail.visitors_confirm_by_mail {
                        view! { <GuestRegistration session=card.id zone=detail.viewer_time_zone.clone() guest/> }.into_any()
                    } else {
                        view! { <p class="card hint">{td_string!(t, errors_visitor_signup_closed)}</p> }.into_any()
                    })}
                    {detail.may_manage.then(|| view! { <crate::sessions::ManageSession detail=detail.clone() change/> })}
                }.into_any()
            })}}
        </Suspense>
    }
}

#[component]
fn GuestRegistration(
    session: i64,
    zone: String,
    guest: ServerAction<RegisterGuest>,
) -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    view! {
        <section class="card">
            <h2>{td_string!(t, cal_guest_title)}</h2>
            <p>{td_string!(t, cal_guest_explain)}</p>
            <ActionForm action=guest>
                <input type="hidden" name="guest[session]" value=session.to_string()/>
                <LabeledField label=td_string!(t, field_display_name)>
                    <input type="text" name="guest[name]" required maxlength="80" autocomplete="name"/>
                </LabeledField>
                <LabeledField label=td_string!(t, field_email)>
                    <input type="email" name="guest[email]" required autocomplete="email"/>
                </LabeledField>
                <LabeledField label=td_string!(t, field_organisation)>
                    <input type="text" name="guest[organisation]" required maxlength="120" autocomplete="organization"/>
                </LabeledField>
                <LabeledField label=td_string!(t, cal_guest_group)>
                    <select name="guest[language_group]">
                        {Language::ALL.into_iter().map(|l| view! { <option value=l.code() selected=l == viewer.language>{l.native_name()}</option> }).collect_view()}
                    </select>
                </LabeledField>
                <LabeledField label=td_string!(t, field_time_zone)>
                    <crate::behaviours::BrowserTimeZone name="guest[time_zone]".to_owned() value=zone/>
                </LabeledField>
                <button type="submit">{td_string!(t, cal_register)}</button>
            </ActionForm>
        </section>
    }
}

/// `/time-zone`: pick the zone times are shown in, by city or zone name.
#[component]
pub fn TimeZonePage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let back = use_query_map()
        .with_untracked(|q| q.get("back"))
        .map(|back| crate::navigation::in_site_target(&back, "/sessions"))
        .unwrap_or_else(|| "/sessions".to_owned());
    let save = ServerAction::<SetTimeZone>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let current = viewer.time_zone.clone();
    view! {
        <Title text=td_string!(t, cal_zone_title)/>
        <h1>{td_string!(t, cal_zone_title)}</h1>
        <p>{td_string!(t, cal_zone_explain)}</p>
        <ErrorNotice error/>
        <ActionForm action=save>
            <input type="hidden" name="back" value=back/>
            <LabeledField label=td_string!(t, field_time_zone) hint=td_string!(t, cal_zone_hint)>
                <input type="text" name="zone" list="zones" required autocomplete="off" spellcheck="false" value=current/>
            </LabeledField>
            <ZoneList/>
            <button type="submit">{td_string!(t, cal_zone_save)}</button>
        </ActionForm>
    }
}

/// `<datalist id="zones">` with every zone, for any zone field (`list="zones"`):
/// the browser filters it by city or zone name as one types.
#[component]
pub fn ZoneList() -> impl IntoView {
    let zones = Resource::new_blocking(|| (), |_| time_zone_choices());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                zones.await.ok().map(|zones| view! {
                    <datalist id="zones">
                        {zones.into_iter().map(|(zone, label)| view! { <option value=zone>{label}</option> }).collect_view()}
                    </datalist>
                })
            })}
        </Suspense>
    }
}
