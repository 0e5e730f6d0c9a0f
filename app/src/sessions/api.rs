//! Members' and visitors' server functions: the agenda, a session, registering
//! (members at once, visitors by a confirmation link), the zone and the feed.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};

#[cfg(feature = "ssr")]
use super::cards::{month_grid, month_span, session_cards, SESSIONS_PER_PAGE};
#[cfg(feature = "ssr")]
use crate::outbound::mail::{confirmation_mail, registration_mail};
#[cfg(feature = "ssr")]
use crate::outbound::{ical::calendar_event, mail_enabled};

/// Everything the calendar page shows. `month` (`YYYY-MM`) asks for the month
/// grid; otherwise page `page` (from 0) of the sessions ahead, or of those
/// past (latest first) when `past` is set.
#[server(endpoint = "calendar/agenda")]
pub async fn load_agenda(month: Option<String>, past: bool, page: i64) -> Result<Agenda, AppError> {
    use kring_db::Span;
    let context = request_context();
    let db = db();
    let language = context.viewer.language;
    let zone = context.time_zone();
    let now = kring_db::now();
    let audience = audience(&context);
    let month = month.filter(|month| !month.is_empty());
    let invalid_month =
        || context.error(ErrorCode::Invalid(kring_domain::DomainError::DateInvalid));
    let (sessions, pages) = match &month {
        Some(month) => {
            let (from, to) = month_span(month).ok_or_else(invalid_month)?;
            let sessions = db
                .meetings(audience, language, Span::Between(from, to))
                .await?;
            (sessions, crate::components::Pages::of(1, 1, 0))
        }
        None => {
            let span = if past {
                Span::Past(now)
            } else {
                Span::Ahead(now)
            };
            let (sessions, count) = db
                .meetings_page(audience, language, span, page, SESSIONS_PER_PAGE)
                .await?;
            (
                sessions,
                crate::components::Pages::of(count, SESSIONS_PER_PAGE, page),
            )
        }
    };
    let (registrations, feed, noticed) = match &context.viewer.user {
        Some(user) => {
            let kring_db::OwnCalendar {
                registrations,
                feed_token: token,
            } = db.own_calendar(user.id).await?;
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
            let noticed = noticed_sessions(&db, &context, audience, user.id).await?;
            (registrations, Some(feed), noticed)
        }
        None => Default::default(),
    };
    let mut series: Vec<kring_domain::SeriesId> = sessions
        .iter()
        .chain(noticed.iter().map(|(_, session)| session))
        .filter_map(|session| session.series_id)
        .collect();
    series.sort_unstable_by_key(|id| id.0);
    series.dedup();
    let series_starts = db.starts_of_series(&series).await?;
    let notices = noticed
        .iter()
        .map(|(notice, session)| {
            let shift = session
                .series_id
                .and_then(|id| series_starts.get(&id))
                .and_then(|starts| series_shift(session, starts, &zone, language));
            notice_text(session, notice, shift.as_deref(), &zone, language, now)
        })
        .collect();
    let cards = session_cards(
        &sessions,
        &series_starts,
        &registrations,
        language,
        &zone,
        now,
    );
    let month = month
        .map(|month| month_grid(&month, &cards, language).ok_or_else(invalid_month))
        .transpose()?;
    Ok(Agenda {
        zone_label: kring_domain::time_text::zone_label(&zone, now, language, false),
        may_plan: context
            .viewer
            .user
            .as_ref()
            .is_some_and(|user| user.role.may_facilitate()),
        signed_in: context.viewer.user.is_some(),
        sessions: cards,
        pages,
        feed,
        notices,
        month,
    })
}

/// The member's reminders and session changes, newest first, each with its
/// session (those the member may no longer see left out).
#[cfg(feature = "ssr")]
async fn noticed_sessions(
    db: &kring_db::Db,
    context: &RequestContext,
    audience: kring_db::Audience,
    user: kring_domain::UserId,
) -> Result<Vec<(kring_db::SessionNotice, kring_db::MeetingRecord)>, AppError> {
    let notices = db.session_notices(user, kring_db::now()).await?;
    let ids: Vec<_> = notices.iter().map(|notice| notice.session_id).collect();
    let sessions: std::collections::HashMap<_, _> = db
        .meetings_among(&ids, audience, context.viewer.language)
        .await?
        .into_iter()
        .map(|session| (session.id, session))
        .collect();
    let noticed = notices
        .into_iter()
        .filter_map(|notice| {
            let session = sessions.get(&notice.session_id)?.clone();
            Some((notice, session))
        })
        .collect();
    Ok(noticed)
}

/// Tells whoever moved up from the waitlist, by e-mail when it can be sent.
#[cfg(feature = "ssr")]
pub(crate) async fn announce_promotion(
    db: &kring_db::Db,
    context: &RequestContext,
    promoted: kring_domain::RegistrationId,
) -> Result<(), kring_db::DbError> {
    if !mail_enabled() {
        return Ok(());
    }
    let recipient = db.registration_recipient(promoted).await?;
    let session = db
        .meeting(
            recipient.session_id,
            kring_db::Audience::All,
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

#[server(endpoint = "calendar/session")]
pub async fn load_session(id: i64) -> Result<SessionDetail, AppError> {
    use kring_domain::time_text::Relative;
    let context = request_context();
    let db = db();
    let language = context.viewer.language;
    let session = db
        .meeting(kring_domain::SessionId(id), audience(&context), language)
        .await?;
    let registrations = match &context.viewer.user {
        Some(user) => db.registrations_of(user.id).await?,
        None => Default::default(),
    };
    let may_manage = context.runs(session.cohort_id).await?;
    let series_starts = db.starts_of_series(session.series_id.as_slice()).await?;
    let card = session_cards(
        std::slice::from_ref(&session),
        &series_starts,
        &registrations,
        language,
        &context.time_zone(),
        kring_db::now(),
    )
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
        db.registrants(session.id).await?
    } else {
        Vec::new()
    };
    let unit = match session.unit_id {
        Some(unit) => db
            .unit_title(unit, language)
            .await?
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
        follow_up: super::attendance::follow_up_for(&db, &context, &session, may_manage, may_join)
            .await?,
        may_manage,
        card,
    })
}

