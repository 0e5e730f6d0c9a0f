//! The server's page data for sessions, as plain functions of stored
//! sessions and the viewer: cards with every time in the viewer's zone and
//! language, the month grid, and the time texts pages, feeds and e-mails share.

use super::*;
use crate::i18n::*;
use crate::viewer::RequestContext;

/// The stored registrations of one reader, by session.
pub(crate) type Registrations =
    std::collections::HashMap<kring_domain::SessionId, kring_db::RegistrationStatus>;

/// When the sessions of each series start (cancelled ones left out), by series.
pub(crate) type SeriesStarts = std::collections::HashMap<kring_domain::SeriesId, Vec<i64>>;

/// Turns stored sessions into cards for a reader in `zone` reading `language`
/// at `now`: local and host times, relative time, and shift notices where a
/// series' local time changes (each session compared with the one of its
/// series before it in `series_starts`, which may lie outside `sessions`).
pub(crate) fn session_cards(
    sessions: &[kring_db::MeetingRecord],
    series_starts: &SeriesStarts,
    registrations: &Registrations,
    language: Language,
    zone: &kring_domain::TimeZone,
    now: i64,
) -> Vec<SessionCard> {
    use kring_domain::time_text::{session_time, Relative};
    sessions
        .iter()
        .map(|session| {
            let time = session_time(
                session.starts_at,
                session.minutes,
                &session.host_zone,
                zone,
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
                shift_notice: session
                    .series_id
                    .filter(|_| session.status != SessionStatus::Cancelled)
                    .and_then(|series| series_starts.get(&series))
                    .and_then(|starts| series_shift(session, starts, zone, language)),
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

pub fn audience(context: &RequestContext) -> kring_db::Audience {
    match &context.viewer.user {
        Some(user) => kring_db::audience_of(user.id, user.role),
        None => kring_db::Audience::Visitor,
    }
}

/// How many sessions a page of the agenda lists.
pub(crate) const SESSIONS_PER_PAGE: i64 = 20;

/// The instants whose sessions may fall on the month grid of `month`
/// (`YYYY-MM`) in any zone: from a week before the first to two weeks after
/// the month (the grid's days of the months around, and 14 hours of zone
/// offset either way).
pub(crate) fn month_span(month: &str) -> Option<(i64, i64)> {
    let first = kring_domain::series::parse_date(&format!("{month}-01")).ok()?;
    let instant = |date: jiff::civil::Date| {
        jiff::tz::Offset::UTC
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .ok()
            .map(|instant| instant.as_second())
    };
    let from = first.checked_add(jiff::Span::new().days(-7)).ok()?;
    let to = first
        .checked_add(jiff::Span::new().months(1).days(14))
        .ok()?;
    Some((instant(from)?, instant(to)?))
}

/// The month grid for `month` (`YYYY-MM`): weeks from Monday, sessions on their local dates.
pub(crate) fn month_grid(
    month: &str,
    cards: &[SessionCard],
    language: Language,
) -> Option<MonthGrid> {
    use kring_domain::time_text::{month_heading, weekday_short};
    let first = kring_domain::series::parse_date(&format!("{month}-01")).ok()?;
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
                    .map(|card| DaySession {
                        id: card.id,
                        clock: card.local_clock.clone(),
                        title: card.title.clone(),
                        cancelled: card.status == SessionStatus::Cancelled,
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
        .map(|d| weekday_short(d, language))
        .collect();
    Some(MonthGrid {
        heading: month_heading(first.year(), first.month(), language),
        weekdays,
        weeks,
        previous: previous.strftime("%Y-%m").to_string(),
        next: next.strftime("%Y-%m").to_string(),
    })
}

/// "From 1 April this session is at 15:00 your time."
fn shift_sentence(local_date: jiff::civil::Date, clock: &str, language: Language) -> String {
    let t = locale(language);
    td_string!(t, cal_shift_notice)
        .replace(
            "%date%",
            &kring_domain::time_text::day_and_month(local_date, language),
        )
        .replace("%time%", clock)
}

/// The shift notice for `session` when its local time in `zone` differs from the
/// session before it in its series (`series_starts`: the series' sessions that
/// take place, in time order).
pub fn series_shift(
    session: &kring_db::MeetingRecord,
    series_starts: &[i64],
    zone: &kring_domain::TimeZone,
    language: Language,
) -> Option<String> {
    use kring_domain::time_text::{clock_shifts, session_time};
    let index = series_starts
        .iter()
        .position(|start| *start == session.starts_at)?;
    let clock = clock_shifts(series_starts, zone).swap_remove(index)?;
    let time = session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        zone,
        language,
    );
    Some(shift_sentence(time.local_date, &clock, language))
}

/// What a notice says in the reader's language and zone. A reminder: "Reminder:
/// English group: live session, Thu 14 Jan, 17:00–19:00 Yerevan time · 13:00 GMT
/// (in 1 hour)", followed by the shift notice when the session's local time moves;
/// a move names the old and the new time; a cancellation the time it had.
/// The same text goes into the notice's e-mail.
pub fn notice_text(
    session: &kring_db::MeetingRecord,
    notice: &kring_db::SessionNotice,
    shift: Option<&str>,
    zone: &kring_domain::TimeZone,
    language: Language,
    now: i64,
) -> String {
    use kring_db::NoticeKind;
    use kring_domain::time_text::{session_time, Relative};
    let t = crate::i18n::locale(language);
    let time_at = |start: i64| {
        full_time_text(&session_time(
            start,
            session.minutes,
            &session.host_zone,
            zone,
            language,
        ))
    };
    let text = match notice.kind {
        NoticeKind::Day | NoticeKind::Hour => td_string!(t, cal_reminder)
            .replace("%title%", &session.title)
            .replace("%time%", &time_at(session.starts_at))
            .replace(
                "%relative%",
                &Relative::of(session.starts_at, session.minutes, now).text(language),
            ),
        NoticeKind::Moved => td_string!(t, cal_notice_moved)
            .replace("%title%", &session.title)
            .replace("%time%", &time_at(session.starts_at))
            .replace(
                "%previous%",
                &time_at(notice.previous_start.unwrap_or(session.starts_at)),
            ),
        NoticeKind::Cancelled => td_string!(t, cal_notice_cancelled)
            .replace("%title%", &session.title)
            .replace("%time%", &time_at(session.starts_at)),
    };
    match shift {
        Some(shift) if notice.kind.is_reminder() => format!("{text} {shift}"),
        _ => text,
    }
}

/// Local time, day marker and host time in one line: what feeds and e-mails print.
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

#[cfg(test)]
mod tests {
    use super::*;
    use kring_domain::{SeriesId, SessionId, TimeZone};

    /// Weekly at 13:00 London time; London leaves summer time on 25 October 2026.
    const BEFORE_THE_CHANGE: i64 = 1_792_411_200; // Mon 19 Oct 2026, 12:00 UTC
    const AFTER_THE_CHANGE: i64 = 1_793_019_600; // Mon 26 Oct 2026, 13:00 UTC
    const IN_MARCH: i64 = 1_804_683_600; // Wed 10 Mar 2027, 13:00 UTC

    fn session(id: i64, starts_at: i64) -> kring_db::MeetingRecord {
        kring_db::MeetingRecord {
            id: SessionId(id),
            uid: format!("session-{id}@kring"),
            series_id: Some(SeriesId(1)),
            kind: SessionKind::Live,
            cohort_id: None,
            cohort_name: Some("Cohort 2026".to_owned()),
            language_group_id: None,
            language_group_name: Some("English group".to_owned()),
            starts_at,
            host_zone: TimeZone::parse("Europe/London").unwrap(),
            minutes: 90,
            video_link: String::new(),
            capacity: Some(10),
            confirmed_count: 3,
            waitlisted_count: 0,
            unit_id: None,
            status: SessionStatus::Scheduled,
            sequence: 0,
            updated_at: 0,
            notes: String::new(),
            recording_link: String::new(),
            title: format!("Session {id}"),
            description: String::new(),
            shown_language: Language::En,
        }
    }

    fn yerevan() -> TimeZone {
        TimeZone::parse("Asia/Yerevan").unwrap()
    }

    /// The series of `sessions` as the store gives them: cancelled ones left out.
    fn starts_of(sessions: &[kring_db::MeetingRecord]) -> SeriesStarts {
        let mut starts = SeriesStarts::new();
        for session in sessions {
            if let (Some(series), false) = (
                session.series_id,
                session.status == SessionStatus::Cancelled,
            ) {
                starts.entry(series).or_default().push(session.starts_at);
            }
        }
        starts
    }

    #[test]
    fn cards_read_in_the_readers_zone_and_name_a_shift_in_the_series() {
        let sessions = [session(1, BEFORE_THE_CHANGE), session(2, AFTER_THE_CHANGE)];
        let registrations =
            Registrations::from([(SessionId(2), kring_db::RegistrationStatus::Waitlisted)]);
        let cards = session_cards(
            &sessions,
            &starts_of(&sessions),
            &registrations,
            Language::En,
            &yerevan(),
            BEFORE_THE_CHANGE - 3600,
        );
        // Yerevan keeps its clock: 16:00, then 17:00 once London has moved.
        assert_eq!(cards[0].local_clock, "16:00");
        assert_eq!(cards[1].local_clock, "17:00");
        assert_eq!(cards[0].shift_notice, None);
        let notice = cards[1].shift_notice.as_deref().unwrap();
        assert!(
            notice.starts_with("From ") && notice.contains("17:00"),
            "{notice}"
        );
        assert_eq!(cards[0].audience, "Cohort 2026 · English group");
        assert_eq!(cards[0].places, Some((3, 10)));
        assert_eq!(cards[0].registration, None);
        assert_eq!(cards[1].registration, Some(RegistrationState::Waitlisted));
        assert!(!cards[0].ended);
        let later = session_cards(
            &sessions,
            &starts_of(&sessions),
            &registrations,
            Language::En,
            &yerevan(),
            AFTER_THE_CHANGE + 2 * 3600,
        );
        assert!(later.iter().all(|card| card.ended));
    }

    #[test]
    fn a_page_starting_mid_series_still_names_the_shift() {
        let sessions = [session(1, BEFORE_THE_CHANGE), session(2, AFTER_THE_CHANGE)];
        let cards = session_cards(
            &sessions[1..],
            &starts_of(&sessions),
            &Registrations::new(),
            Language::En,
            &yerevan(),
            BEFORE_THE_CHANGE,
        );
        assert!(cards[0].shift_notice.is_some());
        let mut cancelled = session(2, AFTER_THE_CHANGE);
        cancelled.status = SessionStatus::Cancelled;
        let cards = session_cards(
            &[cancelled],
            &starts_of(&sessions),
            &Registrations::new(),
            Language::En,
            &yerevan(),
            BEFORE_THE_CHANGE,
        );
        assert_eq!(cards[0].shift_notice, None);
    }

    #[test]
    fn a_month_span_covers_the_grid_in_every_zone() {
        // March 2027: the grid runs from Mon 1 March to Sun 4 April.
        let (from, to) = month_span("2027-03").unwrap();
        assert_eq!(from, 1_803_254_400); // Mon 22 Feb 2027, 00:00 UTC
        assert_eq!(to, 1_807_747_200); // Thu 15 Apr 2027, 00:00 UTC
        assert!(from < IN_MARCH && IN_MARCH < to);
        for month in ["2027-13", "2027-3", "", "march", "2027-03-01"] {
            assert_eq!(month_span(month), None, "{month}");
        }
    }

    fn notice(kind: kring_db::NoticeKind, previous_start: Option<i64>) -> kring_db::SessionNotice {
        kring_db::SessionNotice {
            id: 1,
            session_id: SessionId(2),
            kind,
            previous_start,
            created_at: 0,
        }
    }

    #[test]
    fn a_reminder_carries_the_shift_notice_before_the_local_time_moves() {
        use kring_db::NoticeKind;
        let later = session(2, AFTER_THE_CHANGE);
        let starts = [BEFORE_THE_CHANGE, AFTER_THE_CHANGE];
        let shift = series_shift(&later, &starts, &yerevan(), Language::Es);
        let text = notice_text(
            &later,
            &notice(NoticeKind::Day, None),
            shift.as_deref(),
            &yerevan(),
            Language::Es,
            AFTER_THE_CHANGE - 20 * 3600,
        );
        assert!(text.starts_with("Recordatorio: Session 2"), "{text}");
        assert!(text.contains("17:00"), "in Yerevan: {text}");
        assert!(text.ends_with(&shift.clone().unwrap()), "{text}");
        // The first of a series, or a series whose local time stays, has no shift.
        assert_eq!(
            series_shift(
                &session(1, BEFORE_THE_CHANGE),
                &starts,
                &yerevan(),
                Language::Es
            ),
            None
        );
        let london = TimeZone::parse("Europe/London").unwrap();
        assert_eq!(series_shift(&later, &starts, &london, Language::En), None);
        // A change notice never carries it.
        let moved = notice_text(
            &later,
            &notice(NoticeKind::Cancelled, None),
            shift.as_deref(),
            &yerevan(),
            Language::En,
            0,
        );
        assert!(!moved.contains("From "), "{moved}");
    }

    #[test]
    fn a_move_names_the_old_and_the_new_time_in_the_readers_zone() {
        use kring_db::NoticeKind;
        let lima = TimeZone::parse("America/Lima").unwrap();
        let moved = session(2, AFTER_THE_CHANGE);
        let text = notice_text(
            &moved,
            &notice(NoticeKind::Moved, Some(BEFORE_THE_CHANGE)),
            None,
            &lima,
            Language::Es,
            BEFORE_THE_CHANGE - 86_400,
        );
        // 19 Oct 12:00 UTC is 07:00 in Lima; 26 Oct 13:00 UTC is 08:00.
        assert!(text.starts_with("Cambio de horario: Session 2"), "{text}");
        let (now, was) = text.split_once("antes").unwrap();
        assert!(now.contains("26") && now.contains("08:00"), "{text}");
        assert!(was.contains("19") && was.contains("07:00"), "{text}");
        let cancelled = notice_text(
            &moved,
            &notice(NoticeKind::Cancelled, None),
            None,
            &lima,
            Language::De,
            0,
        );
        assert!(cancelled.starts_with("Abgesagt: Session 2"), "{cancelled}");
    }

    #[test]
    fn a_cancelled_registration_is_no_registration() {
        let registrations =
            Registrations::from([(SessionId(1), kring_db::RegistrationStatus::Cancelled)]);
        let cards = session_cards(
            &[session(1, IN_MARCH)],
            &SeriesStarts::new(),
            &registrations,
            Language::Nl,
            &yerevan(),
            0,
        );
        assert_eq!(cards[0].registration, None);
    }

    #[test]
    fn the_month_grid_starts_on_monday_and_puts_sessions_on_their_local_day() {
        let mut cancelled = session(2, IN_MARCH + 3600);
        cancelled.status = SessionStatus::Cancelled;
        let cards = session_cards(
            &[session(1, IN_MARCH), cancelled],
            &SeriesStarts::new(),
            &Registrations::new(),
            Language::Es,
            &yerevan(),
            0,
        );
        let grid = month_grid("2027-03", &cards, Language::Es).unwrap();
        // 1 March 2027 is a Monday; the last week runs into April.
        assert_eq!(grid.weeks.len(), 5);
        assert_eq!((grid.weeks[0][0].day, grid.weeks[0][0].in_month), (1, true));
        assert_eq!(
            (grid.weeks[4][3].day, grid.weeks[4][3].in_month),
            (1, false)
        );
        assert_eq!(grid.weekdays.len(), 7);
        assert_eq!(
            (grid.previous.as_str(), grid.next.as_str()),
            ("2027-02", "2027-04")
        );
        let tenth = &grid.weeks[1][2];
        assert_eq!(tenth.day, 10);
        assert_eq!(
            tenth.sessions,
            [
                DaySession {
                    id: 1,
                    clock: "17:00".to_owned(),
                    title: "Session 1".to_owned(),
                    cancelled: false,
                },
                DaySession {
                    id: 2,
                    clock: "18:00".to_owned(),
                    title: "Session 2".to_owned(),
                    cancelled: true,
                },
            ]
        );
        let empty_days = grid
            .weeks
            .iter()
            .flatten()
            .filter(|day| day.sessions.is_empty());
        assert_eq!(empty_days.count(), 34);
    }

    #[test]
    fn a_month_that_does_not_exist_has_no_grid() {
        for month in ["2027-13", "2027-00", "march", ""] {
            assert_eq!(month_grid(month, &[], Language::En), None, "{month}");
        }
    }
}
