//! Facilitators plan sessions: a series as wall time in a host zone (checked
//! and previewed before anything is saved), moving and cancelling sessions,
//! the registrant list, and finding a time that is fair to every member.

use crate::calendar::SessionDetail;
use crate::components::{ErrorNotice, LabeledField, TextArea};
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::{Language, SessionKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};

/// The planning form, as typed. The same fields travel from the check step
/// (a GET form, so nothing typed is lost on an error) to the create step.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SeriesForm {
    pub kind: String,
    /// `public`, `cohort:<id>` or `group:<id>`.
    pub audience: String,
    pub title_en: String,
    pub title_es: String,
    pub title_de: String,
    pub title_nl: String,
    pub description_en: String,
    pub description_es: String,
    pub description_de: String,
    pub description_nl: String,
    pub first_date: String,
    pub clock: String,
    /// `Etc/GMT`, `Europe/London`, or `other` (then `other_zone`).
    pub zone: String,
    pub other_zone: String,
    pub every_weeks: String,
    pub count: String,
    pub minutes: String,
    pub capacity: String,
    pub video_link: String,
    pub unit: String,
    /// `ask`, `earlier` or `later`: for a time a daylight-saving change skips or repeats.
    pub choice: String,
}

impl SeriesForm {
    const FIELDS: [&'static str; 21] = [
        "kind",
        "audience",
        "title_en",
        "title_es",
        "title_de",
        "title_nl",
        "description_en",
        "description_es",
        "description_de",
        "description_nl",
        "first_date",
        "clock",
        "zone",
        "other_zone",
        "every_weeks",
        "count",
        "minutes",
        "capacity",
        "video_link",
        "unit",
        "choice",
    ];

    fn field(&self, name: &str) -> &str {
        match name {
            "kind" => &self.kind,
            "audience" => &self.audience,
            "title_en" => &self.title_en,
            "title_es" => &self.title_es,
            "title_de" => &self.title_de,
            "title_nl" => &self.title_nl,
            "description_en" => &self.description_en,
            "description_es" => &self.description_es,
            "description_de" => &self.description_de,
            "description_nl" => &self.description_nl,
            "first_date" => &self.first_date,
            "clock" => &self.clock,
            "zone" => &self.zone,
            "other_zone" => &self.other_zone,
            "every_weeks" => &self.every_weeks,
            "count" => &self.count,
            "minutes" => &self.minutes,
            "capacity" => &self.capacity,
            "video_link" => &self.video_link,
            "unit" => &self.unit,
            _ => &self.choice,
        }
    }

    fn from_query(get: impl Fn(&str) -> Option<String>) -> SeriesForm {
        let value = |name: &str| get(name).unwrap_or_default();
        SeriesForm {
            kind: value("kind"),
            audience: value("audience"),
            title_en: value("title_en"),
            title_es: value("title_es"),
            title_de: value("title_de"),
            title_nl: value("title_nl"),
            description_en: value("description_en"),
            description_es: value("description_es"),
            description_de: value("description_de"),
            description_nl: value("description_nl"),
            first_date: value("first_date"),
            clock: value("clock"),
            zone: value("zone"),
            other_zone: value("other_zone"),
            every_weeks: value("every_weeks"),
            count: value("count"),
            minutes: value("minutes"),
            capacity: value("capacity"),
            video_link: value("video_link"),
            unit: value("unit"),
            choice: value("choice"),
        }
    }

    fn texts(&self) -> [(Language, &str, &str); 4] {
        [
            (Language::En, &self.title_en, &self.description_en),
            (Language::Es, &self.title_es, &self.description_es),
            (Language::De, &self.title_de, &self.description_de),
            (Language::Nl, &self.title_nl, &self.description_nl),
        ]
    }
}

/// A checked plan: what will be created, each occurrence in the planner's zone and the host's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesPreview {
    pub occurrences: Vec<String>,
}

/// A plan that passed every check, ready to store.
#[cfg(feature = "ssr")]
struct CheckedPlan {
    session: kring_db::NewSession,
    clock: String,
    every_weeks: i64,
    starts: Vec<i64>,
}

