//! The session calendar as participants and visitors see it: the agenda and
//! month grid, a session's page with registration and join link, the time-zone
//! picker and the personal calendar feed.
//!
//! Every time is computed on the server with the bundled tz database and
//! arrives as finished text; the browser never converts a time itself.

use crate::components::{ErrorNotice, LabeledField, Notice};
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::{Language, SessionKind, SessionStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};

/// A session as one viewer reads it, every time already in their zone and language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCard {
    pub id: i64,
    pub title: String,
    pub shown_language: Language,
    pub kind: SessionKind,
    pub status: SessionStatus,
    /// "Mutual Learning Program 2026-27 · English group"; empty for public meetings.
    pub audience: String,
    pub local: String,
    pub host: String,
    pub day_marker: Option<String>,
    pub relative: String,
    /// "From 1 April this session is at 08:00 your time."
    pub shift_notice: Option<String>,
    /// The viewer's local start date, `YYYY-MM-DD`.
    pub local_date: String,
    pub local_clock: String,
    pub ended: bool,
    /// (confirmed, capacity) for sessions with a limit.
    pub places: Option<(i64, i64)>,
    pub registration: Option<RegistrationState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationState {
    Confirmed,
    Waitlisted,
}

/// The calendar page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agenda {
    pub sessions: Vec<SessionCard>,
    /// "Lima time": what every local time on the page is in.
    pub zone_label: String,
    pub may_plan: bool,
    pub signed_in: bool,
    pub feed: Option<FeedLinks>,
    pub reminders: Vec<String>,
    pub month: Option<MonthGrid>,
}

