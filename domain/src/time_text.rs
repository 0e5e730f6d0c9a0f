//! How a session time reads: in the viewer's zone and the host's, always with
//! zone labels, dates in the reader's language. Pages, calendar feeds and
//! reminders all call [`session_time`], so a time reads the same everywhere.

use crate::cldr;
use crate::series::zone_rules;
use crate::{Language, TimeZone};
use jiff::civil::{Date, Weekday};
use jiff::Timestamp;

/// A session's time as one viewer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTime {
    /// "Thu 12 Mar, 16:00–18:00 Yerevan time"
    pub local: String,
    /// "13:00 GMT", or "14:00 London time (BST)"; empty when the viewer is in the host's zone.
    pub host: String,
    /// "+1 day" when the viewer's date is later than the host's, "−1 day" when earlier.
    pub day_marker: Option<String>,
    /// The viewer's start clock, "16:00": what a shift notice compares.
    pub local_clock: String,
    /// The viewer's calendar date of the start, for month grids.
    pub local_date: Date,
}

fn local(instant: i64, zone: &TimeZone) -> jiff::ZonedDateTime {
    Timestamp::from_second(instant)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone_rules(zone))
}

/// The one function that turns a session's instants into text for a reader.
pub fn session_time(
    starts_at: i64,
    minutes: i64,
    host_zone: &TimeZone,
    viewer_zone: &TimeZone,
    language: Language,
) -> SessionTime {
    let start = local(starts_at, viewer_zone);
    let end = local(starts_at + minutes * 60, viewer_zone);
    let host_start = local(starts_at, host_zone);
    let clock = |at: &jiff::ZonedDateTime| at.strftime("%H:%M").to_string();
    let local_text = format!(
        "{}, {}–{} {}",
        short_date(start.date(), language),
        clock(&start),
        clock(&end),
        zone_label(viewer_zone, starts_at, language, false),
    );
    let host = if viewer_zone == host_zone {
        String::new()
    } else {
        format!(
            "{} {}",
            clock(&host_start),
            zone_label(host_zone, starts_at, language, true)
        )
    };
    let day_marker = match start.date().cmp(&host_start.date()) {
        std::cmp::Ordering::Greater => Some(day_word(language, "+1")),
        std::cmp::Ordering::Less => Some(day_word(language, "−1")),
        std::cmp::Ordering::Equal => None,
    };
    SessionTime {
        local: local_text,
        host,
        day_marker,
        local_clock: clock(&start),
        local_date: start.date(),
    }
}

fn day_word(language: Language, sign: &str) -> String {
    let word = match language {
        Language::En => "day",
        Language::Es => "día",
        Language::De => "Tag",
        Language::Nl => "dag",
    };
    format!("{sign} {word}")
}

/// "Yerevan time", "GMT", "London time (BST)": a zone named so nobody has to guess.
pub fn zone_label(zone: &TimeZone, at: i64, language: Language, with_abbreviation: bool) -> String {
    let name = zone.as_str();
    let universal = match name {
        "UTC" | "Etc/UTC" | "Etc/UCT" | "Etc/Universal" | "Etc/Zulu" | "Universal" | "Zulu" => {
            Some("UTC")
        }
        "GMT" | "Etc/GMT" | "Etc/GMT+0" | "Etc/GMT-0" | "Etc/GMT0" | "Etc/Greenwich" | "GMT0"
        | "Greenwich" => Some("GMT"),
        _ => None,
    };
    if let Some(universal) = universal {
        return universal.to_owned();
    }
    // CLDR's city in the reader's language; for an identifier CLDR does not know, the last
    // part of the IANA name is still better than nothing.
    let place = cldr::zone_city(name, language)
        .unwrap_or_else(|| name.rsplit('/').next().unwrap_or(name).replace('_', " "));
    let mut label = match language {
        Language::En => format!("{place} time"),
        Language::Es => format!("hora de {place}"),
        Language::De => format!("Zeit in {place}"),
        Language::Nl => format!("tijd in {place}"),
    };
    if with_abbreviation {
        let rules = zone_rules(zone);
        let info =
            rules.to_offset_info(Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH));
        let abbreviation = info.abbreviation();
        // Numeric abbreviations ("+0545") say less than the place name.
        if abbreviation.bytes().all(|b| b.is_ascii_alphabetic()) {
            label.push_str(&format!(" ({abbreviation})"));
        }
    }
    label
}

