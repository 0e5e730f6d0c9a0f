//! The one error type every server function returns: a code the interface
//! can act on, the HTTP status it maps to, and a message already translated
//! into the requester's language. Turning a failure into an `AppError` for
//! one request (its language, its status) is the request's business: see
//! `viewer`, where `?` on storage and domain errors and server_fn's own
//! failures become `AppError`s.

use crate::i18n::*;
use kring_domain::{DomainError, Language};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid(DomainError),
    OrganisationUnknown,
    EmailTaken,
    OrganisationTaken,
    NameTaken,
    WrongCredentials,
    Throttled {
        minutes: i64,
    },
    Unauthenticated,
    Forbidden,
    ForeignOrigin,
    NotFound,
    AlreadyRegistered,
    SessionFull,
    SessionEnded,
    /// Attendance is taken from a quarter of an hour before the start.
    SessionNotStarted,
    AudienceRequired,
    /// Someone published revision `revision` after the editor opened; the text was kept as a draft.
    EditConflict {
        revision: i64,
    },
    /// A planned wall time that a daylight-saving change skips on `date` in `zone`.
    TimeInGap {
        date: String,
        zone: String,
    },
    /// A planned wall time that a daylight-saving change repeats on `date` in `zone`.
    TimeAmbiguous {
        date: String,
        zone: String,
    },
    CircleFull,
    CircleClosed,
    AlreadyCircleMember,
    ThreadLocked,
    /// One person posted too often in the last minute; they may post again in `seconds`.
    PostingTooFast {
        seconds: i64,
    },
    /// A request Kring cannot read: fields missing or of the wrong kind, a bad encoding.
    BadRequest,
    /// A request body larger than any form of Kring's.
    TooLarge,
    /// A request body that took too long to arrive.
    TooSlow,
    /// Too many requests of one kind from one network (sign-ups, visitor
    /// registrations); they may try again in `minutes`.
    TooManyRequests {
        minutes: i64,
    },
    /// Live updates already open in too many tabs or devices of one person.
    TooManyConnections,
    /// Kring is at the limit of what it can do at once; try again shortly.
    Busy,
    /// A confirmation link that was used already or is too old.
    LinkExpired,
    /// A password-reset link that was used already, replaced by a newer one, or is too old.
    ResetLinkExpired,
    /// Accounts are by invitation here (`KRING_OPEN_REGISTRATION` is off).
    RegistrationClosed,
    /// This Kring sends no e-mail, so no reset link can reach anyone.
    ResetUnavailable,
    /// An invitation that can no longer be accepted, and why.
    InvitationClosed {
        verdict: kring_domain::invitation::InvitationVerdict,
    },
    /// Line `line` of a pasted list of people cannot be invited because of
    /// `reason`, and `more` other lines cannot either: nothing was sent.
    InviteeLine {
        line: i64,
        reason: DomainError,
        more: i64,
    },
    /// More people in one request than Kring invites at once.
    TooManyInvitees,
    /// A pasted list with nobody in it.
    NoInvitees,
    /// The facilitator sent as many invitations today as one may.
    InvitationsPerDay,
    /// This Kring sends no e-mail: invitations go out as links only.
    InvitationMailUnavailable,
    /// This Kring sends no e-mail, so no address can be verified or changed.
    VerificationUnavailable,
    /// A file of people to invite larger than Kring reads.
    ImportTooLarge,
    /// A file of people to invite that is no CSV text (UTF-8).
    ImportUnreadable,
    /// An uploaded program folder (a ZIP) larger, or unpacking larger, than Kring reads.
    FolderTooLarge,
    /// An upload that is no ZIP of text files.
    FolderUnreadable,
    /// An uploaded program folder the rules refuse: in `file` (empty when the
    /// code arrived in a link), at `line`, because of `problem`.
    FolderRefused {
        file: String,
        line: i64,
        problem: kring_domain::program_folder::FolderProblem,
    },
    /// Visitors confirm their registration by e-mail, which this Kring does not send.
    VisitorSignupClosed,
    Internal,
}