/// The member's personal subscription, or none yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedLinks {
    pub https: Option<String>,
    pub webcal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthGrid {
    pub heading: String,
    pub weekdays: Vec<String>,
    pub weeks: Vec<Vec<DayCell>>,
    pub previous: String,
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCell {
    pub day: i8,
    pub in_month: bool,
    pub sessions: Vec<(i64, String, String, bool)>,
}

/// Turns stored sessions into cards for one viewer: local and host times,
/// relative time, and shift notices where a series' local time changes.
#[cfg(feature = "ssr")]
pub(crate) fn session_cards(
    sessions: &[kring_db::SessionRecord],
    registrations: &std::collections::HashMap<
        kring_domain::SessionId,
        kring_db::RegistrationStatus,
    >,
    context: &RequestContext,
) -> Vec<SessionCard> {
    use kring_domain::time_text::{clock_shifts, day_and_month, session_time, Relative};
    let (language, zone, now) = (
        context.viewer.language,
        context.time_zone(),
        kring_db::now(),
    );
    let t = context.viewer.locale();
    // Shift notices compare each session with the previous one of its series.
    let mut shifts = std::collections::HashMap::new();
    let mut series: std::collections::BTreeMap<i64, Vec<&kring_db::SessionRecord>> =
        Default::default();
    for session in sessions
        .iter()
        .filter(|s| s.status != SessionStatus::Cancelled)
    {
        if let Some(id) = session.series_id {
            series.entry(id.0).or_default().push(session);
        }
    }
    for members in series.values() {
        let starts: Vec<i64> = members.iter().map(|s| s.starts_at).collect();
        for (session, shift) in members.iter().zip(clock_shifts(&starts, &zone)) {
            if let Some(clock) = shift {
                shifts.insert(session.id, clock);
            }
        }
    }
    sessions
        .iter()
        .map(|session| {
            let time = session_time(
                session.starts_at,
                session.minutes,
                &session.host_zone,
                &zone,
                language,
            );
            let audience = [
                session.cohort_name.clone(),
                session.language_group_name.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            SessionCard {
                id: session.id.0,
                title: session.title.clone(),
                shown_language: session.shown_language,
                kind: session.kind,
                status: session.status,
                audience,
                shift_notice: shifts.get(&session.id).map(|clock| {
                    td_string!(t, cal_shift_notice)
                        .replace("%date%", &day_and_month(time.local_date, language))
                        .replace("%time%", clock)
                }),
                local: time.local,
                host: time.host,
                day_marker: time.day_marker,
                relative: Relative::of(session.starts_at, session.minutes, now).text(language),
                local_date: time.local_date.to_string(),
                local_clock: time.local_clock,
                ended: session.ends_at() <= now,
                places: session
                    .capacity
                    .map(|capacity| (session.confirmed_count, capacity)),
                registration: registrations
                    .get(&session.id)
                    .and_then(|status| match status {
                        kring_db::RegistrationStatus::Confirmed => {
                            Some(RegistrationState::Confirmed)
                        }
                        kring_db::RegistrationStatus::Waitlisted => {
                            Some(RegistrationState::Waitlisted)
                        }
                        kring_db::RegistrationStatus::Cancelled => None,
                    }),
            }
        })
        .collect()
}

#[cfg(feature = "ssr")]
pub fn audience(context: &RequestContext) -> kring_db::Audience {
    match &context.viewer.user {
        Some(user) => kring_db::audience_of(user.id, user.role),
        None => kring_db::Audience::Visitor,
    }
}

/// The month grid for `month` (`YYYY-MM`): weeks from Monday, sessions on their local dates.
#[cfg(feature = "ssr")]
fn month_grid(month: &str, cards: &[SessionCard], language: Language) -> Option<MonthGrid> {
    use kring_domain::time_text::{month_heading, weekday_short};
    let first = kring_domain::calendar::parse_date(&format!("{month}-01")).ok()?;
    let offset = i64::from(first.weekday().to_monday_zero_offset());
    let start = first.checked_add(jiff::Span::new().days(-offset)).ok()?;
    let mut weeks = Vec::new();
    let mut day = start;
    loop {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            let key = day.to_string();
            week.push(DayCell {
                day: day.day(),
                in_month: day.month() == first.month(),
                sessions: cards
                    .iter()
                    .filter(|card| card.local_date == key)
                    .map(|card| {
                        (
                            card.id,
                            card.local_clock.clone(),
                            card.title.clone(),
                            card.status == SessionStatus::Cancelled,
                        )
                    })
                    .collect(),
            });
            day = day.tomorrow().ok()?;
        }
        weeks.push(week);
        if day.month() != first.month() {
            break;
        }
    }
    let previous = first.checked_add(jiff::Span::new().months(-1)).ok()?;
    let next = first.checked_add(jiff::Span::new().months(1)).ok()?;
    let weekdays = std::iter::successors(Some(jiff::civil::Weekday::Monday), |d| Some(d.next()))
        .take(7)
        .map(|d| weekday_short(d, language).to_owned())
        .collect();
    Some(MonthGrid {
        heading: month_heading(first.year(), first.month(), language),
        weekdays,
        weeks,
        previous: previous.strftime("%Y-%m").to_string(),
        next: next.strftime("%Y-%m").to_string(),
    })
}

/// Everything the calendar page shows. `month` (`YYYY-MM`) asks for the month grid.
#[server(endpoint = "calendar/agenda")]
pub async fn load_agenda(month: Option<String>) -> Result<Agenda, AppError> {
    let context = request_context();
    let db = db();
    let language = context.viewer.language;
    let sessions = db
        .sessions(audience(&context), language)
        .await
        .map_err(|e| context.internal(e))?;
    let (registrations, feed, reminders) = match &context.viewer.user {
        Some(user) => {
            let registrations = db
                .registrations_of(user.id)
                .await
                .map_err(|e| context.internal(e))?;
            let token = db
                .feed_token(user.id)
                .await
                .map_err(|e| context.internal(e))?;
            let host = context
                .public_url
                .split_once("://")
                .map(|(_, host)| host)
                .unwrap_or_default();
            let feed = FeedLinks {
                https: token
                    .as_ref()
                    .map(|token| format!("{}/calendar/{token}.ics", context.public_url)),
                webcal: token.map(|token| format!("webcal://{host}/calendar/{token}.ics")),
            };
            let reminders = reminder_texts(&db, &context, &sessions, user.id).await?;
            (registrations, Some(feed), reminders)
        }
        None => Default::default(),
    };
    let cards = session_cards(&sessions, &registrations, &context);
    let month = month
        .as_deref()
        .filter(|month| !month.is_empty())
        .map(|month| {
            month_grid(month, &cards, language).ok_or_else(|| {
                context.error(ErrorCode::Invalid(kring_domain::DomainError::DateInvalid))
            })
        })
        .transpose()?;
    Ok(Agenda {
        zone_label: kring_domain::time_text::zone_label(
            &context.time_zone(),
            kring_db::now(),
            language,
            false,
        ),
        may_plan: context
            .viewer
            .user
            .as_ref()
            .is_some_and(|user| user.role.may_facilitate()),
        signed_in: context.viewer.user.is_some(),
        sessions: cards,
        feed,
        reminders,
        month,
    })
}

/// The member's reminders, each a sentence in their language and zone.
#[cfg(feature = "ssr")]
async fn reminder_texts(
    db: &kring_db::Db,
    context: &RequestContext,
    sessions: &[kring_db::SessionRecord],
    user: kring_domain::UserId,
) -> Result<Vec<String>, AppError> {
    let now = kring_db::now();
    let reminders = db
        .reminders(user, now)
        .await
        .map_err(|e| context.internal(e))?;
    Ok(reminders
        .iter()
        .filter_map(|reminder| {
            let session = sessions.iter().find(|s| s.id == reminder.session_id)?;
            Some(reminder_text(
                session,
                &context.time_zone(),
                context.viewer.language,
                now,
            ))
        })
        .collect())
}

/// "Reminder: English group: live session, Thu 14 Jan, 17:00–19:00 Yerevan time · 13:00 GMT (in 1 hour)".
/// The same text goes into reminder e-mails.
#[cfg(feature = "ssr")]
pub fn reminder_text(
    session: &kring_db::SessionRecord,
    zone: &kring_domain::TimeZone,
    language: Language,
    now: i64,
) -> String {
    use kring_domain::time_text::{session_time, Relative};
    let t = crate::error::locale(language);
    let time = session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        zone,
        language,
    );
    td_string!(t, cal_reminder)
        .replace("%title%", &session.title)
        .replace("%time%", &full_time_text(&time))
        .replace(
            "%relative%",
            &Relative::of(session.starts_at, session.minutes, now).text(language),
        )
}

