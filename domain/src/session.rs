//! Live sessions: what they are, their state, and the values a facilitator types when planning them.

use crate::account::bounded_text;
use crate::DomainError;
use serde::{Deserialize, Serialize};

/// What kind of meeting a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A cohort's or language group's regular live session.
    Live,
    /// A public information meeting for newcomers; visitors may register.
    Information,
    /// A consultation circle of at most ten people.
    Circle,
}

impl SessionKind {
    pub const ALL: [SessionKind; 3] = [
        SessionKind::Live,
        SessionKind::Information,
        SessionKind::Circle,
    ];
    /// A consultation circle stays small enough for everyone to speak.
    pub const CIRCLE_MAX: i64 = 10;

    pub fn code(self) -> &'static str {
        match self {
            SessionKind::Live => "live",
            SessionKind::Information => "information",
            SessionKind::Circle => "circle",
        }
    }

    pub fn parse(code: &str) -> Result<Self, DomainError> {
        SessionKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code.trim())
            .ok_or(DomainError::SessionKindUnknown)
    }

    /// Information meetings are public; the others belong to a cohort.
    pub fn is_public(self) -> bool {
        self == SessionKind::Information
    }
}

/// Where a session stands; moved and cancelled sessions stay visible so nobody is surprised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Scheduled,
    Moved,
    Cancelled,
}