#[cfg(feature = "ssr")]
fn check_plan(form: &SeriesForm, context: &RequestContext) -> Result<CheckedPlan, AppError> {
    use kring_domain::calendar::{parse_clock, parse_date, SeriesPlan, TransitionChoice};
    use kring_domain::{
        session_capacity, session_description, DomainError, SessionMinutes, SessionTitle, TimeZone,
        UnitId, VideoLink,
    };
    let user = context.require_facilitator()?;
    let invalid = |error| context.error(ErrorCode::Invalid(error));
    let kind = SessionKind::parse(&form.kind).map_err(invalid)?;
    let (cohort_id, language_group_id) = parse_audience(&form.audience);
    if !kind.is_public() && cohort_id.is_none() {
        return Err(context.error(ErrorCode::AudienceRequired));
    }
    let mut texts = Vec::new();
    for (language, title, description) in form.texts() {
        if title.trim().is_empty() && description.trim().is_empty() {
            continue;
        }
        texts.push((
            language,
            SessionTitle::parse(title).map_err(invalid)?,
            session_description(description)
                .map_err(invalid)?
                .to_owned(),
        ));
    }
    if texts.is_empty() {
        return Err(invalid(DomainError::SessionTitleEmpty));
    }
    let zone_name = if form.zone == "other" {
        &form.other_zone
    } else {
        &form.zone
    };
    let host_zone = TimeZone::parse(zone_name).map_err(invalid)?;
    let count = if form.count.trim().is_empty() {
        Ok(1)
    } else {
        form.count.trim().parse::<u16>()
    };
    let plan = SeriesPlan {
        first_date: parse_date(&form.first_date).map_err(invalid)?,
        clock: parse_clock(&form.clock).map_err(invalid)?,
        host_zone: host_zone.clone(),
        every_weeks: form.every_weeks.trim().parse().unwrap_or(0),
        count: count.map_err(|_| invalid(DomainError::SeriesCountInvalid))?,
        choice: TransitionChoice::parse(&form.choice),
    };
    let occurrences = plan.expand().map_err(|(error, date)| match (error, date) {
        (DomainError::TimeInGap, Some(date)) => context.error(ErrorCode::TimeInGap {
            date: date.to_string(),
            zone: host_zone.as_str().to_owned(),
        }),
        (DomainError::TimeAmbiguous, Some(date)) => context.error(ErrorCode::TimeAmbiguous {
            date: date.to_string(),
            zone: host_zone.as_str().to_owned(),
        }),
        (error, _) => invalid(error),
    })?;
    Ok(CheckedPlan {
        session: kring_db::NewSession {
            kind,
            cohort_id: if kind.is_public() { None } else { cohort_id },
            language_group_id: if kind.is_public() {
                None
            } else {
                language_group_id
            },
            host_zone,
            minutes: SessionMinutes::parse(&form.minutes).map_err(invalid)?,
            video_link: VideoLink::parse(&form.video_link).map_err(invalid)?,
            capacity: session_capacity(&form.capacity, kind).map_err(invalid)?,
            unit_id: form.unit.trim().parse().ok().map(UnitId),
            texts,
            created_by: Some(user.id),
        },
        clock: form.clock.trim().to_owned(),
        every_weeks: i64::from(plan.every_weeks),
        starts: occurrences.iter().map(|o| o.starts_at).collect(),
    })
}

/// Who a session is for, as the forms spell it: `cohort:<id>`, or
/// `group:<group id>:<cohort id>` (a group is stored with its cohort, so
/// cohort-wide queries find it). Anything else is public.
#[cfg(feature = "ssr")]
fn parse_audience(
    audience: &str,
) -> (
    Option<kring_domain::CohortId>,
    Option<kring_domain::LanguageGroupId>,
) {
    use kring_domain::{CohortId, LanguageGroupId};
    match audience.split(':').collect::<Vec<_>>().as_slice() {
        ["cohort", cohort] => (cohort.parse().ok().map(CohortId), None),
        ["group", group, cohort] => (
            cohort.parse().ok().map(CohortId),
            group.parse().ok().map(LanguageGroupId),
        ),
        _ => (None, None),
    }
}

