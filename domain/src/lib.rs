//! Kring's domain layer: values that cannot exist invalid, and the pure rules
//! (language choice, login throttling, role permissions, session times) that the rest of the
//! product leans on. No web framework or database lives here.

mod account;
pub mod behaviour;
#[cfg(feature = "tzdb")]
mod cldr;
mod cohort;
mod content;
mod country;
pub mod diff;
mod directory;
mod error;
pub mod forum;
#[cfg(feature = "tzdb")]
pub mod ical;
mod ids;
pub mod invitation;
mod language;
pub mod live;
#[cfg(feature = "markdown")]
pub mod markdown;
pub mod program_folder;
mod role;
pub mod search;
#[cfg(feature = "tzdb")]
pub mod series;
mod session;
pub mod text_edit;
mod throttle;
#[cfg(feature = "tzdb")]
pub mod time_text;
mod time_zone;

#[cfg(feature = "passwords")]
pub use account::NewPassword;
pub use account::{
    handle_candidates, DisplayName, Email, OrganisationName, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS,
};
pub use cohort::{CohortPeriod, GroupName};
pub use content::{
    paragraphs, shown_language, OutlineSummary, OutlineTitle, TranslationStatus, UnitBody,
    UnitTitle, MAX_UNITS_PER_MODULE,
};
pub use country::{Country, COUNTRIES};
pub use directory::{DirectoryEntry, Handle};
pub use error::DomainError;
pub use ids::{
    CategoryId, CircleId, CohortId, LanguageGroupId, ModuleId, OrganisationId, PostId, ProgramId,
    RegistrationId, SeriesId, SessionId, ThreadId, UnitId, UserId,
};
pub use language::{counted, filled, Language};
pub use role::Role;
pub use session::{
    session_capacity, session_description, AttendanceMark, RecordingLink, SessionKind,
    SessionMinutes, SessionNotes, SessionStatus, SessionTitle, VideoLink,
};
pub use throttle::{AttemptLimit, ThrottleVerdict};
pub use time_zone::TimeZone;
