//! What a reader typed into the search box, reduced to words both search
//! engines take safely, and the snippets they send back.

use crate::DomainError;
use serde::{Deserialize, Serialize};

/// A search of 1 to 12 words, at most 200 characters typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    text: String,
    words: Vec<String>,
}

impl SearchQuery {
    pub const MAX_CHARS: usize = 200;
    /// Beyond a dozen words a search matches nothing anyway.
    const MAX_WORDS: usize = 12;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let text = input.trim();
        if text.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::SearchTooLong);
        }
        // Letters and digits only: quotes, `*`, `-` or `NEAR` typed by a reader
        // must never reach FTS5 as its query syntax.
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .take(Self::MAX_WORDS)
            // Lower case can add marks (İ becomes i and a combining dot): letters and digits stay.
            .map(|word| {
                word.to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect()
            })
            .collect();
        if words.is_empty() {
            return Err(DomainError::SearchEmpty);
        }
        Ok(SearchQuery {
            text: text.to_owned(),
            words,
        })
    }

    /// As typed (trimmed), to show back in the search box.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// An SQLite FTS5 query: every word, each also as a prefix, so "famil"
    /// finds "families" and "familias" without a stemmer per language. A
    /// single letter is a whole word: as a prefix it would gather a good part
    /// of every index before a result came back.
    pub fn fts5_match(&self) -> String {
        self.words
            .iter()
            .map(|word| {
                if Self::as_prefix(word) {
                    format!("\"{word}\"*")
                } else {
                    format!("\"{word}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// For PostgreSQL's `to_tsquery`: every word required, each a prefix
    /// (`famil:*`) as for FTS5.
    pub fn tsquery(&self) -> String {
        self.words
            .iter()
            .map(|word| {
                if Self::as_prefix(word) {
                    format!("{word}:*")
                } else {
                    word.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    fn as_prefix(word: &str) -> bool {
        word.chars().nth(1).is_some()
    }

    /// For PostgreSQL's `plainto_tsquery`: the words, joined by spaces.
    pub fn plain(&self) -> String {
        self.words.join(" ")
    }
}

/// Results one page of a search shows.
pub const RESULTS_PER_PAGE: i64 = 10;
/// How deep a search pages: beyond two hundred results, more words find more
/// than more pages, and an offset that deep only costs the server.
pub const MAX_PAGES: i64 = 20;

/// A page of results (from 0) kept within [`MAX_PAGES`].
pub fn result_page(requested: i64) -> i64 {
    requested.clamp(0, MAX_PAGES - 1)
}

/// Marks that the database wraps around matched words in a snippet; private
/// use characters, so no text a facilitator writes can fake a highlight.
pub const MATCH_START: char = '\u{E000}';
pub const MATCH_END: char = '\u{E001}';

/// `text` as stored for search: without the characters that mark matches,
/// so no text anyone writes can fake a highlight in a snippet.
pub fn searchable(text: &str) -> String {
    text.replace([MATCH_START, MATCH_END], "")
}

/// A piece of a search snippet: text, and whether it matched the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

/// Splits a snippet with [`MATCH_START`]/[`MATCH_END`] marks into parts, so the
/// page can put matches in `<mark>` without ever treating the text as HTML.
pub fn snippet_parts(snippet: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut matched = false;
    for c in snippet.chars() {
        let switch = match c {
            MATCH_START => Some(true),
            MATCH_END => Some(false),
            _ => None,
        };
        match switch {
            Some(now_matched) => {
                if !current.is_empty() {
                    parts.push(SnippetPart {
                        text: std::mem::take(&mut current),
                        matched,
                    });
                }
                matched = now_matched;
            }
            None => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart {
            text: current,
            matched,
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_adds_no_marks_to_a_word() {
        // Found by `make fuzz`: "İ" lower-cases to "i" and U+0307.
        let query = SearchQuery::parse("İstanbul").unwrap();
        assert_eq!(query.words(), ["istanbul"]);
        assert!(query
            .fts5_match()
            .chars()
            .all(|c| c.is_alphanumeric() || "\" *".contains(c)));
    }

    #[test]
    fn queries_keep_only_words() {
        let cases = [
            ("families", vec!["families"]),
            ("  Eco-map  ", vec!["eco", "map"]),
            ("\"gatekeeping\" OR *", vec!["gatekeeping", "or"]),
            ("niño familia", vec!["niño", "familia"]),
            ("NEAR(a b)", vec!["near", "a", "b"]),
            ("l'enfant", vec!["l", "enfant"]),
            ("Ĝoj 2026", vec!["ĝoj", "2026"]),
        ];
        for (input, words) in cases {
            let query = SearchQuery::parse(input).unwrap();
            assert_eq!(query.words(), words.as_slice(), "{input}");
        }
        assert_eq!(SearchQuery::parse("   "), Err(DomainError::SearchEmpty));
        assert_eq!(SearchQuery::parse("\"*-()"), Err(DomainError::SearchEmpty));
        assert!(SearchQuery::parse(&"a".repeat(200)).is_ok());
        assert_eq!(
            SearchQuery::parse(&"a".repeat(201)),
            Err(DomainError::SearchTooLong)
        );
        let long = SearchQuery::parse(&"word ".repeat(30)).unwrap();
        assert_eq!(long.words().len(), 12);
    }

    #[test]
    fn stored_text_cannot_fake_a_highlight() {
        assert_eq!(searchable("a \u{E000}fake\u{E001} mark"), "a fake mark");
        assert_eq!(searchable("niños"), "niños");
    }

    #[test]
    fn result_pages_stay_in_range() {
        for (requested, page) in [(-5, 0), (0, 0), (3, 3), (19, 19), (20, 19), (i64::MAX, 19)] {
            assert_eq!(result_page(requested), page, "{requested}");
        }
    }

    #[test]
    fn engine_queries_quote_every_word() {
        let query = SearchQuery::parse("Circle \"of\" care*").unwrap();
        assert_eq!(query.fts5_match(), "\"circle\"* \"of\"* \"care\"*");
        assert_eq!(query.tsquery(), "circle:* & of:* & care:*");
        let letters = SearchQuery::parse("a b ñ plan").unwrap();
        assert_eq!(letters.fts5_match(), "\"a\" \"b\" \"ñ\" \"plan\"*");
        assert_eq!(letters.tsquery(), "a & b & ñ & plan:*");
        assert_eq!(query.plain(), "circle of care");
        assert_eq!(query.as_str(), "Circle \"of\" care*");
    }

    #[test]
    fn snippets_split_into_marked_parts() {
        let part = |text: &str, matched| SnippetPart {
            text: text.to_owned(),
            matched,
        };
        assert_eq!(
            snippet_parts("…the \u{E000}circle\u{E001} around a \u{E000}child\u{E001}"),
            vec![
                part("…the ", false),
                part("circle", true),
                part(" around a ", false),
                part("child", true),
            ]
        );
        assert_eq!(snippet_parts("no match"), vec![part("no match", false)]);
        assert_eq!(snippet_parts(""), vec![]);
        // Markup in a text stays text: the page renders parts as text nodes.
        assert_eq!(
            snippet_parts("<b>\u{E000}x\u{E001}"),
            vec![part("<b>", false), part("x", true)]
        );
    }
}