/// Local time, day marker and host time in one line: what feeds and e-mails print.
#[cfg(feature = "ssr")]
pub fn full_time_text(time: &kring_domain::time_text::SessionTime) -> String {
    let mut text = time.local.clone();
    if let Some(marker) = &time.day_marker {
        text.push_str(&format!(" ({marker})"));
    }
    if !time.host.is_empty() {
        text.push_str(&format!(" · {}", time.host));
    }
    text
}

/// Present in the server's context when e-mail can be sent (`SMTP_URL` is set).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy)]
pub struct MailEnabled;

#[cfg(feature = "ssr")]
pub(crate) fn mail_enabled() -> bool {
    use_context::<MailEnabled>().is_some()
}

/// A reminder e-mail: (subject, body) in the recipient's language and zone.
#[cfg(feature = "ssr")]
pub fn reminder_mail(
    session: &kring_db::SessionRecord,
    zone: &kring_domain::TimeZone,
    language: Language,
    now: i64,
    origin: &str,
) -> (String, String) {
    let t = crate::error::locale(language);
    (
        td_string!(t, mail_reminder_subject).replace("%title%", &session.title),
        td_string!(t, mail_reminder_body)
            .replace("%reminder%", &reminder_text(session, zone, language, now))
            .replace("%link%", &format!("{origin}/sessions/{}", session.id)),
    )
}

