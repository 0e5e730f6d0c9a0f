//! Sessions: the agenda and month grid, a session's page with registration and
//! join link, the time-zone picker and the personal calendar feed; for
//! facilitators, planning series, moving and cancelling sessions, the
//! registrant list and finding a time that is fair to every member.
//!
//! Every time is computed on the server with the bundled tz database and
//! arrives as finished text; the browser never converts a time itself.
//!
//! Here: the types the browser sees. `api` and `planning` hold the server
//! functions (members' and facilitators'), `cards` the server's page-data
//! builders, `pages` and `planning_pages` the pages.

mod api;
mod attendance;
mod attendance_pages;
#[cfg(feature = "ssr")]
mod cards;
mod pages;
mod planning;
mod planning_pages;

pub use api::*;
pub use attendance::*;
pub use attendance_pages::*;
#[cfg(feature = "ssr")]
pub use cards::{audience, full_time_text, notice_text, series_shift};
pub use pages::*;
pub use planning::*;
pub use planning_pages::*;

use kring_domain::{Language, SessionKind, SessionStatus};
use serde::{Deserialize, Serialize};

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
    /// A page of the sessions ahead or past, or a month's.
    pub sessions: Vec<SessionCard>,
    pub pages: crate::components::Pages,
    /// "Lima time": what every local time on the page is in.
    pub zone_label: String,
    pub may_plan: bool,
    pub signed_in: bool,
    pub feed: Option<FeedLinks>,
    /// Reminders and changes of sessions, newest first, each one sentence.
    pub notices: Vec<String>,
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
    pub sessions: Vec<DaySession>,
}

/// A session in a day of the month grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySession {
    pub id: i64,
    /// Its start on the reader's clock, e.g. `17:00`.
    pub clock: String,
    pub title: String,
    pub cancelled: bool,
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
    pub follow_up: FollowUp,
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

/// Around a session, for one viewer: whether they are expected and said they
/// cannot come, the notes and recording (for those who may join), and for
/// those who run the cohort the attendance sheet and the follow-up form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub session: i64,
    pub expected: bool,
    pub said_absent: bool,
    pub may_say_absent: bool,
    /// Sanitised HTML, rendered on the server.
    pub notes_html: Option<String>,
    pub recording_link: Option<String>,
    pub staff: Option<StaffFollowUp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFollowUp {
    pub may_take_attendance: bool,
    pub sheet: Vec<AttendanceRow>,
    /// As stored, for the form.
    pub notes: String,
    pub recording_link: String,
}

/// A member expected at the session, on the attendance sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub user: i64,
    pub name: String,
    pub group: Option<String>,
    pub mark: Option<kring_domain::AttendanceMark>,
    pub said_absent: bool,
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

/// What a visitor's confirmation link is about, to show before they confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingVisitor {
    pub name: String,
    pub session_title: String,
    pub time: String,
}

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

/// The cohorts, groups and units a session can be planned for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanningChoices {
    pub audiences: Vec<(String, String)>,
    pub units: Vec<(i64, String)>,
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