impl ErrorCode {
    pub fn status(&self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::TooLarge | ErrorCode::ImportTooLarge | ErrorCode::FolderTooLarge => 413,
            ErrorCode::TooSlow => 408,
            ErrorCode::LinkExpired | ErrorCode::ResetLinkExpired => 410,
            ErrorCode::InvitationClosed { verdict } => match verdict {
                kring_domain::invitation::InvitationVerdict::Foreign => 403,
                _ => 410,
            },
            ErrorCode::Invalid(_)
            | ErrorCode::OrganisationUnknown
            | ErrorCode::AudienceRequired
            | ErrorCode::TimeInGap { .. }
            | ErrorCode::TimeAmbiguous { .. }
            | ErrorCode::InviteeLine { .. }
            | ErrorCode::FolderRefused { .. }
            | ErrorCode::TooManyInvitees
            | ErrorCode::NoInvitees
            | ErrorCode::ImportUnreadable
            | ErrorCode::FolderUnreadable => 422,
            ErrorCode::EmailTaken
            | ErrorCode::OrganisationTaken
            | ErrorCode::NameTaken
            | ErrorCode::AlreadyRegistered
            | ErrorCode::SessionFull
            | ErrorCode::SessionEnded
            | ErrorCode::SessionNotStarted
            | ErrorCode::EditConflict { .. }
            | ErrorCode::CircleFull
            | ErrorCode::CircleClosed
            | ErrorCode::AlreadyCircleMember
            | ErrorCode::ThreadLocked => 409,
            ErrorCode::WrongCredentials | ErrorCode::Unauthenticated => 401,
            ErrorCode::Throttled { .. }
            | ErrorCode::PostingTooFast { .. }
            | ErrorCode::TooManyRequests { .. }
            | ErrorCode::TooManyConnections
            | ErrorCode::InvitationsPerDay => 429,
            ErrorCode::Forbidden
            | ErrorCode::ForeignOrigin
            | ErrorCode::VisitorSignupClosed
            | ErrorCode::RegistrationClosed
            | ErrorCode::ResetUnavailable
            | ErrorCode::InvitationMailUnavailable
            | ErrorCode::VerificationUnavailable => 403,
            ErrorCode::Busy => 503,
            ErrorCode::NotFound => 404,
            ErrorCode::Internal => 500,
        }
    }

    /// The explanation in `language`.
    pub fn message(&self, language: Language) -> String {
        let l = locale(language);
        match self {
            ErrorCode::Invalid(error) => domain_message(l, *error).to_owned(),
            ErrorCode::OrganisationUnknown => td_string!(l, errors_organisation_unknown).to_owned(),
            ErrorCode::EmailTaken => td_string!(l, errors_email_taken).to_owned(),
            ErrorCode::OrganisationTaken => td_string!(l, errors_organisation_taken).to_owned(),
            ErrorCode::NameTaken => td_string!(l, errors_name_taken).to_owned(),
            ErrorCode::WrongCredentials => td_string!(l, errors_wrong_credentials).to_owned(),
            ErrorCode::Throttled { minutes } => {
                td_string!(l, errors_throttled).replace("%minutes%", &minutes.to_string())
            }
            ErrorCode::Unauthenticated => td_string!(l, errors_unauthenticated).to_owned(),
            ErrorCode::Forbidden => td_string!(l, errors_forbidden).to_owned(),
            ErrorCode::ForeignOrigin => td_string!(l, errors_foreign_origin).to_owned(),
            ErrorCode::NotFound => td_string!(l, errors_not_found).to_owned(),
            ErrorCode::AlreadyRegistered => td_string!(l, errors_already_registered).to_owned(),
            ErrorCode::SessionFull => td_string!(l, errors_session_full).to_owned(),
            ErrorCode::SessionEnded => td_string!(l, errors_session_ended).to_owned(),
            ErrorCode::SessionNotStarted => td_string!(l, errors_session_not_started).to_owned(),
            ErrorCode::AudienceRequired => td_string!(l, errors_audience_required).to_owned(),
            ErrorCode::EditConflict { revision } => {
                td_string!(l, errors_edit_conflict).replace("%number%", &revision.to_string())
            }
            ErrorCode::TimeInGap { date, zone } => td_string!(l, errors_time_in_gap)
                .replace("%date%", date)
                .replace("%zone%", zone),
            ErrorCode::TimeAmbiguous { date, zone } => td_string!(l, errors_time_ambiguous)
                .replace("%date%", date)
                .replace("%zone%", zone),
            ErrorCode::CircleFull => td_string!(l, errors_circle_full).to_owned(),
            ErrorCode::CircleClosed => td_string!(l, errors_circle_closed).to_owned(),
            ErrorCode::AlreadyCircleMember => {
                td_string!(l, errors_already_circle_member).to_owned()
            }
            ErrorCode::ThreadLocked => td_string!(l, errors_thread_locked).to_owned(),
            ErrorCode::PostingTooFast { seconds } => {
                td_string!(l, errors_posting_too_fast).replace("%seconds%", &seconds.to_string())
            }
            ErrorCode::BadRequest => td_string!(l, errors_bad_request).to_owned(),
            ErrorCode::TooLarge => td_string!(l, errors_too_large).to_owned(),
            ErrorCode::TooSlow => td_string!(l, errors_too_slow).to_owned(),
            ErrorCode::TooManyRequests { minutes } => {
                td_string!(l, errors_too_many_requests).replace("%minutes%", &minutes.to_string())
            }
            ErrorCode::TooManyConnections => td_string!(l, errors_too_many_connections).to_owned(),
            ErrorCode::Busy => td_string!(l, errors_busy).to_owned(),
            ErrorCode::LinkExpired => td_string!(l, errors_link_expired).to_owned(),
            ErrorCode::ResetLinkExpired => td_string!(l, errors_reset_link_expired).to_owned(),
            ErrorCode::RegistrationClosed => td_string!(l, errors_registration_closed).to_owned(),
            ErrorCode::ResetUnavailable => td_string!(l, errors_reset_unavailable).to_owned(),
            ErrorCode::InvitationClosed { verdict } => {
                use kring_domain::invitation::InvitationVerdict::*;
                match verdict {
                    Open | UsedUp => td_string!(l, errors_invitation_used_up),
                    Expired => td_string!(l, errors_invitation_expired),
                    Revoked => td_string!(l, errors_invitation_revoked),
                    Foreign => td_string!(l, errors_invitation_foreign),
                }
                .to_owned()
            }
            ErrorCode::InviteeLine { line, reason, more } => {
                let first = td_string!(l, errors_invitee_line)
                    .replace("%line%", &line.to_string())
                    .replace("%reason%", domain_message(l, *reason));
                if *more > 0 {
                    let rest = td_string!(l, errors_invitee_lines_more)
                        .replace("%more%", &more.to_string());
                    format!("{first} {rest}")
                } else {
                    first
                }
            }
            ErrorCode::TooManyInvitees => td_string!(l, errors_too_many_invitees).replace(
                "%limit%",
                &kring_domain::invitation::MAX_PER_REQUEST.to_string(),
            ),
            ErrorCode::NoInvitees => td_string!(l, errors_no_invitees).to_owned(),
            ErrorCode::InvitationMailUnavailable => {
                td_string!(l, errors_invitation_mail_unavailable).to_owned()
            }
            ErrorCode::VerificationUnavailable => {
                td_string!(l, errors_verification_unavailable).to_owned()
            }
            ErrorCode::ImportTooLarge => td_string!(l, errors_import_too_large).replace(
                "%limit%",
                &(kring_domain::invitation::MAX_IMPORT_BYTES / 1024).to_string(),
            ),
            ErrorCode::ImportUnreadable => td_string!(l, errors_import_unreadable).to_owned(),
            ErrorCode::FolderTooLarge => td_string!(l, errors_folder_too_large).to_owned(),
            ErrorCode::FolderUnreadable => td_string!(l, errors_folder_unreadable).to_owned(),
            ErrorCode::InvitationsPerDay => td_string!(l, errors_invitations_per_day).replace(
                "%limit%",
                &kring_domain::invitation::MAX_PER_DAY.to_string(),
            ),
            ErrorCode::VisitorSignupClosed => {
                td_string!(l, errors_visitor_signup_closed).to_owned()
            }
            ErrorCode::FolderRefused {
                file,
                line,
                problem,
            } => {
                use kring_domain::program_folder::FolderProblem;
                let reason = match problem {
                    FolderProblem::NotAProgram => td_string!(l, errors_folder_not_a_program),
                    FolderProblem::UnknownLine => td_string!(l, errors_folder_unknown_line),
                    FolderProblem::UnknownLanguage => {
                        td_string!(l, errors_folder_unknown_language)
                    }
                    FolderProblem::BadName => td_string!(l, errors_folder_bad_name),
                    FolderProblem::MissingFile => td_string!(l, errors_folder_missing_file),
                    FolderProblem::NoFrontMatter => td_string!(l, errors_folder_no_front_matter),
                    FolderProblem::TooMany => td_string!(l, errors_folder_too_many),
                    FolderProblem::Text(error) => domain_message(l, *error),
                };
                let place = if file.is_empty() {
                    td_string!(l, errors_folder_line).to_owned()
                } else {
                    td_string!(l, errors_folder_file_line).replace("%file%", file)
                };
                format!("{}: {reason}", place.replace("%line%", &line.to_string()))
            }
            ErrorCode::Internal => td_string!(l, errors_internal).to_owned(),
        }
    }

    /// The code with nothing in it a stranger could have written: what a page
    /// may show when the code arrived in a link (a form's `__err`). Text
    /// parameters give way to the plain message; numbers are kept in range.
    pub fn vouched(self) -> ErrorCode {
        match self {
            ErrorCode::TimeInGap { .. } => ErrorCode::Invalid(DomainError::TimeInGap),
            ErrorCode::TimeAmbiguous { .. } => ErrorCode::Invalid(DomainError::TimeAmbiguous),
            ErrorCode::Throttled { minutes } => ErrorCode::Throttled {
                minutes: minutes.clamp(1, 60),
            },
            ErrorCode::TooManyRequests { minutes } => ErrorCode::TooManyRequests {
                minutes: minutes.clamp(1, 24 * 60),
            },
            ErrorCode::PostingTooFast { seconds } => ErrorCode::PostingTooFast {
                seconds: seconds.clamp(1, 60),
            },
            ErrorCode::EditConflict { revision } => ErrorCode::EditConflict {
                revision: revision.max(1),
            },
            ErrorCode::FolderRefused { line, problem, .. } => ErrorCode::FolderRefused {
                file: String::new(),
                line: line.clamp(1, 100_000),
                problem,
            },
            ErrorCode::InviteeLine { line, reason, more } => ErrorCode::InviteeLine {
                line: line.clamp(1, 100_000),
                reason,
                more: more.clamp(0, kring_domain::invitation::MAX_PER_REQUEST as i64),
            },
            other => other,
        }
    }
}

