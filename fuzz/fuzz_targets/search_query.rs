//! `SearchQuery::parse` never panics on what a reader types, and nothing typed
//! reaches a search engine as query syntax: a query has 1 to 12 words of
//! letters and digits only (lower-cased), the FTS5 query is exactly each word
//! as `"word"*` joined by single spaces, the `plainto_tsquery` text is the
//! words joined by spaces, and more than 200 characters or no word at all is
//! an error. `snippet_parts` keeps every character but the match marks.

#![no_main]

use kring_domain::search::{snippet_parts, SearchQuery, MATCH_END, MATCH_START};
use kring_domain::DomainError;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|typed: &str| {
    let trimmed = typed.trim();
    match SearchQuery::parse(typed) {
        Ok(query) => {
            assert!(trimmed.chars().count() <= SearchQuery::MAX_CHARS);
            assert_eq!(query.as_str(), trimmed);
            let words = query.words();
            assert!(
                (1..=12).contains(&words.len()),
                "{} words from {typed:?}",
                words.len()
            );
            for word in words {
                assert!(!word.is_empty(), "an empty word from {typed:?}");
                assert!(
                    word.chars().all(char::is_alphanumeric),
                    "{word:?} (from {typed:?}) is not only letters and digits: {:?}",
                    word.chars()
                        .filter(|c| !c.is_alphanumeric())
                        .map(|c| format!("U+{:04X}", u32::from(c)))
                        .collect::<Vec<_>>()
                );
                assert_eq!(word, &word.to_lowercase(), "{word:?} is not lower-case");
            }
            let fts5 = query.fts5_match();
            let quoted: Vec<String> = words.iter().map(|word| format!("\"{word}\"*")).collect();
            assert_eq!(fts5, quoted.join(" "));
            // Quotes only around each word: none inside one, so none closes early.
            assert_eq!(
                fts5.matches('"').count(),
                2 * words.len(),
                "{fts5:?} from {typed:?}"
            );
            assert_eq!(query.plain(), words.join(" "));
        }
        Err(DomainError::SearchTooLong) => {
            assert!(trimmed.chars().count() > SearchQuery::MAX_CHARS);
        }
        Err(DomainError::SearchEmpty) => {
            assert!(trimmed.chars().count() <= SearchQuery::MAX_CHARS);
            assert!(
                !trimmed.chars().any(char::is_alphanumeric),
                "no words found in {typed:?}"
            );
        }
        Err(other) => panic!("unexpected error {other:?} for {typed:?}"),
    }

    let parts = snippet_parts(typed);
    let unmarked: String = typed
        .chars()
        .filter(|c| *c != MATCH_START && *c != MATCH_END)
        .collect();
    assert_eq!(
        parts
            .iter()
            .map(|part| part.text.as_str())
            .collect::<String>(),
        unmarked
    );
    for part in &parts {
        assert!(!part.text.is_empty());
    }
});