/// The e-mail telling someone where they stand after registering or moving up from the waitlist.
#[cfg(feature = "ssr")]
pub fn registration_mail(
    session: &kring_db::SessionRecord,
    name: &str,
    confirmed: bool,
    zone: &kring_domain::TimeZone,
    language: Language,
    origin: &str,
) -> (String, String) {
    let t = crate::error::locale(language);
    let time = kring_domain::time_text::session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        zone,
        language,
    );
    let body = if confirmed {
        td_string!(t, mail_registered)
    } else {
        td_string!(t, mail_waitlisted)
    };
    (
        td_string!(t, mail_registration_subject).replace("%title%", &session.title),
        body.replace("%name%", name)
            .replace("%title%", &session.title)
            .replace("%time%", &full_time_text(&time))
            .replace("%link%", &format!("{origin}/sessions/{}", session.id)),
    )
}

/// Tells whoever moved up from the waitlist, by e-mail when it can be sent.
#[cfg(feature = "ssr")]
async fn announce_promotion(
    db: &kring_db::Db,
    context: &RequestContext,
    promoted: kring_domain::RegistrationId,
) -> Result<(), kring_db::DbError> {
    if !mail_enabled() {
        return Ok(());
    }
    let recipient = db.registration_recipient(promoted).await?;
    let session = db
        .session(
            recipient.session_id,
            kring_db::Audience::Staff,
            recipient.language,
        )
        .await?;
    let (subject, body) = registration_mail(
        &session,
        &recipient.name,
        true,
        &recipient.time_zone,
        recipient.language,
        &context.public_url,
    );
    db.enqueue_mail(&recipient.address, &subject, &body).await
}

/// A session's page: everything about it for this viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub card: SessionCard,
    pub description: String,
    /// Only for those allowed to join.
    pub video_link: Option<String>,
    pub join_open: bool,
    /// (unit id, title) of the linked materials.
    pub unit: Option<(i64, String)>,
    pub may_register: bool,
    pub may_manage: bool,
    pub visitor_may_register: bool,
    /// Visitors confirm by e-mail, so without e-mail they cannot register here.
    pub visitors_confirm_by_mail: bool,
    pub registrants: Vec<RegistrantRow>,
    pub waitlisted: i64,
    pub google_link: String,
    pub viewer_time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrantRow {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub language_group: String,
    pub time_zone: String,
    pub waitlisted: bool,
}

#[server(endpoint = "calendar/session")]
pub async fn load_session(id: i64) -> Result<SessionDetail, AppError> {
    use kring_domain::time_text::Relative;
    let context = request_context();
    let db = db();
    let language = context.viewer.language;
    let session = db
        .session(kring_domain::SessionId(id), audience(&context), language)
        .await
        .map_err(|error| match error {
            kring_db::DbError::NotFound => context.error(ErrorCode::NotFound),
            other => context.internal(other),
        })?;
    let registrations = match &context.viewer.user {
        Some(user) => db
            .registrations_of(user.id)
            .await
            .map_err(|e| context.internal(e))?,
        None => Default::default(),
    };
    let may_manage = context
        .viewer
        .user
        .as_ref()
        .is_some_and(|user| user.role.may_facilitate());
    let card = session_cards(std::slice::from_ref(&session), &registrations, &context)
        .pop()
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let open = session.status != SessionStatus::Cancelled && !card.ended;
    // Cohort sessions are joined by those who can see them; meetings and circles by those with a seat.
    let may_join = may_manage
        || match session.kind {
            SessionKind::Live => context.viewer.user.is_some(),
            SessionKind::Information | SessionKind::Circle => {
                card.registration == Some(RegistrationState::Confirmed)
            }
        };
    let registrants = if may_manage {
        db.registrants(session.id)
            .await
            .map_err(|e| context.internal(e))?
    } else {
        Vec::new()
    };
    let unit = match session.unit_id {
        Some(unit) => db
            .unit_title(unit, language)
            .await
            .map_err(|e| context.internal(e))?
            .map(|title| (unit.0, title)),
        None => None,
    };
    let event = calendar_event(
        &session,
        &context.time_zone(),
        language,
        &context.public_url,
        may_join,
    );
    Ok(SessionDetail {
        description: session.description.clone(),
        video_link: (may_join && !session.video_link.is_empty())
            .then(|| session.video_link.clone()),
        join_open: open
            && Relative::of(session.starts_at, session.minutes, kring_db::now()).may_join(),
        unit,
        may_register: open && context.viewer.user.is_some() && session.kind != SessionKind::Live,
        visitor_may_register: open && context.viewer.user.is_none() && session.kind.is_public(),
        visitors_confirm_by_mail: mail_enabled(),
        waitlisted: session.waitlisted_count,
        registrants: registrants
            .into_iter()
            .map(|r| RegistrantRow {
                name: r.name,
                email: r.email,
                organisation: r.organisation,
                language_group: r.language_group,
                time_zone: r.time_zone,
                waitlisted: r.status == kring_db::RegistrationStatus::Waitlisted,
            })
            .collect(),
        google_link: kring_domain::ical::google_calendar_link(&event),
        viewer_time_zone: context.viewer.time_zone.clone(),
        may_manage,
        card,
    })
}

