//! Sessions as iCalendar events (RFC 5545), for feeds and downloads.

use crate::i18n::*;
use crate::sessions::full_time_text;
use kring_domain::Language;

/// A session as an iCalendar event for one reader; the description carries the
/// same time text the pages show.
pub fn calendar_event(
    session: &kring_db::MeetingRecord,
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
    // What followed the session is on its page, which only its members may open.
    if !(session.notes.is_empty() && session.recording_link.is_empty()) {
        let t = crate::i18n::locale(language);
        description.push_str("\n\n");
        description.push_str(
            &td_string!(t, cal_follow_up_link)
                .replace("%link%", &format!("{origin}/sessions/{}#notes", session.id)),
        );
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
