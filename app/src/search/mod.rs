//! Search: one box for module units (in a chosen language) and forum posts,
//! cases included, each list paged. A plain GET form, so results can be
//! bookmarked and shared and work without the WebAssembly.
//!
//! Here: the types the browser sees. `api` holds the server functions, `pages`
//! the page.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use kring_domain::search::SnippetPart;
use serde::{Deserialize, Serialize};

/// One page of results, and whether another follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultPage<T> {
    pub results: Vec<T>,
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResult {
    pub unit: i64,
    pub title: String,
    pub module_title: String,
    pub snippet: Vec<SnippetPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostResult {
    pub post: i64,
    pub thread: i64,
    pub thread_title: String,
    pub is_case: bool,
    pub in_circle: bool,
    pub author: String,
    /// When it was written, in the reader's zone and language.
    pub when: String,
    pub snippet: Vec<SnippetPart>,
}

/// Where a search looks: the first page of both lists, or more of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    Units,
    Forum,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Everywhere, Scope::Units, Scope::Forum];

    /// From the `in` parameter of a search link; anything else looks everywhere.
    pub fn parse(code: Option<&str>) -> Scope {
        match code {
            Some("units") => Scope::Units,
            Some("forum") => Scope::Forum,
            _ => Scope::Everywhere,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Scope::Everywhere => "all",
            Scope::Units => "units",
            Scope::Forum => "forum",
        }
    }

    pub fn has_units(self) -> bool {
        self != Scope::Forum
    }

    pub fn has_posts(self) -> bool {
        self != Scope::Units
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_reads_back_from_its_code() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(Some(scope.code())), scope);
        }
        for other in [None, Some(""), Some("FORUM"), Some("posts"), Some("all")] {
            assert_eq!(Scope::parse(other), Scope::Everywhere, "{other:?}");
        }
        assert!(Scope::Everywhere.has_units() && Scope::Everywhere.has_posts());
        assert!(!Scope::Units.has_posts() && !Scope::Forum.has_units());
    }
}
