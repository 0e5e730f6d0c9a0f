//! Module content: the limits a unit's text must keep, which language a reader
//! is shown, and whether a translation is missing, current or outdated.

use crate::account::bounded_text;
use crate::{DomainError, Language};
use serde::{Deserialize, Serialize};

/// At most this many units in one module.
pub const MAX_UNITS_PER_MODULE: usize = 100;

/// A unit's title in one language: 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTitle(String);

impl UnitTitle {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::UnitTitleEmpty,
            DomainError::UnitTitleTooLong,
        )
        .map(UnitTitle)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A program's or a module's title in one language: 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineTitle(String);

impl OutlineTitle {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::OutlineTitleEmpty,
            DomainError::OutlineTitleTooLong,
        )
        .map(OutlineTitle)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A program's or a module's summary in one language: plain text, at most 2,000
/// characters, may be empty; line endings normalised to `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutlineSummary(String);

impl OutlineSummary {
    pub const MAX_CHARS: usize = 2_000;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let text = input.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        if text.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::OutlineSummaryTooLong);
        }
        Ok(OutlineSummary(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit's Markdown body: at most 200,000 characters (a long unit is about 5,000 words).
/// Line endings are normalised to `\n`, so a diff never shows a change that is only `\r`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitBody(String);

impl UnitBody {
    pub const MAX_CHARS: usize = 200_000;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let body = input.replace("\r\n", "\n").replace('\r', "\n");
        if body.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::UnitBodyTooLong);
        }
        Ok(UnitBody(body))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn word_count(&self) -> usize {
        self.0.split_whitespace().count()
    }
}

/// Where one language's text of a unit stands against the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationStatus {
    /// Nobody has translated it yet.
    Missing,
    /// Made from the source's current revision (or it is the source).
    Current,
    /// The source changed after this translation was last edited.
    Outdated,
}

impl TranslationStatus {
    /// `source_revision`: the number of the source text's current revision.
    /// `translated_from`: the source revision this language's current text was
    /// made from; `None` when there is no text in this language.
    pub fn of(is_source: bool, source_revision: i64, translated_from: Option<i64>) -> Self {
        match (is_source, translated_from) {
            (true, _) => TranslationStatus::Current,
            (false, None) => TranslationStatus::Missing,
            (false, Some(from)) if from >= source_revision => TranslationStatus::Current,
            (false, Some(_)) => TranslationStatus::Outdated,
        }
    }
}

/// The language a reader is shown: their own where a text exists, else the source language.
pub fn shown_language(wanted: Language, source: Language, available: &[Language]) -> Language {
    if available.contains(&wanted) {
        wanted
    } else {
        source
    }
}

/// A text's paragraphs (blocks between blank lines), for reading a
/// translation beside its source one paragraph at a time.
pub fn paragraphs(body: &str) -> Vec<&str> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::*;

    #[test]
    fn outline_texts_are_bounded() {
        assert_eq!(
            OutlineTitle::parse("  Module 1: Listening \u{7}")
                .unwrap()
                .as_str(),
            "Module 1: Listening"
        );
        assert_eq!(
            OutlineTitle::parse(" \n "),
            Err(DomainError::OutlineTitleEmpty)
        );
        assert!(OutlineTitle::parse(&"é".repeat(200)).is_ok());
        assert_eq!(
            OutlineTitle::parse(&"é".repeat(201)),
            Err(DomainError::OutlineTitleTooLong)
        );
        assert_eq!(OutlineSummary::parse(" a\r\nb ").unwrap().as_str(), "a\nb");
        assert_eq!(OutlineSummary::parse("").unwrap().as_str(), "");
        assert_eq!(
            OutlineSummary::parse(&"x".repeat(2_001)),
            Err(DomainError::OutlineSummaryTooLong)
        );
    }

    #[test]
    fn titles_and_bodies_keep_their_limits() {
        assert_eq!(
            UnitTitle::parse("  Relationship first ").unwrap().as_str(),
            "Relationship first"
        );
        assert_eq!(UnitTitle::parse(""), Err(DomainError::UnitTitleEmpty));
        assert!(UnitTitle::parse(&"ñ".repeat(200)).is_ok());
        assert_eq!(
            UnitTitle::parse(&"ñ".repeat(201)),
            Err(DomainError::UnitTitleTooLong)
        );
        assert!(UnitBody::parse("").is_ok(), "a unit may start empty");
        assert!(UnitBody::parse(&"é".repeat(200_000)).is_ok());
        assert_eq!(
            UnitBody::parse(&"é".repeat(200_001)),
            Err(DomainError::UnitBodyTooLong)
        );
        assert_eq!(UnitBody::parse("a\r\nb\rc").unwrap().as_str(), "a\nb\nc");
        assert_eq!(
            UnitBody::parse("Listen first,\n\nthen  act.")
                .unwrap()
                .word_count(),
            4
        );
    }

    #[test]
    fn translation_status() {
        let cases = [
            // (is source, source revision, translated from, status)
            (true, 1, None, TranslationStatus::Current),
            (true, 7, Some(7), TranslationStatus::Current),
            (false, 1, None, TranslationStatus::Missing),
            (false, 5, None, TranslationStatus::Missing),
            (false, 3, Some(3), TranslationStatus::Current),
            (false, 3, Some(2), TranslationStatus::Outdated),
            (false, 3, Some(1), TranslationStatus::Outdated),
            (false, 10, Some(9), TranslationStatus::Outdated),
            // A translation edited after a restore may name a later revision than the current one.
            (false, 3, Some(4), TranslationStatus::Current),
        ];
        for (is_source, source_revision, translated_from, expected) in cases {
            assert_eq!(
                TranslationStatus::of(is_source, source_revision, translated_from),
                expected,
                "{is_source} {source_revision} {translated_from:?}"
            );
        }
    }

    #[test]
    fn paragraphs_are_blocks_between_blank_lines() {
        let cases: [(&str, &[&str]); 5] = [
            ("", &[]),
            ("One line", &["One line"]),
            (
                "First\nstill first\n\nSecond",
                &["First\nstill first", "Second"],
            ),
            ("\n\n\nA\n\n\n\nB\n", &["A", "B"]),
            (
                "## Heading\n\n- a\n- b\n\nEnd",
                &["## Heading", "- a\n- b", "End"],
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(paragraphs(body), expected, "{body:?}");
        }
    }

    #[test]
    fn fallback_chain() {
        let cases = [
            // (wanted, source, available, shown)
            (Es, En, vec![En, Es], Es),
            (Nl, En, vec![En, Es], En),
            (De, En, vec![En], En),
            (En, En, vec![En, De], En),
            (En, Es, vec![Es], Es),
            (Nl, Es, vec![Es, Nl], Nl),
            (De, Es, vec![Es, En], Es),
            (Es, Es, vec![Es], Es),
        ];
        for (wanted, source, available, shown) in cases {
            assert_eq!(
                shown_language(wanted, source, &available),
                shown,
                "{wanted} from {source}"
            );
        }
    }
}