/// When something was written, in the reader's zone: "Thu 12 Mar 2026 · 16:05".
pub fn moment(instant: i64, zone: &TimeZone, language: Language) -> String {
    let at = local(instant, zone);
    format!(
        "{} {} · {}",
        short_date(at.date(), language),
        at.year(),
        at.strftime("%H:%M")
    )
}

/// "Thu 12 Mar", "jue 12 mar", "Do 12. März", "do 12 mrt".
pub fn short_date(date: Date, language: Language) -> String {
    cldr::short_date(date, language)
}

/// "March 2027", "marzo de 2027", "März 2027", "maart 2027".
pub fn month_heading(year: i16, month: i8, language: Language) -> String {
    match Date::new(year, month, 1) {
        Ok(first) => cldr::month_heading(first, language),
        Err(_) => format!("{year}-{month:02}"),
    }
}

/// "29 March", "29 de marzo", "29. März", "29 maart": a date in a sentence.
pub fn day_and_month(date: Date, language: Language) -> String {
    cldr::day_and_month(date, language)
}

/// The weekday's short name, Monday first, for month-grid headings too.
pub fn weekday_short(weekday: Weekday, language: Language) -> String {
    cldr::weekday(weekday, language)
}

/// Where a session stands relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    InDays(i64),
    InHours(i64),
    InMinutes(i64),
    /// From 15 minutes before the start until 15 minutes after: time to join.
    StartingNow,
    InProgress,
    Ended,
}

/// Minutes before the start from which the join link works.
pub const JOIN_OPENS_MINUTES_BEFORE: i64 = 15;

impl Relative {
    pub fn of(starts_at: i64, minutes: i64, now: i64) -> Relative {
        let until = starts_at - now;
        let window = JOIN_OPENS_MINUTES_BEFORE * 60;
        if now >= starts_at + minutes * 60 {
            Relative::Ended
        } else if until <= window && until > -window {
            Relative::StartingNow
        } else if until <= 0 {
            Relative::InProgress
        } else if until >= 2 * 86_400 {
            Relative::InDays(until / 86_400)
        } else if until >= 3_600 {
            Relative::InHours(until / 3_600)
        } else {
            Relative::InMinutes((until + 59) / 60)
        }
    }

    /// The join link opens 15 minutes before the start and closes at the end.
    pub fn may_join(self) -> bool {
        matches!(self, Relative::StartingNow | Relative::InProgress)
    }

    pub fn text(self, language: Language) -> String {
        let count = |n: i64, one: &str, many: &str, pattern: &str| {
            pattern
                .replace("{n}", &n.to_string())
                .replace("{unit}", if n == 1 { one } else { many })
        };
        use Language::*;
        match (self, language) {
            (Relative::InDays(n), En) => count(n, "day", "days", "in {n} {unit}"),
            (Relative::InDays(n), Es) => count(n, "día", "días", "en {n} {unit}"),
            (Relative::InDays(n), De) => count(n, "Tag", "Tagen", "in {n} {unit}"),
            (Relative::InDays(n), Nl) => count(n, "dag", "dagen", "over {n} {unit}"),
            (Relative::InHours(n), En) => count(n, "hour", "hours", "in {n} {unit}"),
            (Relative::InHours(n), Es) => count(n, "hora", "horas", "en {n} {unit}"),
            (Relative::InHours(n), De) => count(n, "Stunde", "Stunden", "in {n} {unit}"),
            (Relative::InHours(n), Nl) => count(n, "uur", "uur", "over {n} {unit}"),
            (Relative::InMinutes(n), En) => count(n, "minute", "minutes", "in {n} {unit}"),
            (Relative::InMinutes(n), Es) => count(n, "minuto", "minutos", "en {n} {unit}"),
            (Relative::InMinutes(n), De) => count(n, "Minute", "Minuten", "in {n} {unit}"),
            (Relative::InMinutes(n), Nl) => count(n, "minuut", "minuten", "over {n} {unit}"),
            (Relative::StartingNow, En) => "starting now".to_owned(),
            (Relative::StartingNow, Es) => "empieza ahora".to_owned(),
            (Relative::StartingNow, De) => "beginnt jetzt".to_owned(),
            (Relative::StartingNow, Nl) => "begint nu".to_owned(),
            (Relative::InProgress, En) => "in progress".to_owned(),
            (Relative::InProgress, Es) => "en curso".to_owned(),
            (Relative::InProgress, De) => "läuft gerade".to_owned(),
            (Relative::InProgress, Nl) => "bezig".to_owned(),
            (Relative::Ended, En) => "ended".to_owned(),
            (Relative::Ended, Es) => "terminada".to_owned(),
            (Relative::Ended, De) => "beendet".to_owned(),
            (Relative::Ended, Nl) => "afgelopen".to_owned(),
        }
    }
}