/// Checks a plan and lists its occurrences, storing nothing.
#[server(endpoint = "calendar/preview")]
pub async fn preview_series(series: SeriesForm) -> Result<SeriesPreview, AppError> {
    let context = request_context();
    let plan = check_plan(&series, &context)?;
    let zone = context.time_zone();
    let occurrences = plan
        .starts
        .iter()
        .map(|start| {
            let time = kring_domain::time_text::session_time(
                *start,
                plan.session.minutes.get(),
                &plan.session.host_zone,
                &zone,
                context.viewer.language,
            );
            crate::calendar::full_time_text(&time)
        })
        .collect();
    Ok(SeriesPreview { occurrences })
}

/// Creates the checked series.
#[server(endpoint = "calendar/plan")]
pub async fn plan_series(series: SeriesForm) -> Result<(), AppError> {
    let context = request_context();
    let plan = check_plan(&series, &context)?;
    let (_, ids) = db()
        .create_series(&plan.session, &plan.clock, plan.every_weeks, &plan.starts)
        .await
        .map_err(|e| context.internal(e))?;
    let first = ids.first().map(|id| id.0).unwrap_or_default();
    crate::navigation::redirect(&format!("/sessions/{first}?planned={}", ids.len()));
    Ok(())
}

/// The cohorts, groups and units a session can be planned for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanningChoices {
    pub audiences: Vec<(String, String)>,
    pub units: Vec<(i64, String)>,
}

#[server(endpoint = "calendar/planning-choices")]
pub async fn load_planning_choices() -> Result<PlanningChoices, AppError> {
    let context = request_context();
    let user = context.require_facilitator()?;
    let db = db();
    let cohorts = db.cohorts(None).await.map_err(|e| context.internal(e))?;
    let mut audiences = Vec::new();
    let mut units = Vec::new();
    let mut programs = std::collections::BTreeSet::new();
    for cohort in cohorts {
        audiences.push((format!("cohort:{}", cohort.id), cohort.name.clone()));
        for (group, name, _) in &cohort.language_groups {
            audiences.push((
                format!("group:{group}:{}", cohort.id),
                format!("{} · {name}", cohort.name),
            ));
        }
        if programs.insert(cohort.program_id) {
            let reader = kring_db::Reader {
                user: user.id,
                language: context.viewer.language,
                staff: true,
            };
            let outline = db
                .program_outline(cohort.program_id, None, reader)
                .await
                .map_err(|e| context.internal(e))?;
            for module in outline {
                for unit in module.units {
                    units.push((
                        unit.id.0,
                        format!("{}. {} · {}", module.position, module.title, unit.title),
                    ));
                }
            }
        }
    }
    Ok(PlanningChoices { audiences, units })
}

/// Cancel a session, or move it to a new wall time in its host zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChange {
    pub id: i64,
    pub action: String,
    pub date: String,
    pub clock: String,
    pub choice: String,
}

#[server(endpoint = "calendar/change")]
pub async fn change_session(change: SessionChange) -> Result<(), AppError> {
    use kring_domain::calendar::{parse_clock, parse_date, TransitionChoice, WallTime};
    use kring_domain::DomainError;
    let context = request_context();
    context.require_facilitator()?;
    let db = db();
    let id = kring_domain::SessionId(change.id);
    let not_found = |error| match error {
        kring_db::DbError::NotFound => context.error(ErrorCode::NotFound),
        other => context.internal(other),
    };
    let session = db
        .session(id, kring_db::Audience::Staff, context.viewer.language)
        .await
        .map_err(not_found)?;
    match change.action.as_str() {
        "cancel" => db.cancel_session(id).await.map_err(not_found)?,
        "move" => {
            let invalid = |error| context.error(ErrorCode::Invalid(error));
            let date = parse_date(&change.date).map_err(invalid)?;
            let wall = date.to_datetime(parse_clock(&change.clock).map_err(invalid)?);
            let zone = session.host_zone.clone();
            let starts_at = WallTime::resolve(&zone, wall)
                .choose(TransitionChoice::parse(&change.choice))
                .map_err(|error| match error {
                    DomainError::TimeInGap => context.error(ErrorCode::TimeInGap {
                        date: date.to_string(),
                        zone: zone.as_str().to_owned(),
                    }),
                    DomainError::TimeAmbiguous => context.error(ErrorCode::TimeAmbiguous {
                        date: date.to_string(),
                        zone: zone.as_str().to_owned(),
                    }),
                    other => invalid(other),
                })?;
            db.move_session(id, starts_at).await.map_err(not_found)?;
        }
        _ => return Err(context.error(ErrorCode::NotFound)),
    }
    crate::navigation::redirect(&format!("/sessions/{}", change.id));
    Ok(())
}

