//! Kring's domain layer: values that cannot exist invalid, and the pure rules
//! (language choice, login throttling, role permissions) that the rest of the
//! product leans on. No web framework or database lives here.

mod account;
mod cohort;
mod country;
mod error;
mod ids;
mod language;
mod role;
mod throttle;
mod time_zone;

pub use account::{
    DisplayName, Email, NewPassword, OrganisationName, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS,
};
pub use cohort::{CohortPeriod, GroupName};
pub use country::{Country, COUNTRIES};
pub use error::DomainError;
pub use ids::{CohortId, LanguageGroupId, ModuleId, OrganisationId, ProgramId, UnitId, UserId};
pub use language::Language;
pub use role::Role;
pub use throttle::{LoginThrottle, ThrottleVerdict};
pub use time_zone::TimeZone;