/// For the sessions of one series in time order, the viewer's new start clock
/// on each session where it differs from the previous one's: a daylight-saving
/// change in the host's zone or the viewer's moved it.
pub fn clock_shifts(starts: &[i64], viewer_zone: &TimeZone) -> Vec<Option<String>> {
    let clocks: Vec<String> = starts
        .iter()
        .map(|instant| local(*instant, viewer_zone).strftime("%H:%M").to_string())
        .collect();
    clocks
        .iter()
        .enumerate()
        .map(|(index, clock)| (index > 0 && clocks[index - 1] != *clock).then(|| clock.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_in_the_readers_zone_and_language() {
        // 2026-03-29 00:30 UTC, half an hour before Berlin moves its clocks: still Saturday evening in Lima.
        let instant = 1_774_744_200;
        let lima = TimeZone::parse("America/Lima").unwrap();
        let berlin = TimeZone::parse("Europe/Berlin").unwrap();
        assert_eq!(
            moment(instant, &lima, Language::Es),
            "sáb 28 mar 2026 · 19:30"
        );
        assert_eq!(
            moment(instant, &berlin, Language::De),
            "So 29. März 2026 · 01:30"
        );
        assert_eq!(
            moment(instant, &TimeZone::utc(), Language::En),
            "Sun 29 Mar 2026 · 00:30"
        );
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    fn utc(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_second()
    }

    /// (zone, expected local text for 13:00–15:00 UTC on Thu 14 Jan 2027, day marker)
    const WINTER: [(&str, &str, Option<&str>); 32] = [
        (
            "Asia/Kathmandu",
            "Thu 14 Jan, 18:45–20:45 Kathmandu time",
            None,
        ),
        ("Asia/Colombo", "Thu 14 Jan, 18:30–20:30 Colombo time", None),
        ("America/Lima", "Thu 14 Jan, 08:00–10:00 Lima time", None),
        ("Asia/Yerevan", "Thu 14 Jan, 17:00–19:00 Yerevan time", None),
        (
            "Asia/Damascus",
            "Thu 14 Jan, 16:00–18:00 Damascus time",
            None,
        ),
        ("Africa/Accra", "Thu 14 Jan, 13:00–15:00 Accra time", None),
        (
            "Africa/Nairobi",
            "Thu 14 Jan, 16:00–18:00 Nairobi time",
            None,
        ),
        // Morocco moved to +00 for good on 20 September 2026 (tzdb 2026); 2025b says 14:00.
        (
            "Africa/Casablanca",
            "Thu 14 Jan, 13:00–15:00 Casablanca time",
            None,
        ),
        (
            "Europe/Amsterdam",
            "Thu 14 Jan, 14:00–16:00 Amsterdam time",
            None,
        ),
        ("Europe/London", "Thu 14 Jan, 13:00–15:00 London time", None),
        ("Europe/Berlin", "Thu 14 Jan, 14:00–16:00 Berlin time", None),
        (
            "America/Santiago",
            "Thu 14 Jan, 10:00–12:00 Santiago time",
            None,
        ),
        (
            "Australia/Lord_Howe",
            "Fri 15 Jan, 00:00–02:00 Lord Howe Island time",
            Some("+1 day"),
        ),
        (
            "Pacific/Chatham",
            "Fri 15 Jan, 02:45–04:45 Chatham Islands time",
            Some("+1 day"),
        ),
        (
            "Pacific/Kiritimati",
            "Fri 15 Jan, 03:00–05:00 Kiritimati time",
            Some("+1 day"),
        ),
        (
            "Pacific/Pago_Pago",
            "Thu 14 Jan, 02:00–04:00 Pago Pago time",
            None,
        ),
        ("Asia/Kolkata", "Thu 14 Jan, 18:30–20:30 Kolkata time", None),
        ("Asia/Tehran", "Thu 14 Jan, 16:30–18:30 Tehran time", None),
        ("Asia/Kabul", "Thu 14 Jan, 17:30–19:30 Kabul time", None),
        ("Asia/Yangon", "Thu 14 Jan, 19:30–21:30 Yangon time", None),
        (
            "Australia/Adelaide",
            "Thu 14 Jan, 23:30–01:30 Adelaide time",
            None,
        ),
        (
            "Australia/Eucla",
            "Thu 14 Jan, 21:45–23:45 Eucla time",
            None,
        ),
        (
            "America/St_Johns",
            "Thu 14 Jan, 09:30–11:30 St John’s time",
            None,
        ),
        (
            "America/Sao_Paulo",
            "Thu 14 Jan, 10:00–12:00 São Paulo time",
            None,
        ),
        (
            "America/New_York",
            "Thu 14 Jan, 08:00–10:00 New York time",
            None,
        ),
        (
            "America/Los_Angeles",
            "Thu 14 Jan, 05:00–07:00 Los Angeles time",
            None,
        ),
        (
            "Pacific/Honolulu",
            "Thu 14 Jan, 03:00–05:00 Honolulu time",
            None,
        ),
        ("Asia/Tokyo", "Thu 14 Jan, 22:00–00:00 Tokyo time", None),
        (
            "Pacific/Auckland",
            "Fri 15 Jan, 02:00–04:00 Auckland time",
            Some("+1 day"),
        ),
        ("Africa/Cairo", "Thu 14 Jan, 15:00–17:00 Cairo time", None),
        (
            "Europe/Istanbul",
            "Thu 14 Jan, 16:00–18:00 Istanbul time",
            None,
        ),
        ("Etc/GMT", "Thu 14 Jan, 13:00–15:00 GMT", None),
    ];

    #[test]
    fn a_gmt_session_in_32_zones_in_january() {
        let start = utc("2027-01-14T13:00:00Z");
        for (name, expected, marker) in WINTER {
            let time = session_time(start, 120, &zone("Etc/GMT"), &zone(name), Language::En);
            assert_eq!(time.local, expected, "{name}");
            // The marker compares start dates: the viewer's with the host's (GMT).
            assert_eq!(time.day_marker.as_deref(), marker, "{name}");
        }
    }

    /// (zone, local start clock of 13:00 UTC on 1 July 2027)
    const SUMMER: [(&str, &str); 15] = [
        ("Africa/Casablanca", "13:00"),
        ("Asia/Kathmandu", "18:45"),
        ("Asia/Colombo", "18:30"),
        ("America/Lima", "08:00"),
        ("Asia/Yerevan", "17:00"),
        ("Asia/Damascus", "16:00"),
        ("Africa/Accra", "13:00"),
        ("Africa/Nairobi", "16:00"),
        ("Europe/Amsterdam", "15:00"),
        ("Europe/London", "14:00"),
        ("America/Santiago", "09:00"),
        ("Australia/Lord_Howe", "23:30"),
        ("Pacific/Chatham", "01:45"),
        ("America/New_York", "09:00"),
        ("Australia/Adelaide", "22:30"),
    ];

    #[test]
    fn the_same_session_in_july_follows_each_zones_summer_rules() {
        let start = utc("2027-07-01T13:00:00Z");
        for (name, clock) in SUMMER {
            let time = session_time(start, 120, &zone("Etc/GMT"), &zone(name), Language::En);
            assert_eq!(time.local_clock, clock, "{name}");
        }
    }

    #[test]
    fn host_time_is_labelled_and_omitted_for_the_host_zone_itself() {
        let start = utc("2027-01-14T13:00:00Z");
        let yerevan = session_time(
            start,
            120,
            &zone("Etc/GMT"),
            &zone("Asia/Yerevan"),
            Language::En,
        );
        assert_eq!(yerevan.host, "13:00 GMT");
        let at_host = session_time(start, 120, &zone("Etc/GMT"), &zone("Etc/GMT"), Language::En);
        assert_eq!(at_host.host, "");
        let summer = utc("2027-06-10T13:00:00Z");
        let london = session_time(
            summer,
            120,
            &zone("Europe/London"),
            &zone("America/Lima"),
            Language::En,
        );
        assert_eq!(london.local, "Thu 10 Jun, 08:00–10:00 Lima time");
        assert_eq!(london.host, "14:00 London time (BST)");
        // Accra and GMT read the same clock but are different zones: both stay labelled.
        let accra = session_time(
            start,
            120,
            &zone("Etc/GMT"),
            &zone("Africa/Accra"),
            Language::En,
        );
        assert_eq!(accra.host, "13:00 GMT");
    }

    #[test]
    fn day_markers_both_ways() {
        // 23:00 GMT is the next morning in Chatham and still the same evening in Lima.
        let late = utc("2027-01-14T23:00:00Z");
        let chatham = session_time(
            late,
            60,
            &zone("Etc/GMT"),
            &zone("Pacific/Chatham"),
            Language::Es,
        );
        assert_eq!(chatham.day_marker.as_deref(), Some("+1 día"));
        // 02:00 GMT is the previous evening in Lima.
        let early = utc("2027-01-15T02:00:00Z");
        let lima = session_time(
            early,
            60,
            &zone("Etc/GMT"),
            &zone("America/Lima"),
            Language::De,
        );
        assert_eq!(lima.day_marker.as_deref(), Some("−1 Tag"));
        assert_eq!(lima.local, "Do 14. Jan., 21:00–22:00 Zeit in Lima");
    }

    #[test]
    fn dates_read_in_each_language() {
        let date = "2027-03-12".parse::<Date>().unwrap();
        assert_eq!(short_date(date, Language::En), "Fri 12 Mar");
        assert_eq!(short_date(date, Language::Es), "vie 12 mar");
        assert_eq!(short_date(date, Language::De), "Fr 12. März");
        assert_eq!(short_date(date, Language::Nl), "vr 12 mrt");
        assert_eq!(day_and_month(date, Language::Es), "12 de marzo");
        assert_eq!(month_heading(2027, 3, Language::Nl), "maart 2027");
        assert_eq!(month_heading(2027, 3, Language::Es), "marzo de 2027");
        let es = session_time(
            utc("2027-03-12T14:00:00Z"),
            90,
            &zone("Europe/London"),
            &zone("America/Lima"),
            Language::Es,
        );
        assert_eq!(es.local, "vie 12 mar, 09:00–10:30 hora de Lima");
        assert_eq!(es.host, "14:00 hora de Londres (GMT)");
    }

    #[test]
    fn relative_times() {
        let start = utc("2027-01-14T13:00:00Z");
        let cases = [
            (start - 3 * 86_400 - 5, Relative::InDays(3), "in 3 days"),
            (start - 2 * 86_400, Relative::InDays(2), "in 2 days"),
            (start - 86_400, Relative::InHours(24), "in 24 hours"),
            (start - 3_600, Relative::InHours(1), "in 1 hour"),
            (start - 16 * 60, Relative::InMinutes(16), "in 16 minutes"),
            (start - 15 * 60, Relative::StartingNow, "starting now"),
            (start + 10 * 60, Relative::StartingNow, "starting now"),
            (start + 15 * 60, Relative::InProgress, "in progress"),
            (start + 120 * 60, Relative::Ended, "ended"),
        ];
        for (now, relative, text) in cases {
            assert_eq!(Relative::of(start, 120, now), relative, "{text}");
            assert_eq!(relative.text(Language::En), text);
        }
        assert_eq!(Relative::InDays(1).text(Language::Nl), "over 1 dag");
        assert_eq!(Relative::InHours(5).text(Language::De), "in 5 Stunden");
        assert!(Relative::StartingNow.may_join());
        assert!(!Relative::InMinutes(16).may_join());
        assert!(!Relative::Ended.may_join());
    }

    #[test]
    fn shift_notices_follow_either_zones_change() {
        let biweekly = |first: &str, count: i64| -> Vec<i64> {
            (0..count).map(|i| utc(first) + i * 14 * 86_400).collect()
        };
        // A GMT series seen from Amsterdam: 14:00, then 15:00 from 1 April 2027 (CEST).
        let gmt = biweekly("2027-03-04T13:00:00Z", 3);
        assert_eq!(
            clock_shifts(&gmt, &zone("Europe/Amsterdam")),
            [None, None, Some("15:00".to_owned())]
        );
        // Seen from Lima (no DST) nothing moves.
        assert_eq!(
            clock_shifts(&gmt, &zone("America/Lima")),
            [None, None, None]
        );
        // A London series (14:00 London) seen from Lima: 09:00, then 08:00 after BST starts.
        let london = [
            utc("2027-03-18T14:00:00Z"),
            utc("2027-04-01T13:00:00Z"),
            utc("2027-04-15T13:00:00Z"),
        ];
        assert_eq!(
            clock_shifts(&london, &zone("America/Lima")),
            [None, Some("08:00".to_owned()), None]
        );
        // The same London series from Amsterdam: both zones change on the same day.
        assert_eq!(
            clock_shifts(&london, &zone("Europe/Amsterdam")),
            [None, None, None]
        );
    }

    #[test]
    fn zone_cities_read_in_the_readers_language() {
        let at = utc("2027-01-14T12:00:00Z");
        let label = |name: &str, language| zone_label(&zone(name), at, language, false);
        assert_eq!(label("Europe/London", Language::Es), "hora de Londres");
        assert_eq!(label("Europe/London", Language::Nl), "tijd in Londen");
        assert_eq!(label("Europe/London", Language::De), "Zeit in London");
        assert_eq!(label("Asia/Yerevan", Language::Es), "hora de Ereván");
        assert_eq!(label("Asia/Yerevan", Language::De), "Zeit in Eriwan");
        assert_eq!(label("Asia/Yerevan", Language::Nl), "tijd in Jerevan");
        assert_eq!(label("Africa/Accra", Language::Es), "hora de Acra");
        // An old name reads as the zone it links to.
        assert_eq!(label("Asia/Calcutta", Language::En), "Kolkata time");
        assert_eq!(
            label("America/Argentina/Buenos_Aires", Language::En),
            "Buenos Aires time"
        );
    }

    #[test]
    fn every_month_and_weekday_has_its_own_name_in_every_language() {
        use std::collections::HashSet;
        for language in Language::ALL {
            let months: HashSet<String> = (1..=12)
                .map(|month| month_heading(2027, month, language))
                .collect();
            assert_eq!(months.len(), 12, "{language:?}: {months:?}");
            assert!(
                months.iter().all(|heading| heading.ends_with(" 2027")
                    && heading
                        .chars()
                        .all(|c| c.is_alphabetic() || c.is_ascii_digit() || c == ' ')),
                "{language:?}: {months:?}"
            );
            let days: HashSet<String> = (0..7)
                .map(|offset| {
                    weekday_short(Weekday::from_monday_zero_offset(offset).unwrap(), language)
                })
                .collect();
            assert_eq!(days.len(), 7, "{language:?}: {days:?}");
        }
        let mondays: Vec<String> = Language::ALL
            .map(|language| weekday_short(Weekday::Monday, language))
            .into();
        assert_eq!(mondays, ["Mon", "lun", "Mo", "ma"]);
        assert_eq!(month_heading(2027, 9, Language::De), "September 2027");
        assert_eq!(
            day_and_month(Date::constant(2027, 5, 1), Language::De),
            "1. Mai"
        );
        assert_eq!(
            short_date(Date::constant(2027, 9, 16), Language::Es),
            "jue 16 sept"
        );
    }

    #[test]
    fn zone_labels() {
        let at = utc("2027-07-01T12:00:00Z");
        assert_eq!(zone_label(&zone("Etc/GMT"), at, Language::Nl, true), "GMT");
        assert_eq!(zone_label(&zone("UTC"), at, Language::En, true), "UTC");
        assert_eq!(
            zone_label(&zone("Europe/London"), at, Language::En, true),
            "London time (BST)"
        );
        assert_eq!(
            zone_label(&zone("Asia/Kathmandu"), at, Language::En, true),
            "Kathmandu time"
        );
        assert_eq!(
            zone_label(&zone("America/Lima"), at, Language::Nl, false),
            "tijd in Lima"
        );
    }
}