fn domain_message(l: Locale, error: DomainError) -> &'static str {
    match error {
        DomainError::EmailInvalid => td_string!(l, errors_email_invalid),
        DomainError::DisplayNameEmpty => td_string!(l, errors_display_name_empty),
        DomainError::DisplayNameTooLong => td_string!(l, errors_display_name_too_long),
        DomainError::PasswordTooShort => td_string!(l, errors_password_too_short),
        DomainError::PasswordTooLong => td_string!(l, errors_password_too_long),
        DomainError::PasswordTooCommon => td_string!(l, errors_password_too_common),
        DomainError::TimeZoneUnknown => td_string!(l, errors_time_zone_unknown),
        DomainError::LanguageUnknown => td_string!(l, errors_language_unknown),
        DomainError::CountryUnknown => td_string!(l, errors_country_unknown),
        DomainError::OrganisationNameEmpty => td_string!(l, errors_organisation_name_empty),
        DomainError::OrganisationNameTooLong => td_string!(l, errors_organisation_name_too_long),
        DomainError::RoleUnknown => td_string!(l, errors_role_unknown),
        DomainError::GroupNameEmpty => td_string!(l, errors_group_name_empty),
        DomainError::GroupNameTooLong => td_string!(l, errors_group_name_too_long),
        DomainError::DateInvalid => td_string!(l, errors_date_invalid),
        DomainError::PeriodEndsBeforeStart => td_string!(l, errors_period_ends_before_start),
        DomainError::ClockTimeInvalid => td_string!(l, errors_clock_time_invalid),
        DomainError::TimeInGap => td_string!(l, errors_time_in_gap_plain),
        DomainError::TimeAmbiguous => td_string!(l, errors_time_ambiguous_plain),
        DomainError::SeriesCountInvalid => td_string!(l, errors_series_count_invalid),
        DomainError::SeriesIntervalInvalid => td_string!(l, errors_series_interval_invalid),
        DomainError::SessionKindUnknown => td_string!(l, errors_session_kind_unknown),
        DomainError::SessionStatusUnknown => td_string!(l, errors_session_status_unknown),
        DomainError::SessionTitleEmpty => td_string!(l, errors_session_title_empty),
        DomainError::SessionTitleTooLong => td_string!(l, errors_session_title_too_long),
        DomainError::SessionDescriptionTooLong => {
            td_string!(l, errors_session_description_too_long)
        }
        DomainError::SessionMinutesInvalid => td_string!(l, errors_session_minutes_invalid),
        DomainError::CapacityInvalid => td_string!(l, errors_capacity_invalid),
        DomainError::CircleTooLarge => td_string!(l, errors_circle_too_large),
        DomainError::VideoLinkInvalid => td_string!(l, errors_video_link_invalid),
        DomainError::UnitTitleEmpty => td_string!(l, errors_unit_title_empty),
        DomainError::UnitTitleTooLong => td_string!(l, errors_unit_title_too_long),
        DomainError::UnitBodyTooLong => td_string!(l, errors_unit_body_too_long),
        DomainError::ModuleFull => td_string!(l, errors_module_full),
        DomainError::OrderMismatch => td_string!(l, errors_order_mismatch),
        DomainError::SearchEmpty => td_string!(l, errors_search_empty),
        DomainError::SearchTooLong => td_string!(l, errors_search_too_long),
        DomainError::ThreadTitleEmpty => td_string!(l, errors_thread_title_empty),
        DomainError::ThreadTitleTooLong => td_string!(l, errors_thread_title_too_long),
        DomainError::PostEmpty => td_string!(l, errors_post_empty),
        DomainError::PostTooLong => td_string!(l, errors_post_too_long),
        DomainError::ReplyTagUnknown => td_string!(l, errors_reply_tag_unknown),
        DomainError::CaseNotConfirmedAnonymous => td_string!(l, errors_case_not_anonymous),
        DomainError::CircleStatusUnknown => td_string!(l, errors_circle_status_unknown),
        DomainError::HideReasonEmpty => td_string!(l, errors_hide_reason_empty),
        DomainError::HideReasonTooLong => td_string!(l, errors_hide_reason_too_long),
        DomainError::TooManyMentions => td_string!(l, errors_too_many_mentions),
        DomainError::InvitationDaysInvalid => td_string!(l, errors_invitation_days_invalid),
        DomainError::InvitationUsesInvalid => td_string!(l, errors_invitation_uses_invalid),
        DomainError::InviteeDuplicate => td_string!(l, errors_invitee_duplicate),
        DomainError::GroupUnknown => td_string!(l, errors_group_unknown),
        DomainError::RecordingLinkInvalid => td_string!(l, errors_recording_link_invalid),
        DomainError::SessionNotesTooLong => td_string!(l, errors_session_notes_too_long),
        DomainError::AttendanceUnknown => td_string!(l, errors_attendance_unknown),
        DomainError::OutlineTitleEmpty => td_string!(l, errors_outline_title_empty),
        DomainError::OutlineTitleTooLong => td_string!(l, errors_outline_title_too_long),
        DomainError::OutlineSummaryTooLong => td_string!(l, errors_outline_summary_too_long),
        DomainError::HandleInvalid => td_string!(l, errors_handle_invalid),
        DomainError::HandleTaken => td_string!(l, errors_handle_taken),
        DomainError::AboutTooLong => td_string!(l, errors_about_too_long),
        DomainError::LastAdmin => td_string!(l, errors_last_admin),
        DomainError::ErasureNotConfirmed => td_string!(l, errors_erasure_not_confirmed),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub status: u16,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, language: Language) -> AppError {
        AppError {
            status: code.status(),
            message: code.message(language),
            code,
        }
    }
}

