//! Keeps a thread's page current: each event brings one post's HTML for this
//! reader, which replaces the post on the page or, on the thread's last page
//! (`append`), is added after the others. It tells the server what was seen:
//! the page's last post (`shown`) once the page is up, then each post that
//! arrives; loading the page alone marks nothing read.

use super::status::{announce, show_connection};
use crate::live;
use crate::post::post_and_forget;
use crate::tasks::next_task;
use kring_domain::behaviour::LiveLabels;
use kring_domain::filled;
use kring_domain::live::LiveTopic;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Element, HtmlInputElement, HtmlTemplateElement, HtmlTextAreaElement};

pub async fn start(
    status: Element,
    thread: i64,
    after: i64,
    shown: i64,
    append: bool,
    mark_read: String,
    labels: LiveLabels,
) {
    let mark = move |post: i64| {
        if post > 0 {
            let fields = vec![
                ("thread".to_owned(), thread.to_string()),
                ("post".to_owned(), post.to_string()),
            ];
            post_and_forget(mark_read.clone(), fields);
        }
    };
    // Each step in a task of its own: together they were one task long
    // enough to keep a slow phone from answering a tap.
    mark(shown);
    next_task().await;
    let LiveLabels {
        reconnecting,
        post_arrived,
        ..
    } = labels;
    let on_connection = {
        let status = status.clone();
        move |connection| show_connection(&status, connection, &reconnecting)
    };
    let on_post = move |_, html: String| {
        if let Some(added) = show_post(&html, append) {
            mark(added);
            let author = author_of(added).unwrap_or_default();
            announce(&status, &filled(&post_arrived, "%name%", &author));
        }
    };
    live::follow(LiveTopic::Thread(thread), after, on_connection, on_post);
    next_task().await;
    quote_selected_passages();
}

/// Puts a post's HTML in place of its older version; a post not on the
/// page goes after the last one when `append` (the thread's last page),
/// and its id is returned. Posts that belong on other pages are left there.
fn show_post(html: &str, append: bool) -> Option<i64> {
    let document = web_sys::window()?.document()?;
    let posts = document.get_element_by_id("posts")?;
    // The server's HTML for this reader, parsed inert (nothing in a template runs).
    let template = document
        .create_element("template")
        .ok()?
        .dyn_into::<HtmlTemplateElement>()
        .ok()?;
    template.set_inner_html(html);
    let post = template.content().first_element_child()?;
    let id = post.id();
    let number = id.strip_prefix("post-")?.parse().ok()?;
    match document.get_element_by_id(&id) {
        Some(existing) => {
            let _ = existing.replace_with_with_node_1(&post);
            None
        }
        None if append => {
            let _ = posts.append_child(&post);
            Some(number)
        }
        None => None,
    }
}

/// The name on post `id`, as the page shows it.
fn author_of(id: i64) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let author = document
        .query_selector(&format!("#post-{id} .author"))
        .ok()??;
    author.text_content()
}

/// A click on a post's "Quote" with a passage of that post selected puts
/// just the passage in the reply form, instead of opening the form with
/// the whole post. Listening on the document covers posts that arrived live.
fn quote_selected_passages() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        if quote_selection(&event).is_some() {
            event.prevent_default();
        }
    });
    let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
}

fn quote_selection(event: &web_sys::Event) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let link = event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest("a[data-quote]")
        .ok()??;
    let post = link.get_attribute("data-quote")?;
    let article = document.get_element_by_id(&format!("post-{post}"))?;
    let selection = window.get_selection().ok()??;
    let passage: String = selection.to_string().into();
    let anchor = selection.anchor_node()?;
    if passage.trim().is_empty() || !article.contains(Some(&anchor)) {
        return None;
    }
    let area = document
        .query_selector("#reply textarea[name=body]")
        .ok()??
        .dyn_into::<HtmlTextAreaElement>()
        .ok()?;
    let author = link.get_attribute("data-author").unwrap_or_default();
    let current = area.value();
    let separator = if current.is_empty() || current.ends_with("\n\n") {
        ""
    } else {
        "\n\n"
    };
    let quoted = kring_domain::forum::quote_markdown(&author, &passage);
    area.set_value(&format!("{current}{separator}{quoted}"));
    if let Some(quote_of) = document
        .query_selector("#reply input[name=quote_of]")
        .ok()
        .flatten()
        .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
    {
        quote_of.set_value(&post);
    }
    area.scroll_into_view();
    let _ = area.focus();
    Some(())
}
