//! The behaviours of a server-rendered page: each element naming one
//! (`kring_domain::behaviour`) is brought to life, in document order, each in
//! a task of its own so that a slow phone can paint and answer a tap between
//! them. Nothing here renders a page: the server sent it whole, and this only
//! adds what it cannot do (live posts, suggestions, the browser's zone).

mod live_thread;
mod mentions;
mod new_posts;
mod status;
mod zone;

use crate::post::post_and_forget;
use crate::tasks::next_task;
use kring_domain::behaviour::{Behaviour, NAME_ATTRIBUTE, PROPS_ATTRIBUTE};
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Where a page shows people's own text (posts, units, notes).
const USER_TEXT: &str = ".post-body, .unit-body";

/// Starts every behaviour on the page.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        let Ok(elements) = document.query_selector_all(&format!("[{NAME_ATTRIBUTE}]")) else {
            return;
        };
        for index in 0..elements.length() {
            let Some(element) = elements
                .item(index)
                .and_then(|node| node.dyn_into::<Element>().ok())
            else {
                continue;
            };
            // People's text never names a behaviour (the sanitiser drops data
            // attributes); should that ever fail, its elements still start nothing.
            if element.closest(USER_TEXT).ok().flatten().is_some() {
                continue;
            }
            let name = element.get_attribute(NAME_ATTRIBUTE).unwrap_or_default();
            let props = element.get_attribute(PROPS_ATTRIBUTE).unwrap_or_default();
            let Some(behaviour) = Behaviour::read(&name, &props) else {
                web_sys::console::warn_2(&"No such behaviour:".into(), &name.into());
                continue;
            };
            next_task().await;
            start_one(element, behaviour).await;
        }
    });
}

async fn start_one(element: Element, behaviour: Behaviour) {
    match behaviour {
        Behaviour::LiveThread {
            thread,
            after,
            shown,
            append,
            mark_read,
            labels,
        } => live_thread::start(element, thread, after, shown, append, mark_read, labels).await,
        Behaviour::NewPostsBar {
            category,
            after,
            labels,
        } => new_posts::start(element, category, after, labels),
        Behaviour::Mentions { category, suggest } => mentions::start(element, category, suggest),
        Behaviour::ZoneCookie => zone::remember_in_cookie(),
        Behaviour::BrowserZone => zone::fill_in(element),
        Behaviour::ReportSeen { action, fields } => post_and_forget(action, fields),
    }
}