/// A session as an iCalendar event for one reader; the description carries the
/// same time text the pages show.
#[cfg(feature = "ssr")]
pub fn calendar_event(
    session: &kring_db::SessionRecord,
    zone: &kring_domain::TimeZone,
    language: Language,
    origin: &str,
    with_video_link: bool,
) -> kring_domain::ical::CalendarEvent {
    let time = kring_domain::time_text::session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        zone,
        language,
    );
    let mut description = full_time_text(&time);
    if !session.description.is_empty() {
        description.push_str("\n\n");
        description.push_str(&session.description);
    }
    kring_domain::ical::CalendarEvent {
        uid: session.uid.clone(),
        sequence: session.sequence,
        starts_at: session.starts_at,
        minutes: session.minutes,
        status: session.status,
        title: session.title.clone(),
        description,
        url: format!("{origin}/sessions/{}", session.id),
        location: if with_video_link {
            session.video_link.clone()
        } else {
            String::new()
        },
        updated_at: session.updated_at,
    }
}

#[cfg(feature = "ssr")]
fn registration_error(context: &RequestContext, error: kring_db::DbError) -> AppError {
    match error {
        kring_db::DbError::AlreadyRegistered => context.error(ErrorCode::AlreadyRegistered),
        kring_db::DbError::SessionFull => context.error(ErrorCode::SessionFull),
        kring_db::DbError::NotFound => context.error(ErrorCode::NotFound),
        other => context.internal(other),
    }
}

/// A member takes a place in an information meeting or circle (or joins its waitlist).
#[server(endpoint = "calendar/register")]
pub async fn register_for_session(id: i64) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let session = db
        .session(
            kring_domain::SessionId(id),
            audience(&context),
            context.viewer.language,
        )
        .await
        .map_err(|e| registration_error(&context, e))?;
    if session.ends_at() <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    let status = db
        .register(session.id, &kring_db::Registrant::Member(user.id))
        .await
        .map_err(|e| registration_error(&context, e))?;
    crate::navigation::redirect(&format!("/sessions/{id}?registered={}", status.code()));
    Ok(())
}

/// A member gives their place back; the first on the waitlist gets it.
#[server(endpoint = "calendar/unregister")]
pub async fn cancel_my_registration(id: i64) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let promoted = db
        .cancel_registration(kring_domain::SessionId(id), user.id)
        .await
        .map_err(|e| registration_error(&context, e))?;
    if let Some(promoted) = promoted {
        announce_promotion(&db, &context, promoted)
            .await
            .map_err(|e| context.internal(e))?;
    }
    crate::navigation::redirect(&format!("/sessions/{id}?registered=cancelled"));
    Ok(())
}

/// What a visitor types to register for a public information meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestForm {
    pub session: i64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub language_group: String,
    pub time_zone: String,
}

