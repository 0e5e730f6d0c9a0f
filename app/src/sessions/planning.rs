//! Facilitators' server functions: a series as wall time in a host zone
//! (checked and previewed before anything is saved), what can be planned,
//! moving and cancelling sessions, and a time fair to every member.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};

/// A plan that passed every check, ready to store.
#[cfg(feature = "ssr")]
struct CheckedPlan {
    session: kring_db::NewMeeting,
    clock: String,
    every_weeks: i64,
    starts: Vec<i64>,
}

#[cfg(feature = "ssr")]
fn check_plan(form: &SeriesForm, context: &RequestContext) -> Result<CheckedPlan, AppError> {
    use kring_domain::series::{parse_clock, parse_date, SeriesPlan, TransitionChoice};
    use kring_domain::{
        session_capacity, session_description, DomainError, SessionMinutes, SessionTitle, TimeZone,
        UnitId, VideoLink,
    };
    let user = context.require_facilitator()?;
    let kind = SessionKind::parse(&form.kind)?;
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
            SessionTitle::parse(title)?,
            session_description(description)?.to_owned(),
        ));
    }
    if texts.is_empty() {
        return Err(DomainError::SessionTitleEmpty.into());
    }
    let zone_name = if form.zone == "other" {
        &form.other_zone
    } else {
        &form.zone
    };
    let host_zone = TimeZone::parse(zone_name)?;
    let count = if form.count.trim().is_empty() {
        Ok(1)
    } else {
        form.count.trim().parse::<u16>()
    };
    let plan = SeriesPlan {
        first_date: parse_date(&form.first_date)?,
        clock: parse_clock(&form.clock)?,
        host_zone: host_zone.clone(),
        every_weeks: form.every_weeks.trim().parse().unwrap_or(0),
        count: count.map_err(|_| DomainError::SeriesCountInvalid)?,
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
        (error, _) => error.into(),
    })?;
    Ok(CheckedPlan {
        session: kring_db::NewMeeting {
            kind,
            cohort_id: if kind.is_public() { None } else { cohort_id },
            language_group_id: if kind.is_public() {
                None
            } else {
                language_group_id
            },
            host_zone,
            minutes: SessionMinutes::parse(&form.minutes)?,
            video_link: VideoLink::parse(&form.video_link)?,
            capacity: session_capacity(&form.capacity, kind)?,
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
    context.require_cohort_staff(plan.session.cohort_id).await?;
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
            crate::sessions::full_time_text(&time)
        })
        .collect();
    Ok(SeriesPreview { occurrences })
}

/// Creates the checked series.
#[server(endpoint = "calendar/plan")]
pub async fn plan_series(series: SeriesForm) -> Result<(), AppError> {
    let context = request_context();
    let plan = check_plan(&series, &context)?;
    context.require_cohort_staff(plan.session.cohort_id).await?;
    let (_, ids) = db()
        .create_series(&plan.session, &plan.clock, plan.every_weeks, &plan.starts)
        .await?;
    let first = ids.first().map(|id| id.0).unwrap_or_default();
    crate::navigation::redirect(&format!("/sessions/{first}?planned={}", ids.len()));
    Ok(())
}

#[server(endpoint = "calendar/planning-choices")]
pub async fn load_planning_choices() -> Result<PlanningChoices, AppError> {
    let context = request_context();
    let user = context.require_facilitator()?;
    let db = db();
    let cohorts = db.cohorts(None).await?;
    let assigned = db.assigned_cohorts(user.id).await?;
    let mut audiences = Vec::new();
    let mut units = Vec::new();
    let mut programs = std::collections::BTreeSet::new();
    for cohort in cohorts {
        if !user.role.runs_cohort(assigned.contains(&cohort.id)) {
            continue;
        }
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
            let outline = db.program_outline(cohort.program_id, None, reader).await?;
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

#[server(endpoint = "calendar/change")]
pub async fn change_session(change: SessionChange) -> Result<(), AppError> {
    use kring_domain::series::{parse_clock, parse_date, TransitionChoice, WallTime};
    use kring_domain::DomainError;
    let context = request_context();
    context.require_facilitator()?;
    let db = db();
    let id = kring_domain::SessionId(change.id);
    let session = db
        .meeting(id, kring_db::Audience::All, context.viewer.language)
        .await?;
    context.require_cohort_staff(session.cohort_id).await?;
    // A cancelled or ended session changes no more: nobody is told twice.
    if session.status == SessionStatus::Cancelled || session.ends_at() <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    match change.action.as_str() {
        "cancel" => db.cancel_meeting(id).await?,
        "move" => {
            let date = parse_date(&change.date)?;
            let wall = date.to_datetime(parse_clock(&change.clock)?);
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
                    other => other.into(),
                })?;
            if starts_at != session.starts_at {
                db.move_meeting(id, starts_at).await?;
            }
        }
        _ => return Err(context.error(ErrorCode::NotFound)),
    }
    crate::navigation::redirect(&format!("/sessions/{}", change.id));
    Ok(())
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
    use kring_domain::series::{parse_date, within_waking_hours, TransitionChoice, WallTime};
    use kring_domain::time_text::session_time;
    let context = request_context();
    context.require_facilitator()?;
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
    let host_zone = kring_domain::TimeZone::parse(if zone.is_empty() { "Etc/GMT" } else { &zone })?;
    let date = parse_date(&date)?;
    let minutes = minutes.clamp(15, 480);
    let (cohort, group) = parse_audience(&audience);
    context.require_cohort_staff(cohort).await?;
    let members = match cohort {
        Some(cohort) => db().member_zones(cohort, group).await?,
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
