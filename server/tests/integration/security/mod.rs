//! Attacks on the running server, one test per finding of the trust review,
//! each against a fresh SQLite file and a fresh PostgreSQL database: hostile
//! text in every form field, hidden posts replayed live, streams that outlive
//! a session, floods and guessing, redirects, forged error messages, edits
//! where posting is closed, mention privacy, page loads that write,
//! malformed requests, readers that never read and the browser protections on
//! every response.
//!
//! The demo cohort's forum: category 5 is General, 6 the consultation circle
//! (members Amara, Lucía, Wanjiru, Rami and Anush); thread 7 is the welcome
//! thread, 8 the circle's.

use crate::support;

mod accounts;
mod forms;
mod forum;
mod live;
mod malformed;
mod requests;
mod slow_readers;

use reqwest::header::HeaderMap;
use scraper::{Html, Selector};

/// Text that tries to become markup wherever it lands.
pub const HOSTILE: &str = "</textarea></title><img src=x onerror=alert(1)><script>alert(2)</script>\"'><svg onload=alert(3)>";
/// The same, short enough for a name (80 characters).
pub const HOSTILE_NAME: &str = "\"><img src=x onerror=alert(1)></option>";

pub const GENERAL: &str = "5";
pub const CIRCLE_CATEGORY: &str = "6";
pub const WELCOME_THREAD: &str = "7";
pub const CIRCLE_THREAD: &str = "8";

/// The nonce the response's Content-Security-Policy allows scripts with.
pub fn policy_nonce(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get("content-security-policy")?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = policy[start..].find('\'')? + start;
    Some(policy[start..end].to_owned())
}

/// Fails when `page` holds anything hostile text could have become, as a
/// browser parses it: an element with an event attribute, a `javascript:`
/// link, an image from elsewhere, an `<svg>`, or a script without the nonce.
pub fn assert_inert(page: &str, nonce: Option<&str>, what: &str) {
    let document = Html::parse_document(page);
    for element in document.select(&Selector::parse("*").unwrap()) {
        let element = element.value();
        for (name, value) in element.attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{what}: <{} {name}={value:?}> runs script",
                element.name()
            );
            assert!(
                !value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:"),
                "{what}: <{} {name}={value:?}>",
                element.name()
            );
        }
        match element.name() {
            "img" => assert!(
                element.attr("src").is_none_or(|src| src.starts_with('/')),
                "{what}: an image from elsewhere: {element:?}"
            ),
            "svg" => panic!("{what}: an <svg> made from text"),
            "script" => assert!(
                nonce.is_some() && element.attr("nonce") == nonce,
                "{what}: a script without this response's nonce: {element:?}"
            ),
            _ => {}
        }
    }
}

/// The text in the page's `<textarea name=…>` (or `<input name=… value=…>`), as a browser reads it.
pub fn field_value(page: &str, name: &str) -> Option<String> {
    let document = Html::parse_document(page);
    let area = Selector::parse(&format!("textarea[name=\"{name}\"]")).unwrap();
    if let Some(area) = document.select(&area).next() {
        return Some(area.text().collect());
    }
    let input = Selector::parse(&format!("input[name=\"{name}\"]")).unwrap();
    document
        .select(&input)
        .next()
        .and_then(|input| input.value().attr("value").map(str::to_owned))
}