/// A visitor asks for a place in a public meeting. Nothing is held yet: a
/// link goes to the address they gave (double opt-in), so nobody can make
/// Kring hold seats for, or mail, addresses that are not theirs. Counted per
/// network and per address before anything is sent.
#[server(endpoint = "calendar/register-guest")]
pub async fn register_guest(guest: GuestForm) -> Result<(), AppError> {
    use kring_domain::{
        AttemptLimit, DisplayName, Email, OrganisationName, ThrottleVerdict, TimeZone,
    };
    let context = request_context();
    let invalid = |error| context.error(ErrorCode::Invalid(error));
    let name = DisplayName::parse(&guest.name).map_err(invalid)?;
    let email = Email::parse(&guest.email).map_err(invalid)?;
    let organisation = OrganisationName::parse(&guest.organisation).map_err(invalid)?;
    let group_language = Language::parse(&guest.language_group).map_err(invalid)?;
    let zone = TimeZone::parse(&guest.time_zone).map_err(invalid)?;
    let db = db();
    let session = db
        .session(
            kring_domain::SessionId(guest.session),
            kring_db::Audience::Visitor,
            context.viewer.language,
        )
        .await
        .map_err(|e| registration_error(&context, e))?;
    if !session.kind.is_public() {
        return Err(context.error(ErrorCode::NotFound));
    }
    if session.ends_at() <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    if !mail_enabled() {
        return Err(context.error(ErrorCode::VisitorSignupClosed));
    }
    for (bucket, limit) in [
        (
            kring_db::Bucket::VisitorsFrom(&context.client_address),
            AttemptLimit::VISITORS_PER_ADDRESS,
        ),
        (
            kring_db::Bucket::VisitorEmail(email.as_str()),
            AttemptLimit::VISITORS_PER_EMAIL,
        ),
    ] {
        if let ThrottleVerdict::Blocked {
            retry_after_minutes,
        } = db
            .count_attempt(bucket, limit)
            .await
            .map_err(|e| context.internal(e))?
        {
            return Err(context.error(ErrorCode::TooManyRequests {
                minutes: retry_after_minutes,
            }));
        }
    }
    let pending = kring_db::Guest {
        name: name.as_str().to_owned(),
        email: email.as_str().to_owned(),
        organisation: organisation.as_str().to_owned(),
        language_group: group_language.native_name().to_owned(),
        language: context.viewer.language,
        time_zone: zone.clone(),
    };
    let token = db
        .hold_guest_confirmation(session.id, &pending)
        .await
        .map_err(|e| context.internal(e))?;
    let (subject, body) = confirmation_mail(
        &session,
        &pending,
        &format!("{}/sessions/confirm?token={token}", context.public_url),
    );
    db.enqueue_mail(email.as_str(), &subject, &body)
        .await
        .map_err(|e| context.internal(e))?;
    // The pages show the meeting in the zone the visitor gave.
    context.set_time_zone_cookie(&zone);
    crate::navigation::redirect(&format!(
        "/sessions/{}?registered=check-mail&guest=1",
        guest.session
    ));
    Ok(())
}

/// The e-mail asking a visitor to confirm their registration: (subject, body).
#[cfg(feature = "ssr")]
pub fn confirmation_mail(
    session: &kring_db::SessionRecord,
    guest: &kring_db::Guest,
    link: &str,
) -> (String, String) {
    let t = crate::error::locale(guest.language);
    let time = kring_domain::time_text::session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        &guest.time_zone,
        guest.language,
    );
    (
        td_string!(t, mail_guest_confirm_subject).replace("%title%", &session.title),
        td_string!(t, mail_guest_confirm_body)
            .replace("%name%", &guest.name)
            .replace("%title%", &session.title)
            .replace("%time%", &full_time_text(&time))
            .replace("%hours%", &kring_db::CONFIRMATION_HOURS.to_string())
            .replace("%link%", link),
    )
}

/// What a visitor's confirmation link is about, to show before they confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingVisitor {
    pub name: String,
    pub session_title: String,
    pub time: String,
}