/// A member takes a place in an information meeting or circle (or joins its waitlist).
#[server(endpoint = "calendar/register")]
pub async fn register_for_session(id: i64) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let session = db
        .meeting(
            kring_domain::SessionId(id),
            audience(&context),
            context.viewer.language,
        )
        .await?;
    if session.ends_at() <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    let status = db
        .register(session.id, &kring_db::Registrant::Member(user.id))
        .await?;
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
        .await?;
    if let Some(promoted) = promoted {
        announce_promotion(&db, &context, promoted).await?;
    }
    crate::navigation::redirect(&format!("/sessions/{id}?registered=cancelled"));
    Ok(())
}

/// A visitor asks for a place in a public meeting. Nothing is held yet: a
/// link goes to the address they gave (double opt-in), so nobody can make
/// Kring hold seats for, or mail, addresses that are not theirs. Counted per
/// network and per address before anything is sent.
#[server(endpoint = "calendar/register-guest")]
pub async fn register_guest(guest: GuestForm) -> Result<(), AppError> {
    use kring_domain::{AttemptLimit, DisplayName, Email, OrganisationName, TimeZone};
    let context = request_context();
    let name = DisplayName::parse(&guest.name)?;
    let email = Email::parse(&guest.email)?;
    let organisation = OrganisationName::parse(&guest.organisation)?;
    let group_language = Language::parse(&guest.language_group)?;
    let zone = TimeZone::parse(&guest.time_zone)?;
    let db = db();
    let session = db
        .meeting(
            kring_domain::SessionId(guest.session),
            kring_db::Audience::Visitor,
            context.viewer.language,
        )
        .await?;
    if !session.kind.is_public() {
        return Err(context.error(ErrorCode::NotFound));
    }
    if session.ends_at() <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    if !mail_enabled() {
        return Err(context.error(ErrorCode::VisitorSignupClosed));
    }
    context
        .count_attempts(
            &db,
            &[
                (
                    kring_db::Bucket::VisitorsFrom(&context.client_address),
                    AttemptLimit::VISITORS_PER_ADDRESS,
                ),
                (
                    kring_db::Bucket::VisitorEmail(email.as_str()),
                    AttemptLimit::VISITORS_PER_EMAIL,
                ),
            ],
        )
        .await?;
    let pending = kring_db::Guest {
        name: name.as_str().to_owned(),
        email: email.as_str().to_owned(),
        organisation: organisation.as_str().to_owned(),
        language_group: group_language.native_name().to_owned(),
        language: context.viewer.language,
        time_zone: zone.clone(),
    };
    let token = db.hold_guest_confirmation(session.id, &pending).await?;
    let (subject, body) = confirmation_mail(
        &session,
        &pending,
        &format!("{}/sessions/confirm?token={token}", context.public_url),
    );
    db.enqueue_mail(email.as_str(), &subject, &body).await?;
    // The pages show the meeting in the zone the visitor gave.
    context.set_time_zone_cookie(&zone);
    crate::navigation::redirect(&format!(
        "/sessions/{}?registered=check-mail&guest=1",
        guest.session
    ));
    Ok(())
}

/// The registration behind a confirmation link. Looking uses nothing up.
#[server(endpoint = "calendar/guest-confirmation")]
pub async fn load_guest_confirmation(token: String) -> Result<PendingVisitor, AppError> {
    let context = request_context();
    let db = db();
    let (session, guest) = db
        .guest_confirmation(&token)
        .await?
        .ok_or_else(|| context.error(ErrorCode::LinkExpired))?;
    let session = db
        .meeting(session, kring_db::Audience::Visitor, guest.language)
        .await?;
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
        .await?
        .ok_or_else(|| context.error(ErrorCode::LinkExpired))?;
    let session = db
        .meeting(session, kring_db::Audience::Visitor, guest.language)
        .await?;
    if session.ends_at() <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    let status = db
        .register(session.id, &kring_db::Registrant::Guest(guest.clone()))
        .await?;
    let (subject, body) = registration_mail(
        &session,
        &guest.name,
        status == kring_db::RegistrationStatus::Confirmed,
        &guest.time_zone,
        guest.language,
        &context.public_url,
    );
    db.enqueue_mail(&guest.email, &subject, &body).await?;
    context.set_time_zone_cookie(&guest.time_zone);
    crate::navigation::redirect(&format!(
        "/sessions/{}?registered={}&guest=1",
        session.id,
        status.code()
    ));
    Ok(())
}

/// Sets the zone times are shown in: the profile's for members, a cookie for visitors.
#[server(endpoint = "calendar/time-zone")]
pub async fn set_time_zone(zone: String, back: String) -> Result<(), AppError> {
    let context = request_context();
    let zone = kring_domain::TimeZone::parse(&zone)?;
    if let Some(user) = &context.viewer.user {
        db().set_time_zone(user.id, &zone).await?;
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
            db.regenerate_feed_token(user.id).await?;
        }
        "revoke" => db.revoke_feed_token(user.id).await?,
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
