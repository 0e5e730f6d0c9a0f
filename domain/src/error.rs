use serde::{Deserialize, Serialize};

/// Why a value was refused; the interface explains each one in the reader's language.
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
    #[error("name is empty")]
    GroupNameEmpty,
    #[error("name is too long")]
    GroupNameTooLong,
    #[error("not a valid date")]
    DateInvalid,
    #[error("the end date is before the start date")]
    PeriodEndsBeforeStart,
}

impl DomainError {
    pub const ALL: [DomainError; 16] = [
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
        DomainError::GroupNameEmpty,
        DomainError::GroupNameTooLong,
        DomainError::DateInvalid,
        DomainError::PeriodEndsBeforeStart,
    ];
}