/// One hour of a candidate day: who would have the session in their waking hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairSlot {
    /// "13:00 GMT" in the host zone.
    pub clock: String,
    pub awake: usize,
    pub total: usize,
    /// "Amara Owusu (05:00)": who would be outside 08:00–21:00, with their local start.
    pub outside: Vec<String>,
    /// Opens the planner with this day, time and zone filled in.
    pub plan_link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairTime {
    pub audiences: Vec<(String, String)>,
    pub slots: Vec<FairSlot>,
}

/// For each hour of `date` in `zone`, how many members of `audience` would have
/// a session of `minutes` within their waking hours.
#[server(endpoint = "calendar/fair-time")]
pub async fn load_fair_time(
    audience: String,
    date: String,
    zone: String,
    minutes: i64,
) -> Result<FairTime, AppError> {
    use kring_domain::calendar::{parse_date, within_waking_hours, TransitionChoice, WallTime};
    use kring_domain::time_text::session_time;
    let context = request_context();
    context.require_facilitator()?;
    let invalid = |error| context.error(ErrorCode::Invalid(error));
    let choices = load_planning_choices().await?;
    let audience = if audience.is_empty() {
        choices
            .audiences
            .first()
            .map(|(value, _)| value.clone())
            .unwrap_or_default()
    } else {
        audience
    };
    let host_zone = kring_domain::TimeZone::parse(if zone.is_empty() { "Etc/GMT" } else { &zone })
        .map_err(invalid)?;
    let date = parse_date(&date).map_err(invalid)?;
    let minutes = minutes.clamp(15, 480);
    let (cohort, group) = parse_audience(&audience);
    let members = match cohort {
        Some(cohort) => db()
            .member_zones(cohort, group)
            .await
            .map_err(|e| context.internal(e))?,
        None => Vec::new(),
    };
    let mut slots = Vec::new();
    for hour in 0..24 {
        let wall = date.to_datetime(jiff::civil::Time::new(hour, 0, 0, 0).unwrap_or_default());
        // A skipped hour has no session; a repeated one is shown once (its first occurrence).
        let Ok(starts_at) = WallTime::resolve(&host_zone, wall).choose(TransitionChoice::Earlier)
        else {
            continue;
        };
        let outside: Vec<String> = members
            .iter()
            .filter(|(_, zone)| !within_waking_hours(starts_at, minutes, zone))
            .map(|(name, zone)| {
                let time = session_time(
                    starts_at,
                    minutes,
                    &host_zone,
                    zone,
                    context.viewer.language,
                );
                format!("{name} ({})", time.local_clock)
            })
            .collect();
        let clock = format!("{hour:02}:00");
        slots.push(FairSlot {
            plan_link: format!(
                "/sessions/plan?audience={}&first_date={date}&clock={clock}&zone=other&other_zone={}&minutes={minutes}&kind=live",
                kring_domain::ical::url_encode(&audience),
                kring_domain::ical::url_encode(host_zone.as_str()),
            ),
            clock: format!("{clock} {}", kring_domain::time_text::zone_label(&host_zone, starts_at, context.viewer.language, true)),
            awake: members.len() - outside.len(),
            total: members.len(),
            outside,
        });
    }
    Ok(FairTime {
        audiences: choices.audiences,
        slots,
    })
}

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
                                    <option value=k.code() selected=k.code() == kind>{crate::calendar::kind_name(t, k)}</option>
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
                        <crate::calendar::ZoneList/>
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
                        <crate::calendar::ZoneList/>
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
