//! Files for other programs: iCalendar feeds and downloads, and the registrant list as CSV.

use crate::AppState;
use app::error::ErrorCode;
use app::outbound::csv::{dashboard_table, registrants_table};
use app::outbound::ical::calendar_event;
use app::viewer::RequestContext;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use kring_db::{Audience, RegistrationStatus, Span};
use kring_domain::{SessionId, SessionKind};

const ICS: &str = "text/calendar; charset=utf-8";

/// How far back a calendar feed reaches: a year of past sessions stays in
/// subscribers' calendars; years of older ones would make every refresh heavy.
const FEED_HISTORY_SECS: i64 = 366 * 24 * 3600;

/// The sessions a feed fetched at `now` holds.
fn feed_span(now: i64) -> Span {
    Span::Between(now - FEED_HISTORY_SECS, i64::MAX)
}

fn calendar_response(body: String, filename: Option<&str>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, ICS)], body).into_response();
    if let Some(filename) = filename {
        if let Ok(value) = format!("attachment; filename=\"{filename}\"").parse() {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response
}

/// `/calendar/public.ics` (information meetings) or `/calendar/<token>.ics` (a member's own feed).
pub async fn feed(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(file): Path<String>,
) -> Response {
    context.answer(feed_of(&state, &context, &file).await)
}

async fn feed_of(
    state: &AppState,
    context: &RequestContext,
    file: &str,
) -> Result<Response, ErrorCode> {
    let name = file.strip_suffix(".ics").ok_or(ErrorCode::NotFound)?;
    let now = kring_db::now();
    if name == "public" {
        let language = context.viewer.language;
        let sessions = state
            .db
            .meetings(Audience::Visitor, language, feed_span(now))
            .await?;
        let events: Vec<_> = sessions
            .iter()
            .map(|s| {
                calendar_event(
                    s,
                    &context.time_zone(),
                    language,
                    &context.public_url,
                    false,
                )
            })
            .collect();
        return Ok(calendar_response(
            kring_domain::ical::calendar("Kring", &events, now),
            None,
        ));
    }
    let owner = state.db.feed_owner(name).await?;
    let (sessions, registrations) = tokio::try_join!(
        state
            .db
            .meetings(owner.audience, owner.language, feed_span(now)),
        state.db.registrations_of(owner.user_id)
    )?;
    // Facilitators run the public meetings and see what their audience holds.
    let staff = owner.role.may_facilitate();
    let events: Vec<_> = sessions
        .iter()
        .filter_map(|session| {
            let registered = registrations.contains_key(&session.id);
            // A member's calendar: their cohort's sessions, and public meetings they signed up for.
            let listed = staff || !session.kind.is_public() || registered;
            let may_join = staff
                || match session.kind {
                    SessionKind::Live => true,
                    _ => registrations.get(&session.id) == Some(&RegistrationStatus::Confirmed),
                };
            listed.then(|| {
                calendar_event(
                    session,
                    &owner.time_zone,
                    owner.language,
                    &context.public_url,
                    may_join,
                )
            })
        })
        .collect();
    Ok(calendar_response(
        kring_domain::ical::calendar("Kring", &events, now),
        None,
    ))
}

/// `/sessions/<id>/event.ics`: one session to add to a calendar.
pub async fn session_event(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    context.answer(session_event_of(&state, &context, id).await)
}

async fn session_event_of(
    state: &AppState,
    context: &RequestContext,
    id: i64,
) -> Result<Response, ErrorCode> {
    let audience = app::sessions::audience(context);
    let session = state
        .db
        .meeting(SessionId(id), audience, context.viewer.language)
        .await?;
    let event = calendar_event(
        &session,
        &context.time_zone(),
        context.viewer.language,
        &context.public_url,
        false,
    );
    let body = kring_domain::ical::calendar("Kring", &[event], kring_db::now());
    Ok(calendar_response(
        body,
        Some(&format!("kring-session-{id}.ics")),
    ))
}

/// `/sessions/<id>/registrants.csv`: who registered, for facilitators.
pub async fn registrants_csv(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    context.answer(registrants_of(&state, &context, id).await)
}

async fn registrants_of(
    state: &AppState,
    context: &RequestContext,
    id: i64,
) -> Result<Response, ErrorCode> {
    if context.viewer.user.is_none() {
        return Err(ErrorCode::Unauthenticated);
    }
    let session = state
        .db
        .meeting(SessionId(id), Audience::All, context.viewer.language)
        .await?;
    require_cohort_staff(state, context, session.cohort_id).await?;
    let registrants = state.db.registrants(session.id).await?;
    let body = registrants_table(
        &session,
        &registrants,
        context.viewer.language,
        &context.time_zone(),
    );
    Ok(csv_download(
        body,
        &format!("kring-session-{id}-registrants.csv"),
    ))
}

/// Whether the requester runs `cohort` (facilitators their own cohorts, admins all):
/// the same rule as `RequestContext::require_cohort_staff` for server functions.
async fn require_cohort_staff(
    state: &AppState,
    context: &RequestContext,
    cohort: Option<kring_domain::CohortId>,
) -> Result<(), ErrorCode> {
    let Some(user) = &context.viewer.user else {
        return Err(ErrorCode::Unauthenticated);
    };
    if user.role.may_facilitate() && state.db.runs_cohort(user.id, user.role, cohort).await? {
        Ok(())
    } else {
        Err(ErrorCode::Forbidden)
    }
}

/// A CSV text as a download named `file_name`.
fn csv_download(body: String, file_name: &str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    if let Ok(value) = format!("attachment; filename=\"{file_name}\"").parse() {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `/programs/<id>/export.zip`: the program as a folder of Markdown files, for those who build it.
pub async fn program_folder_zip(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    context.answer(program_folder_of(&state, &context, id).await)
}

async fn program_folder_of(
    state: &AppState,
    context: &RequestContext,
    id: i64,
) -> Result<Response, ErrorCode> {
    let Some(user) = &context.viewer.user else {
        return Err(ErrorCode::Unauthenticated);
    };
    let program = kring_domain::ProgramId(id);
    if !user.role.may_facilitate() || !state.db.runs_program(user.id, user.role, program).await? {
        return Err(ErrorCode::Forbidden);
    }
    let folder = state.db.program_folder(program).await?;
    let files = kring_domain::program_folder::write_folder(&folder);
    let body = app::outbound::archive::zip_files(&files).map_err(|error| {
        tracing::error!(%error, "could not pack a program folder");
        ErrorCode::Internal
    })?;
    let mut response = ([(header::CONTENT_TYPE, "application/zip")], body).into_response();
    if let Ok(value) = format!("attachment; filename=\"kring-program-{id}.zip\"").parse() {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `/cohorts/<id>/dashboard.csv`: the cohort dashboard, for those who run the cohort.
pub async fn dashboard_csv(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    context.answer(dashboard_of(&state, &context, id).await)
}

async fn dashboard_of(
    state: &AppState,
    context: &RequestContext,
    id: i64,
) -> Result<Response, ErrorCode> {
    let cohort = kring_domain::CohortId(id);
    require_cohort_staff(state, context, Some(cohort)).await?;
    let summary = state.db.cohort(cohort).await?;
    let (modules, mut members) = state
        .db
        .cohort_dashboard(cohort, context.viewer.language, kring_db::now())
        .await?;
    app::people::order_members(&mut members, app::people::DashboardOrder::Name);
    let body = dashboard_table(
        &summary.name,
        &modules,
        &members,
        context.viewer.language,
        &context.time_zone(),
    );
    Ok(csv_download(
        body,
        &format!("kring-cohort-{id}-dashboard.csv"),
    ))
}