impl SessionStatus {
    pub fn code(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Moved => "moved",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Result<Self, DomainError> {
        [
            SessionStatus::Scheduled,
            SessionStatus::Moved,
            SessionStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.code() == code)
        .ok_or(DomainError::SessionStatusUnknown)
    }
}

/// A session's title in one language: 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTitle(String);

impl SessionTitle {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::SessionTitleEmpty,
            DomainError::SessionTitleTooLong,
        )
        .map(SessionTitle)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A session description: at most 5,000 characters, may be empty.
pub fn session_description(input: &str) -> Result<&str, DomainError> {
    let text = input.trim();
    if text.chars().count() > 5_000 {
        Err(DomainError::SessionDescriptionTooLong)
    } else {
        Ok(text)
    }
}

/// How long a session lasts: 15 minutes to 8 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionMinutes(i64);

impl SessionMinutes {
    /// The longest a session lasts: what tells, from its start alone, that one has ended.
    pub const MAX: i64 = 480;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        input
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|minutes| (15..=Self::MAX).contains(minutes))
            .map(SessionMinutes)
            .ok_or(DomainError::SessionMinutesInvalid)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// How many people may register: empty for no limit; at most ten for a circle.
pub fn session_capacity(input: &str, kind: SessionKind) -> Result<Option<i64>, DomainError> {
    let input = input.trim();
    if input.is_empty() {
        return if kind == SessionKind::Circle {
            Ok(Some(SessionKind::CIRCLE_MAX))
        } else {
            Ok(None)
        };
    }
    let capacity = input
        .parse::<i64>()
        .ok()
        .filter(|capacity| (1..=10_000).contains(capacity))
        .ok_or(DomainError::CapacityInvalid)?;
    if kind == SessionKind::Circle && capacity > SessionKind::CIRCLE_MAX {
        return Err(DomainError::CircleTooLarge);
    }
    Ok(Some(capacity))
}

/// A video meeting link: `https://`, no spaces, at most 500 characters; may be empty until known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VideoLink(String);

impl VideoLink {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        https_link(input)
            .map(VideoLink)
            .ok_or(DomainError::VideoLinkInvalid)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A session's recording, added afterwards: checked like a video link.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordingLink(String);

impl RecordingLink {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        https_link(input)
            .map(RecordingLink)
            .ok_or(DomainError::RecordingLinkInvalid)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An `https://` link with a host, no spaces, quotes or angle brackets, at most
/// 500 characters, trimmed; empty input is an empty link (not known yet).
fn https_link(input: &str) -> Option<String> {
    let link = input.trim();
    if link.is_empty() {
        return Some(String::new());
    }
    let host = link.strip_prefix("https://").unwrap_or_default();
    let valid = link.len() <= 500
        && !host.is_empty()
        && !host.starts_with('/')
        && !link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<');
    valid.then(|| link.to_owned())
}

/// What facilitators write after a session (Markdown): at most 20,000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionNotes(String);

impl SessionNotes {
    pub const MAX_CHARS: usize = 20_000;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let notes = input.trim();
        if notes.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::SessionNotesTooLong);
        }
        Ok(SessionNotes(notes.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a member was at a session, as the facilitator took it down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttendanceMark {
    Present,
    Absent,
    /// Absent, with a reason the facilitator accepted.
    Excused,
}

impl AttendanceMark {
    pub const ALL: [AttendanceMark; 3] = [
        AttendanceMark::Present,
        AttendanceMark::Absent,
        AttendanceMark::Excused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AttendanceMark::Present => "present",
            AttendanceMark::Absent => "absent",
            AttendanceMark::Excused => "excused",
        }
    }

    pub fn parse(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|mark| mark.code() == code)
            .ok_or(DomainError::AttendanceUnknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_round_trip() {
        for kind in SessionKind::ALL {
            assert_eq!(SessionKind::parse(kind.code()), Ok(kind));
        }
        assert_eq!(
            SessionKind::parse("party"),
            Err(DomainError::SessionKindUnknown)
        );
        assert!(SessionKind::Information.is_public());
        assert!(!SessionKind::Circle.is_public());
        assert_eq!(
            SessionStatus::parse("cancelled"),
            Ok(SessionStatus::Cancelled)
        );
        assert!(SessionStatus::parse("postponed").is_err());
    }

    #[test]
    fn recording_links_are_checked_like_video_links() {
        for bad in [
            "http://example.org/recording",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://example.org/a b",
            "https://example.org/\"onmouseover",
            "https://example.org/<script>",
        ] {
            assert_eq!(
                RecordingLink::parse(bad),
                Err(DomainError::RecordingLinkInvalid),
                "{bad}"
            );
            assert_eq!(VideoLink::parse(bad), Err(DomainError::VideoLinkInvalid));
        }
        assert_eq!(
            RecordingLink::parse(" https://example.org/rec/1 ")
                .unwrap()
                .as_str(),
            "https://example.org/rec/1"
        );
        assert_eq!(RecordingLink::parse("  ").unwrap().as_str(), "");
        assert!(RecordingLink::parse(&format!("https://e.org/{}", "a".repeat(500))).is_err());
    }

    #[test]
    fn notes_are_bounded_and_marks_round_trip() {
        assert_eq!(SessionNotes::parse("  notes \n").unwrap().as_str(), "notes");
        assert!(SessionNotes::parse(&"é".repeat(SessionNotes::MAX_CHARS)).is_ok());
        assert_eq!(
            SessionNotes::parse(&"é".repeat(SessionNotes::MAX_CHARS + 1)),
            Err(DomainError::SessionNotesTooLong)
        );
        for mark in AttendanceMark::ALL {
            assert_eq!(AttendanceMark::parse(mark.code()), Ok(mark));
        }
        assert_eq!(
            AttendanceMark::parse("late"),
            Err(DomainError::AttendanceUnknown)
        );
    }

    #[test]
    fn titles_are_bounded() {
        assert_eq!(
            SessionTitle::parse("  English group  ").unwrap().as_str(),
            "English group"
        );
        assert_eq!(
            SessionTitle::parse(" "),
            Err(DomainError::SessionTitleEmpty)
        );
        assert_eq!(
            SessionTitle::parse(&"é".repeat(200))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            200
        );
        assert_eq!(
            SessionTitle::parse(&"é".repeat(201)),
            Err(DomainError::SessionTitleTooLong)
        );
        assert!(session_description(&"a".repeat(5_001)).is_err());
    }

    #[test]
    fn durations_and_capacities() {
        assert_eq!(SessionMinutes::parse("120").unwrap().get(), 120);
        for bad in ["", "0", "14", "481", "two hours", "-30"] {
            assert_eq!(
                SessionMinutes::parse(bad),
                Err(DomainError::SessionMinutesInvalid),
                "{bad:?}"
            );
        }
        assert_eq!(session_capacity("", SessionKind::Live), Ok(None));
        assert_eq!(session_capacity("", SessionKind::Circle), Ok(Some(10)));
        assert_eq!(
            session_capacity("40", SessionKind::Information),
            Ok(Some(40))
        );
        assert_eq!(
            session_capacity("0", SessionKind::Live),
            Err(DomainError::CapacityInvalid)
        );
        assert_eq!(
            session_capacity("ten", SessionKind::Live),
            Err(DomainError::CapacityInvalid)
        );
        assert_eq!(
            session_capacity("11", SessionKind::Circle),
            Err(DomainError::CircleTooLarge)
        );
    }

    #[test]
    fn video_links_must_be_https() {
        assert_eq!(VideoLink::parse("").unwrap().as_str(), "");
        assert!(VideoLink::parse("https://meet.example.org/kring-en").is_ok());
        for bad in [
            "http://meet.example.org/x",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://meet.example.org/a b",
            "https://x.org/\"><script>",
            "ftp://x.org",
        ] {
            assert_eq!(
                VideoLink::parse(bad),
                Err(DomainError::VideoLinkInvalid),
                "{bad:?}"
            );
        }
    }
}
