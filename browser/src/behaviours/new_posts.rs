//! On a thread list: counts the posts written since the page was loaded and
//! offers to show them (a link that reloads the list).

use super::status::show_connection;
use crate::live;
use kring_domain::behaviour::LiveLabels;
use kring_domain::counted;
use kring_domain::live::LiveTopic;
use std::cell::Cell;
use web_sys::Element;

pub fn start(status: Element, category: i64, after: i64, labels: LiveLabels) {
    let LiveLabels {
        reconnecting,
        new_posts,
        new_post,
        ..
    } = labels;
    let on_connection = {
        let status = status.clone();
        move |connection| show_connection(&status, connection, &reconnecting)
    };
    let count = Cell::new(0_i64);
    let on_post = move |_, _| {
        count.set(count.get() + 1);
        if let Ok(Some(bar)) = status.query_selector(".new-posts-bar") {
            bar.set_text_content(Some(&counted(count.get(), &new_post, &new_posts)));
            let _ = bar.remove_attribute("hidden");
        }
    };
    live::follow(LiveTopic::Category(category), after, on_connection, on_post);
}