/// The registration behind a confirmation link. Looking uses nothing up.
#[server(endpoint = "calendar/guest-confirmation")]
pub async fn load_guest_confirmation(token: String) -> Result<PendingVisitor, AppError> {
    let context = request_context();
    let db = db();
    let (session, guest) = db
        .guest_confirmation(&token)
        .await
        .map_err(|e| context.internal(e))?
        .ok_or_else(|| context.error(ErrorCode::LinkExpired))?;
    let session = db
        .session(session, kring_db::Audience::Visitor, guest.language)
        .await
        .map_err(|e| registration_error(&context, e))?;
    let time = kring_domain::time_text::session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        &guest.time_zone,
        context.viewer.language,
    );
    Ok(PendingVisitor {
        name: guest.name,
        session_title: session.title,
        time: full_time_text(&time),
    })
}

/// The visitor confirms from the link in their e-mail: now the place is
/// theirs (or the waitlist, when it filled meanwhile), and a confirmation follows.
#[server(endpoint = "calendar/confirm-guest")]
pub async fn confirm_guest(token: String) -> Result<(), AppError> {
    let context = request_context();
    let db = db();
    let (session, guest) = db
        .take_guest_confirmation(&token)
        .await
        .map_err(|e| context.internal(e))?
        .ok_or_else(|| context.error(ErrorCode::LinkExpired))?;
    let session = db
        .session(session, kring_db::Audience::Visitor, guest.language)
        .await
        .map_err(|e| registration_error(&context, e))?;
    if session.ends_at() <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    let status = db
        .register(session.id, &kring_db::Registrant::Guest(guest.clone()))
        .await
        .map_err(|e| registration_error(&context, e))?;
    let (subject, body) = registration_mail(
        &session,
        &guest.name,
        status == kring_db::RegistrationStatus::Confirmed,
        &guest.time_zone,
        guest.language,
        &context.public_url,
    );
    db.enqueue_mail(&guest.email, &subject, &body)
        .await
        .map_err(|e| context.internal(e))?;
    context.set_time_zone_cookie(&guest.time_zone);
    crate::navigation::redirect(&format!(
        "/sessions/{}?registered={}&guest=1",
        session.id,
        status.code()
    ));
    Ok(())
}

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

/// Sets the zone times are shown in: the profile's for members, a cookie for visitors.
#[server(endpoint = "calendar/time-zone")]
pub async fn set_time_zone(zone: String, back: String) -> Result<(), AppError> {
    let context = request_context();
    let zone =
        kring_domain::TimeZone::parse(&zone).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    if let Some(user) = &context.viewer.user {
        db().set_time_zone(user.id, &zone)
            .await
            .map_err(|e| context.internal(e))?;
    }
    context.set_time_zone_cookie(&zone);
    crate::navigation::redirect(&crate::navigation::in_site_target(&back, "/sessions"));
    Ok(())
}

/// Creates, replaces (`regenerate`) or removes (`revoke`) the member's subscription address.
#[server(endpoint = "calendar/feed")]
pub async fn manage_feed(action: String) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    match action.as_str() {
        "regenerate" => {
            db.regenerate_feed_token(user.id)
                .await
                .map_err(|e| context.internal(e))?;
        }
        "revoke" => db
            .revoke_feed_token(user.id)
            .await
            .map_err(|e| context.internal(e))?,
        _ => return Err(context.error(ErrorCode::NotFound)),
    }
    crate::navigation::redirect(&format!("/sessions?feed={action}"));
    Ok(())
}

/// The zones to pick from, with the place first so a city is easy to find.
#[server(endpoint = "calendar/zones")]
pub async fn time_zone_choices() -> Result<Vec<(String, String)>, AppError> {
    Ok(kring_domain::TimeZone::all()
        .map(|zone| {
            let place = zone.rsplit('/').next().unwrap_or(&zone).replace('_', " ");
            (zone.clone(), format!("{place} ({zone})"))
        })
        .collect())
}

/// "3 of 10 places taken".
fn places_text(t: Locale, places: Option<(i64, i64)>) -> Option<String> {
    places.map(|(taken, capacity)| {
        td_string!(t, cal_places)
            .replace("%taken%", &taken.to_string())
            .replace("%capacity%", &capacity.to_string())
    })
}