/// The one translation of a storage failure into what the requester hears.
/// Every kind is named (no wildcard), so a new kind of failure must be placed
/// here. Failures that are the server's, not the requester's, are logged.
#[cfg(feature = "ssr")]
impl From<kring_db::DbError> for ErrorCode {
    fn from(error: kring_db::DbError) -> ErrorCode {
        use kring_db::{ClientFault, DbError};
        match error {
            DbError::EmailTaken => ErrorCode::EmailTaken,
            DbError::OrganisationNameTaken => ErrorCode::OrganisationTaken,
            DbError::ProgramNameTaken | DbError::CohortNameTaken => ErrorCode::NameTaken,
            DbError::AlreadyRegistered => ErrorCode::AlreadyRegistered,
            DbError::MeetingFull => ErrorCode::SessionFull,
            DbError::CircleFull => ErrorCode::CircleFull,
            DbError::CircleClosed => ErrorCode::CircleClosed,
            DbError::AlreadyMember => ErrorCode::AlreadyCircleMember,
            DbError::ThreadLocked => ErrorCode::ThreadLocked,
            DbError::NotFound => ErrorCode::NotFound,
            DbError::InvitationClosed(verdict) => ErrorCode::InvitationClosed { verdict },
            DbError::Busy => ErrorCode::Busy,
            DbError::Sqlx(_) if error.pool_exhausted() => ErrorCode::Busy,
            DbError::Refused(error) => ErrorCode::Invalid(error),
            DbError::Sqlx(_) => match error.client_fault() {
                Some(ClientFault::Missing) => ErrorCode::NotFound,
                Some(ClientFault::UnstorableText) => ErrorCode::BadRequest,
                None => ErrorCode::logged_internal(&error),
            },
            DbError::Corrupt(_)
            | DbError::Hashing
            | DbError::UnsupportedUrl
            | DbError::Migrate(_)
            | DbError::Io(_) => ErrorCode::logged_internal(&error),
        }
    }
}

