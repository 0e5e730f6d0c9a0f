//! Files for other programs: iCalendar feeds and downloads, and the registrant list as CSV.

use crate::AppState;
use app::calendar::calendar_event;
use app::error::{AppError, ErrorCode};
use app::viewer::RequestContext;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use kring_db::{Audience, DbError, RegistrationStatus, SessionRecord};
use kring_domain::{Language, SessionId, SessionKind, TimeZone};

const ICS: &str = "text/calendar; charset=utf-8";

fn error(context: &RequestContext, code: ErrorCode) -> Response {
    AppError::new(code, context.viewer.language).into_response()
}

fn storage_error(context: &RequestContext, failure: DbError) -> Response {
    match failure {
        DbError::NotFound => error(context, ErrorCode::NotFound),
        other => context.internal(other).into_response(),
    }
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
    let Some(name) = file.strip_suffix(".ics") else {
        return error(&context, ErrorCode::NotFound);
    };
    let now = kring_db::now();
    if name == "public" {
        let language = context.viewer.language;
        return match state.db.sessions(Audience::Visitor, language).await {
            Ok(sessions) => {
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
                calendar_response(kring_domain::ical::calendar("Kring", &events, now), None)
            }
            Err(failure) => storage_error(&context, failure),
        };
    }
    let owner = match state.db.feed_owner(name).await {
        Ok(owner) => owner,
        Err(failure) => return storage_error(&context, failure),
    };
    let (sessions, registrations) = match tokio::try_join!(
        state.db.sessions(owner.audience, owner.language),
        state.db.registrations_of(owner.user_id)
    ) {
        Ok(found) => found,
        Err(failure) => return storage_error(&context, failure),
    };
    let staff = owner.audience == Audience::Staff;
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
    calendar_response(kring_domain::ical::calendar("Kring", &events, now), None)
}

/// `/sessions/<id>/event.ics`: one session to add to a calendar.
pub async fn session_event(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    let audience = app::calendar::audience(&context);
    let session = match state
        .db
        .session(SessionId(id), audience, context.viewer.language)
        .await
    {
        Ok(session) => session,
        Err(failure) => return storage_error(&context, failure),
    };
    let event = calendar_event(
        &session,
        &context.time_zone(),
        context.viewer.language,
        &context.public_url,
        false,
    );
    let body = kring_domain::ical::calendar("Kring", &[event], kring_db::now());
    calendar_response(body, Some(&format!("kring-session-{id}.ics")))
}

/// `/sessions/<id>/registrants.csv`: who registered, for facilitators.
pub async fn registrants_csv(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    match &context.viewer.user {
        None => return error(&context, ErrorCode::Unauthenticated),
        Some(user) if !user.role.may_facilitate() => return error(&context, ErrorCode::Forbidden),
        Some(_) => {}
    }
    let session = match state
        .db
        .session(SessionId(id), Audience::Staff, context.viewer.language)
        .await
    {
        Ok(session) => session,
        Err(failure) => return storage_error(&context, failure),
    };
    let registrants = match state.db.registrants(session.id).await {
        Ok(registrants) => registrants,
        Err(failure) => return storage_error(&context, failure),
    };
    let body = registrants_table(
        &session,
        &registrants,
        context.viewer.language,
        &context.time_zone(),
    );
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    if let Ok(value) =
        format!("attachment; filename=\"kring-session-{id}-registrants.csv\"").parse()
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The registrant list as CSV (RFC 4180), headed in the reader's language.
fn registrants_table(
    session: &SessionRecord,
    registrants: &[kring_db::RegistrantRecord],
    language: Language,
    zone: &TimeZone,
) -> String {
    let headings: [&str; 7] = match language {
        Language::En => [
            "Name",
            "E-mail",
            "Organisation",
            "Language group",
            "Time zone",
            "Status",
            "Registered at",
        ],
        Language::Es => [
            "Nombre",
            "Correo",
            "Organización",
            "Grupo de idioma",
            "Zona horaria",
            "Estado",
            "Inscrito el",
        ],
        Language::De => [
            "Name",
            "E-Mail",
            "Organisation",
            "Sprachgruppe",
            "Zeitzone",
            "Status",
            "Angemeldet am",
        ],
        Language::Nl => [
            "Naam",
            "E-mail",
            "Organisatie",
            "Taalgroep",
            "Tijdzone",
            "Status",
            "Aangemeld op",
        ],
    };
    let mut out = String::from("\u{feff}");
    push_row(&mut out, &[session.title.as_str()]);
    push_row(&mut out, &headings);
    for registrant in registrants {
        let registered_at = jiff::Timestamp::from_second(registrant.registered_at)
            .map(|at| {
                at.to_zoned_datetime(kring_domain::calendar::zone_rules(zone))
                    .strftime("%Y-%m-%d %H:%M %Z")
                    .to_string()
            })
            .unwrap_or_default();
        push_row(
            &mut out,
            &[
                &registrant.name,
                &registrant.email,
                &registrant.organisation,
                &registrant.language_group,
                &registrant.time_zone,
                registrant.status.code(),
                &registered_at,
            ],
        );
    }
    out
}

fn push_row(out: &mut String, cells: &[&str]) {
    let row: Vec<String> = cells.iter().map(|cell| csv_cell(cell)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

/// Quotes every cell, and defuses cells a spreadsheet would run as a formula.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("Amara"), "\"Amara\"");
        assert_eq!(csv_cell("Say \"hi\", ok"), "\"Say \"\"hi\"\", ok\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-2+3"), "\"'-2+3\"");
    }
}