pub(crate) fn kind_name(t: Locale, kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Live => td_string!(t, cal_kind_live),
        SessionKind::Information => td_string!(t, cal_kind_information),
        SessionKind::Circle => td_string!(t, cal_kind_circle),
    }
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

/// `/sessions`: the upcoming agenda (default) or a month grid (`?view=month&month=2027-03`).
#[component]
pub fn SessionsPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let query = use_query_map();
    let (view_mode, month, feed_done, show_past) = query.with_untracked(|q| {
        (
            q.get("view"),
            q.get("month"),
            q.get("feed"),
            q.get("past").is_some(),
        )
    });
    let month_view = view_mode.as_deref() == Some("month");
    let month = month_view.then(|| month.unwrap_or_default());
    let feed_action = ServerAction::<ManageFeed>::new();
    let error = Signal::derive(move || feed_action.value().get().and_then(Result::err));
    let data = Resource::new_blocking(move || month.clone(), load_agenda);
    view! {
        <Title text=td_string!(t, cal_title)/>
        <h1>{td_string!(t, cal_title)}</h1>
        {(!viewer.time_zone_known).then(|| view! { <crate::islands::ZoneCookie/> })}
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
                let upcoming: Vec<SessionCard> = agenda.sessions.iter().filter(|card| show_past || !card.ended).cloned().collect();
                view! {
                    <p class="zone-line">
                        {zone_line} " "
                        <a href="/time-zone?back=/sessions">{td_string!(t, cal_change_zone)}</a>
                    </p>
                    <nav class="view-switch" aria-label=td_string!(t, cal_views)>
                        <a href="/sessions" aria-current=(!month_view).then_some("page")>{td_string!(t, cal_agenda)}</a>
                        <a href="/sessions?view=month" aria-current=month_view.then_some("page")>{td_string!(t, cal_month)}</a>
                        {agenda.may_plan.then(|| view! {
                            <a href="/sessions/plan">{td_string!(t, cal_plan)}</a>
                            <a href="/sessions/fair-time">{td_string!(t, cal_fair_time)}</a>
                        })}
                    </nav>
                    {(!agenda.reminders.is_empty()).then(|| view! {
                        <section class="card reminders" aria-label=td_string!(t, cal_reminders)>
                            <h2>{td_string!(t, cal_reminders)}</h2>
                            <ul>{agenda.reminders.iter().map(|text| view! { <li>{text.clone()}</li> }).collect_view()}</ul>
                        </section>
                    })}
                    {match agenda.month.clone() {
                        Some(grid) => view! { <MonthView grid/> }.into_any(),
                        None if upcoming.is_empty() => view! { <p>{td_string!(t, cal_none)}</p> }.into_any(),
                        None => view! {
                            <ol class="agenda">
                                {upcoming.into_iter().map(|card| view! { <SessionListItem card/> }).collect_view()}
                            </ol>
                            {(!show_past).then(|| view! { <p><a href="/sessions?past=1">{td_string!(t, cal_show_past)}</a></p> })}
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
                                    {cell.sessions.into_iter().map(|(id, clock, title, cancelled)| view! {
                                        <a class="grid-session" class:cancelled=cancelled href=format!("/sessions/{id}")>
                                            <span class="clock">{clock}</span> " " {title}
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
    let change = ServerAction::<crate::planning::ChangeSession>::new();
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
        {(!viewer.time_zone_known).then(|| view! { <crate::islands::ZoneCookie/> })}
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
                    {detail.visitor_may_register.then(|| if detail.visitors_confirm_by_mail {
                        view! { <GuestRegistration session=card.id zone=detail.viewer_time_zone.clone() guest/> }.into_any()
                    } else {
                        view! { <p class="card hint">{td_string!(t, errors_visitor_signup_closed)}</p> }.into_any()
                    })}
                    {detail.may_manage.then(|| view! { <crate::planning::ManageSession detail=detail.clone() change/> })}
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
                    <crate::islands::BrowserTimeZone name="guest[time_zone]".to_owned() value=zone/>
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
