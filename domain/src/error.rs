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
    #[error("not a valid time of day (HH:MM)")]
    ClockTimeInvalid,
    #[error("that time does not exist on that day: the clocks jump forward")]
    TimeInGap,
    #[error("that time happens twice on that day: the clocks go back")]
    TimeAmbiguous,
    #[error("a series has 1 to 60 sessions")]
    SeriesCountInvalid,
    #[error("sessions of a series are 1 to 8 weeks apart")]
    SeriesIntervalInvalid,
    #[error("unknown kind of session")]
    SessionKindUnknown,
    #[error("unknown session status")]
    SessionStatusUnknown,
    #[error("session title is empty")]
    SessionTitleEmpty,
    #[error("session title is too long")]
    SessionTitleTooLong,
    #[error("session description is too long")]
    SessionDescriptionTooLong,
    #[error("a session lasts 15 to 480 minutes")]
    SessionMinutesInvalid,
    #[error("capacity is not a number from 1 to 10000")]
    CapacityInvalid,
    #[error("a consultation circle has at most 10 places")]
    CircleTooLarge,
    #[error("the video link must start with https://")]
    VideoLinkInvalid,
    #[error("unit title is empty")]
    UnitTitleEmpty,
    #[error("unit title is too long")]
    UnitTitleTooLong,
    #[error("unit text is too long")]
    UnitBodyTooLong,
    #[error("a module holds at most 100 units")]
    ModuleFull,
    #[error("the new order does not list exactly the units there are")]
    OrderMismatch,
    #[error("type a word to search for")]
    SearchEmpty,
    #[error("the search is too long")]
    SearchTooLong,
    #[error("thread title is empty")]
    ThreadTitleEmpty,
    #[error("thread title is too long")]
    ThreadTitleTooLong,
    #[error("the post is empty")]
    PostEmpty,
    #[error("the post is too long")]
    PostTooLong,
    #[error("unknown reply tag")]
    ReplyTagUnknown,
    #[error("a case must be confirmed to identify no child or family")]
    CaseNotConfirmedAnonymous,
    #[error("unknown circle status")]
    CircleStatusUnknown,
    #[error("a hidden post needs a reason")]
    HideReasonEmpty,
    #[error("the reason for hiding is too long")]
    HideReasonTooLong,
    #[error("a post mentions too many people")]
    TooManyMentions,
    #[error("an invitation is valid for 1 to 90 days")]
    InvitationDaysInvalid,
    #[error("a link brings in 1 to 1000 people, or any number when left empty")]
    InvitationUsesInvalid,
    #[error("this address is listed twice")]
    InviteeDuplicate,
    #[error("no language group of this cohort has that name")]
    GroupUnknown,
    #[error("a recording link must start with https://")]
    RecordingLinkInvalid,
    #[error("session notes are too long")]
    SessionNotesTooLong,
    #[error("attendance is present, absent or excused")]
    AttendanceUnknown,
    #[error("a title is empty")]
    OutlineTitleEmpty,
    #[error("a title is too long")]
    OutlineTitleTooLong,
    #[error("a summary is too long")]
    OutlineSummaryTooLong,
    #[error("a handle is 2 to 30 letters, digits, dots, dashes or underscores")]
    HandleInvalid,
    #[error("that handle is taken")]
    HandleTaken,
    #[error("that text is too long for the directory")]
    AboutTooLong,
    #[error("the only admin cannot be erased")]
    LastAdmin,
    #[error("the address typed is not the account's")]
    ErasureNotConfirmed,
}

impl DomainError {
    pub const ALL: [DomainError; 62] = [
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
        DomainError::ClockTimeInvalid,
        DomainError::TimeInGap,
        DomainError::TimeAmbiguous,
        DomainError::SeriesCountInvalid,
        DomainError::SeriesIntervalInvalid,
        DomainError::SessionKindUnknown,
        DomainError::SessionStatusUnknown,
        DomainError::SessionTitleEmpty,
        DomainError::SessionTitleTooLong,
        DomainError::SessionDescriptionTooLong,
        DomainError::SessionMinutesInvalid,
        DomainError::CapacityInvalid,
        DomainError::CircleTooLarge,
        DomainError::VideoLinkInvalid,
        DomainError::UnitTitleEmpty,
        DomainError::UnitTitleTooLong,
        DomainError::UnitBodyTooLong,
        DomainError::ModuleFull,
        DomainError::OrderMismatch,
        DomainError::SearchEmpty,
        DomainError::SearchTooLong,
        DomainError::ThreadTitleEmpty,
        DomainError::ThreadTitleTooLong,
        DomainError::PostEmpty,
        DomainError::PostTooLong,
        DomainError::ReplyTagUnknown,
        DomainError::CaseNotConfirmedAnonymous,
        DomainError::CircleStatusUnknown,
        DomainError::HideReasonEmpty,
        DomainError::HideReasonTooLong,
        DomainError::TooManyMentions,
        DomainError::InvitationDaysInvalid,
        DomainError::InvitationUsesInvalid,
        DomainError::InviteeDuplicate,
        DomainError::GroupUnknown,
        DomainError::RecordingLinkInvalid,
        DomainError::SessionNotesTooLong,
        DomainError::AttendanceUnknown,
        DomainError::OutlineTitleEmpty,
        DomainError::OutlineTitleTooLong,
        DomainError::OutlineSummaryTooLong,
        DomainError::HandleInvalid,
        DomainError::HandleTaken,
        DomainError::AboutTooLong,
        DomainError::LastAdmin,
        DomainError::ErasureNotConfirmed,
    ];
}
