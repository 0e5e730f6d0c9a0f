use serde::{Deserialize, Serialize};

/// Why a value was refused. Each variant names a translation key, so the
/// interface can explain the problem in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DomainError {
    #[error("not a valid e-mail address")]
    EmailInvalid,
    #[error("display name is empty")]
    DisplayNameEmpty,
    #[error("display name is too long")]
    DisplayNameTooLong,
    #[error("password is too short")]
    PasswordTooShort,
    #[error("password is too long")]
    PasswordTooLong,
    #[error("password is too common")]
    PasswordTooCommon,
    #[error("unknown time zone")]
    TimeZoneUnknown,
    #[error("unknown language")]
    LanguageUnknown,
    #[error("unknown country")]
    CountryUnknown,
    #[error("organisation name is empty")]
    OrganisationNameEmpty,
    #[error("organisation name is too long")]
    OrganisationNameTooLong,
    #[error("unknown role")]
    RoleUnknown,
}

impl DomainError {
    /// The translation key under `errors.` that explains this problem.
    pub fn key(self) -> &'static str {
        match self {
            DomainError::EmailInvalid => "email_invalid",
            DomainError::DisplayNameEmpty => "display_name_empty",
            DomainError::DisplayNameTooLong => "display_name_too_long",
            DomainError::PasswordTooShort => "password_too_short",
            DomainError::PasswordTooLong => "password_too_long",
            DomainError::PasswordTooCommon => "password_too_common",
            DomainError::TimeZoneUnknown => "time_zone_unknown",
            DomainError::LanguageUnknown => "language_unknown",
            DomainError::CountryUnknown => "country_unknown",
            DomainError::OrganisationNameEmpty => "organisation_name_empty",
            DomainError::OrganisationNameTooLong => "organisation_name_too_long",
            DomainError::RoleUnknown => "role_unknown",
        }
    }

    pub const ALL: [DomainError; 12] = [
        DomainError::EmailInvalid,
        DomainError::DisplayNameEmpty,
        DomainError::DisplayNameTooLong,
        DomainError::PasswordTooShort,
        DomainError::PasswordTooLong,
        DomainError::PasswordTooCommon,
        DomainError::TimeZoneUnknown,
        DomainError::LanguageUnknown,
        DomainError::CountryUnknown,
        DomainError::OrganisationNameEmpty,
        DomainError::OrganisationNameTooLong,
        DomainError::RoleUnknown,
    ];
}
