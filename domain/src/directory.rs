//! What a person chooses to be known by: their @handle, and what the member
//! directory of their cohorts shows of them beyond name and organisation.

use crate::account::fold;
use crate::error::DomainError;
use serde::{Deserialize, Serialize};

/// An @handle someone chose: 2 to 30 letters (any script), digits, `.`, `_`
/// or `-`, starting with a letter or digit and not ending in `.` or `-` (a
/// mention stops before those). Stored folded to lower case without accents,
/// as mentions are read (`@Lucía` is `lucia`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Handle(String);

impl Handle {
    pub const MIN_CHARS: usize = 2;
    pub const MAX_CHARS: usize = 30;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let typed = input.trim().trim_start_matches('@');
        let folded = fold(typed, &['.', '_', '-']);
        // Folding drops what a handle cannot hold; anything dropped was a mistake.
        let kept = typed
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
        let length = folded.chars().count();
        let starts_well = folded.chars().next().is_some_and(char::is_alphanumeric);
        let ends_well = !folded.ends_with(['.', '-']);
        if !kept
            || !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&length)
            || !starts_well
            || !ends_well
        {
            return Err(DomainError::HandleInvalid);
        }
        Ok(Handle(folded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Handle {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Handle::parse(&value)
    }
}

impl From<Handle> for String {
    fn from(handle: Handle) -> Self {
        handle.0
    }
}

/// A short text for the directory (a bio, what one would like to learn or
/// share, the languages one speaks): may be empty, at most `MAX` characters,
/// no control characters except line breaks.
fn about_text(input: &str, max: usize) -> Result<String, DomainError> {
    let text: String = input
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let text = text.trim().replace("\r\n", "\n");
    if text.chars().count() > max {
        return Err(DomainError::AboutTooLong);
    }
    Ok(text)
}

/// What a person tells their cohorts about themselves, and which parts of
/// it (and of their profile) the directory shows. Nothing beyond name and
/// organisation is shown until they choose.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub bio: String,
    pub learn_share: String,
    pub spoken_languages: String,
    pub shows_country: bool,
    pub shows_languages: bool,
    pub shows_local_time: bool,
    pub shows_about: bool,
}

impl DirectoryEntry {
    pub const BIO_MAX_CHARS: usize = 500;
    pub const LEARN_SHARE_MAX_CHARS: usize = 500;
    pub const LANGUAGES_MAX_CHARS: usize = 120;

    /// Checks what was typed; the choices are plain yes/no.
    pub fn parse(
        bio: &str,
        learn_share: &str,
        spoken_languages: &str,
        shows: [bool; 4],
    ) -> Result<Self, DomainError> {
        let [shows_country, shows_languages, shows_local_time, shows_about] = shows;
        Ok(DirectoryEntry {
            bio: about_text(bio, Self::BIO_MAX_CHARS)?,
            learn_share: about_text(learn_share, Self::LEARN_SHARE_MAX_CHARS)?,
            spoken_languages: about_text(spoken_languages, Self::LANGUAGES_MAX_CHARS)?
                .replace('\n', " "),
            shows_country,
            shows_languages,
            shows_local_time,
            shows_about,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_chosen_within_their_rules() {
        for (typed, expected) in [
            ("lucia", Some("lucia")),
            ("@Lucía", Some("lucia")),
            ("  anush.h ", Some("anush.h")),
            ("kwame_m-2", Some("kwame_m-2")),
            ("Անուշ", Some("անուշ")),
            ("jo", Some("jo")),
            ("j", None),
            ("", None),
            ("@", None),
            (".lucia", None),
            ("lucia.", None),
            ("lucia-", None),
            ("lucia quispe", None),
            ("lucia@example.org", None),
            ("<script>", None),
            ("a\u{0}b", None),
            (&"x".repeat(31), None),
        ] {
            assert_eq!(
                Handle::parse(typed).ok().map(String::from).as_deref(),
                expected,
                "{typed:?}"
            );
        }
        assert_eq!(Handle::parse(&"x".repeat(30)).unwrap().as_str().len(), 30);
    }

    #[test]
    fn a_chosen_handle_is_what_a_mention_of_it_reads() {
        let handle = Handle::parse("Lucía.Quispe").unwrap();
        let body = crate::forum::PostBody::parse(&format!("thanks @{}!", handle.as_str())).unwrap();
        assert_eq!(body.mentions(), vec![handle.as_str().to_owned()]);
    }

    #[test]
    fn directory_texts_are_bounded_and_choices_kept() {
        let entry = DirectoryEntry::parse(
            "  Social worker in Yerevan.\r\nTwo children. ",
            "Family group facilitation",
            "Armenian,\nRussian",
            [true, false, true, false],
        )
        .unwrap();
        assert_eq!(entry.bio, "Social worker in Yerevan.\nTwo children.");
        assert_eq!(entry.spoken_languages, "Armenian, Russian");
        assert!(entry.shows_country && !entry.shows_languages && entry.shows_local_time);
        assert!(!entry.shows_about);
        assert_eq!(
            DirectoryEntry::parse("", "", "", [false; 4]).unwrap(),
            DirectoryEntry::default()
        );
        let long = "x".repeat(DirectoryEntry::BIO_MAX_CHARS + 1);
        assert_eq!(
            DirectoryEntry::parse(&long, "", "", [false; 4]),
            Err(DomainError::AboutTooLong)
        );
        assert_eq!(
            DirectoryEntry::parse("", "", &"y".repeat(121), [false; 4]),
            Err(DomainError::AboutTooLong)
        );
        assert_eq!(
            DirectoryEntry::parse("a\u{7}b", "", "", [false; 4])
                .unwrap()
                .bio,
            "ab"
        );
    }
}