#[cfg(feature = "ssr")]
impl ErrorCode {
    fn logged_internal(error: &kring_db::DbError) -> ErrorCode {
        tracing::error!(%error, "storage failure");
        ErrorCode::Internal
    }
}

/// Outside the server functions (feeds, live streams, the request checks):
/// the status, and the error as JSON. A busy server says when to come back.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{header, HeaderValue, StatusCode};
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let busy = self.code == ErrorCode::Busy;
        let mut response = (status, axum::Json(self)).into_response();
        if busy {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_distinct_message_in_every_language() {
        let mut codes: Vec<ErrorCode> = DomainError::ALL
            .into_iter()
            .map(ErrorCode::Invalid)
            .collect();
        codes.extend([
            ErrorCode::OrganisationUnknown,
            ErrorCode::EmailTaken,
            ErrorCode::OrganisationTaken,
            ErrorCode::NameTaken,
            ErrorCode::WrongCredentials,
            ErrorCode::Throttled { minutes: 7 },
            ErrorCode::Unauthenticated,
            ErrorCode::Forbidden,
            ErrorCode::ForeignOrigin,
            ErrorCode::NotFound,
            ErrorCode::AlreadyRegistered,
            ErrorCode::SessionFull,
            ErrorCode::SessionEnded,
            ErrorCode::SessionNotStarted,
            ErrorCode::AudienceRequired,
            ErrorCode::EditConflict { revision: 4 },
            ErrorCode::TimeInGap {
                date: "2027-03-28".to_owned(),
                zone: "Europe/Amsterdam".to_owned(),
            },
            ErrorCode::TimeAmbiguous {
                date: "2027-10-31".to_owned(),
                zone: "Europe/London".to_owned(),
            },
            ErrorCode::CircleFull,
            ErrorCode::CircleClosed,
            ErrorCode::AlreadyCircleMember,
            ErrorCode::ThreadLocked,
            ErrorCode::PostingTooFast { seconds: 42 },
            ErrorCode::BadRequest,
            ErrorCode::TooLarge,
            ErrorCode::TooSlow,
            ErrorCode::TooManyRequests { minutes: 30 },
            ErrorCode::TooManyConnections,
            ErrorCode::Busy,
            ErrorCode::LinkExpired,
            ErrorCode::ResetLinkExpired,
            ErrorCode::RegistrationClosed,
            ErrorCode::InvitationClosed {
                verdict: kring_domain::invitation::InvitationVerdict::Expired,
            },
            ErrorCode::InvitationClosed {
                verdict: kring_domain::invitation::InvitationVerdict::Revoked,
            },
            ErrorCode::InvitationClosed {
                verdict: kring_domain::invitation::InvitationVerdict::UsedUp,
            },
            ErrorCode::InvitationClosed {
                verdict: kring_domain::invitation::InvitationVerdict::Foreign,
            },
            ErrorCode::InviteeLine {
                line: 3,
                reason: DomainError::EmailInvalid,
                more: 0,
            },
            ErrorCode::TooManyInvitees,
            ErrorCode::NoInvitees,
            ErrorCode::InvitationsPerDay,
            ErrorCode::InvitationMailUnavailable,
            ErrorCode::VerificationUnavailable,
            ErrorCode::ImportTooLarge,
            ErrorCode::ImportUnreadable,
            ErrorCode::ResetUnavailable,
            ErrorCode::VisitorSignupClosed,
            ErrorCode::FolderTooLarge,
            ErrorCode::FolderUnreadable,
            ErrorCode::Internal,
        ]);
        use kring_domain::program_folder::FolderProblem;
        codes.extend(
            [
                FolderProblem::NotAProgram,
                FolderProblem::UnknownLine,
                FolderProblem::UnknownLanguage,
                FolderProblem::BadName,
                FolderProblem::MissingFile,
                FolderProblem::NoFrontMatter,
                FolderProblem::TooMany,
            ]
            .map(|problem| ErrorCode::FolderRefused {
                file: "manifest.txt".to_owned(),
                line: 4,
                problem,
            }),
        );
        for language in Language::ALL {
            let messages: std::collections::HashSet<String> =
                codes.iter().map(|code| code.message(language)).collect();
            assert_eq!(
                messages.len(),
                codes.len(),
                "{language}: two errors share a message"
            );
        }
        assert!(ErrorCode::Throttled { minutes: 7 }
            .message(Language::Nl)
            .contains("7 minuten"));
        for language in Language::ALL {
            let message = ErrorCode::PostingTooFast { seconds: 42 }.message(language);
            assert!(message.contains("42"), "{message}");
        }
        let gap = ErrorCode::TimeInGap {
            date: "2027-03-28".to_owned(),
            zone: "Europe/Amsterdam".to_owned(),
        };
        for language in Language::ALL {
            let message = gap.message(language);
            assert!(
                message.contains("2027-03-28") && message.contains("Europe/Amsterdam"),
                "{message}"
            );
        }
        assert_ne!(
            ErrorCode::Forbidden.message(Language::De),
            ErrorCode::Forbidden.message(Language::En)
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_database_without_a_free_connection_is_busy_not_broken() {
        let code = ErrorCode::from(kring_db::DbError::Sqlx(sqlx::Error::PoolTimedOut));
        assert_eq!(code.status(), 503);
        assert_eq!(code, ErrorCode::Busy);
    }

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(ErrorCode::Unauthenticated.status(), 401);
        assert_eq!(ErrorCode::Forbidden.status(), 403);
        assert_eq!(ErrorCode::ForeignOrigin.status(), 403);
        assert_eq!(ErrorCode::Throttled { minutes: 1 }.status(), 429);
        assert_eq!(ErrorCode::Invalid(DomainError::EmailInvalid).status(), 422);
    }

    #[test]
    fn an_error_from_a_link_shows_only_what_the_server_vouches_for() {
        use leptos::server_fn::error::FromServerFnError;
        let forged = |code: ErrorCode| {
            let error = AppError {
                code,
                status: 200,
                message: "Account locked: call +31 6 1234 5678".to_owned(),
            };
            AppError::de(serde_json::to_vec(&error).unwrap().into())
        };
        let shown = forged(ErrorCode::Forbidden);
        assert_eq!(shown, AppError::new(ErrorCode::Forbidden, Language::En));
        let shown = forged(ErrorCode::TimeInGap {
            date: "Account locked: call +31".to_owned(),
            zone: "now".to_owned(),
        });
        assert!(!shown.message.contains("+31"), "{}", shown.message);
        assert_eq!(shown.code, ErrorCode::Invalid(DomainError::TimeInGap));
        let shown = forged(ErrorCode::Throttled { minutes: 99_999 });
        assert_eq!(shown.code, ErrorCode::Throttled { minutes: 60 });
        let garbage = AppError::de(format!("<{0}>alert(1)</{0}>", "script").into_bytes().into());
        assert_eq!(garbage.code, ErrorCode::BadRequest);
    }

    #[test]
    fn round_trips_through_json() {
        let error = AppError::new(ErrorCode::Throttled { minutes: 3 }, Language::Es);
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
    }
}
