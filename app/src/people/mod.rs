//! People of a cohort: who facilitates it, its members and their language groups, and
//! the invitations that bring people in (a link to share, or mailed one by one), with
//! the page that someone following an invitation lands on. Only those who run the
//! cohort manage its people.
//!
//! Facilitators follow the cohort on its dashboard (`dashboard`, `dashboard_page`):
//! attendance, progress, last visit and last post per member, also as CSV.
//!
//! Members find each other in their cohort's directory (`directory`, `directory_page`),
//! which shows of each person only what they chose.
//!
//! Here: the types the browser sees; `api` holds the server functions, `import` those of
//! inviting from a CSV file, `pages` the pages.

mod api;
mod dashboard;
mod dashboard_page;
mod directory;
mod directory_page;
mod import;
mod pages;

pub use api::*;
pub use dashboard::*;
pub use dashboard_page::*;
pub use directory::*;
pub use directory_page::*;
pub use import::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

/// A member of the cohort, as its facilitators see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub organisation: Option<String>,
    pub group: Option<String>,
}

/// Where an invitation stands, newest event first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Pending,
    Opened,
    Accepted,
    Bounced,
    Expired,
    Revoked,
    UsedUp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: i64,
    /// The address it was mailed to; `None` for a link.
    pub email: Option<String>,
    pub name: Option<String>,
    pub group: Option<String>,
    pub facilitator: bool,
    pub state: InvitationState,
    /// For a link: how many joined through it, and how many more may.
    pub accepted: i64,
    pub uses_left: Option<i64>,
    /// When it stops working, in the reader's zone and language.
    pub expires: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleView {
    pub cohort: i64,
    pub cohort_name: String,
    /// (id, name)
    pub groups: Vec<(i64, String)>,
    /// (id, name)
    pub facilitators: Vec<(i64, String)>,
    pub members: Vec<MemberRow>,
    pub invitations: Vec<InvitationRow>,
    /// A link created in the last minutes by this facilitator, shown until they copy
    /// it: only its hash is stored.
    pub new_link: Option<String>,
    /// Whether mail reaches people (SMTP, or the demo's log): else only links invite.
    pub mail: bool,
    /// A pasted list that was refused, as typed, and why.
    pub draft: Option<String>,
    pub draft_error: Option<crate::error::AppError>,
}

/// How the dashboard's members are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DashboardOrder {
    #[default]
    Name,
    /// Fewest sessions attended (of those held) first.
    Attendance,
    /// Least done first.
    Progress,
    /// Longest unseen first.
    Seen,
}

impl DashboardOrder {
    pub const ALL: [DashboardOrder; 4] = [
        DashboardOrder::Name,
        DashboardOrder::Attendance,
        DashboardOrder::Progress,
        DashboardOrder::Seen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DashboardOrder::Name => "name",
            DashboardOrder::Attendance => "attendance",
            DashboardOrder::Progress => "progress",
            DashboardOrder::Seen => "seen",
        }
    }

    /// From a link's `sort=`; anything else orders by name.
    pub fn from_code(code: &str) -> DashboardOrder {
        Self::ALL
            .into_iter()
            .find(|order| order.code() == code)
            .unwrap_or_default()
    }
}

/// One member's line on the cohort dashboard, as text for the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardRow {
    pub name: String,
    pub group: Option<String>,
    /// "9 of 11".
    pub attendance: String,
    /// Done of published units, per module: "2 of 5".
    pub progress: Vec<String>,
    pub last_seen: String,
    pub last_post: String,
    /// Not signed in for two weeks (or never).
    pub inactive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub cohort: i64,
    pub cohort_name: String,
    pub modules: Vec<String>,
    pub rows: Vec<DashboardRow>,
    pub order: DashboardOrder,
    pub inactive: usize,
}

/// What following an invitation shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinView {
    pub cohort_name: String,
    pub group: Option<String>,
    pub inviter: Option<String>,
    /// The address a mailed invitation is for: the new account's, unchangeable.
    pub email: Option<String>,
    pub name: Option<String>,
    pub language: kring_domain::Language,
    pub facilitator: bool,
    /// Why it cannot be accepted, as a translated error; `None` when it can.
    pub closed: Option<crate::error::AppError>,
}

/// The form that creates an invitation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkForm {
    pub cohort: i64,
    pub group: String,
    pub days: String,
    pub uses: String,
}

/// The form that mails invitations to a pasted list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailForm {
    pub cohort: i64,
    pub group: String,
    pub days: String,
    pub people: String,
    /// `facilitator` to invite co-facilitators; anything else invites participants.
    pub role: String,
}

/// A row of an uploaded file that can be invited, as its preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub line: usize,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub country: String,
    pub group: String,
}

/// An uploaded file before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub cohort: i64,
    pub import: i64,
    pub cohort_name: String,
    pub rows: Vec<ImportRow>,
    /// (line, what it holds, why it cannot be invited)
    pub refused: Vec<(usize, String, String)>,
}

/// The cookie that carries a new link's secret back to its creator's page for a
/// few minutes (only its hash is stored).
pub const NEW_LINK_COOKIE: &str = "kring_new_invitation";

/// A cohort's member directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryView {
    pub cohort_name: String,
    pub people: Vec<DirectoryCard>,
}

/// A person in the directory: what they chose to show (`None` otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryCard {
    pub name: String,
    pub handle: String,
    /// Their role's name in the reader's language.
    pub role: String,
    pub organisation: Option<String>,
    pub country: Option<String>,
    pub languages: Option<String>,
    /// "16:05 · Yerevan time".
    pub local_time: Option<String>,
    /// The bio and what they would like to learn or share.
    pub about: Option<(String, String)>,
}
