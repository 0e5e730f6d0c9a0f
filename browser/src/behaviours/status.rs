//! A live status line (`<p class="live-status">`): whether the connection is
//! up, as `data-state` (styles and browser tests read it) and in words while
//! it reconnects, and what arrived, for screen readers (it is an `aria-live` region).

use kring_domain::live::Connection;
use web_sys::Element;

/// Shows the connection's state, with `reconnecting` as its words while it reconnects.
pub fn show_connection(status: &Element, connection: Connection, reconnecting: &str) {
    let _ = status.set_attribute("data-state", connection.code());
    if let Ok(Some(words)) = status.query_selector(".connection") {
        let words_now = (connection == Connection::Reconnecting).then_some(reconnecting);
        if words.text_content().as_deref().unwrap_or("") != words_now.unwrap_or("") {
            words.set_text_content(words_now);
        }
    }
}

/// Tells screen readers `news` (the line shows nothing of it).
pub fn announce(status: &Element, news: &str) {
    if let Ok(Some(spoken)) = status.query_selector(".visually-hidden") {
        spoken.set_text_content(Some(news));
    }
}
