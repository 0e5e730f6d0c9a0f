//! The forum's islands: a thread's posts arriving live, the "new posts" bar on
//! thread lists, and @mention suggestions while typing.
//!
//! Live updates come as Server-Sent Events over one connection that all of the
//! browser's Kring tabs share (`live_client`). Each event carries its id; after
//! a dropped connection everything after the last id each tab saw is asked for
//! again, so no post is missed and none is shown twice.

use crate::components::TextArea;
use crate::forum::live::Connection;
use crate::forum::*;
use crate::i18n::*;
use leptos::prelude::*;

/// The islands' words, in the reader's language (islands get no server context).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveLabels {
    pub reconnecting: String,
    /// "%count% new posts: show them"
    pub new_posts: String,
    pub new_post: String,
    /// "New post by %name%", for screen readers.
    pub post_arrived: String,
}

pub fn live_labels(t: Locale) -> LiveLabels {
    LiveLabels {
        reconnecting: td_string!(t, live_reconnecting).to_owned(),
        new_posts: td_string!(t, live_new_posts).to_owned(),
        new_post: td_string!(t, live_new_post_one).to_owned(),
        post_arrived: td_string!(t, live_post_arrived).to_owned(),
    }
}

/// Keeps a thread's page current: each event brings one post's HTML for this
/// reader, which replaces the post on the page or, on the thread's last page
/// (`append`), is added after the others. It tells the server what was seen:
/// the page's last post (`shown`) once the page is up, then each post that
/// arrives; loading the page alone marks nothing read.
#[island]
pub fn LiveThread(
    thread: i64,
    after: i64,
    shown: i64,
    append: bool,
    labels: LiveLabels,
) -> impl IntoView {
    let (connection, set_connection) = signal(Connection::Connecting);
    // Read out by screen readers as each post arrives; not shown.
    let (arrived, set_arrived) = signal(String::new());
    let post_arrived = labels.post_arrived.clone();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let post_arrived = post_arrived.clone();
            // Each step in a task of its own: together they were one task
            // long enough to keep a slow phone from answering a tap.
            leptos::task::spawn_local(async move {
                crate::browser::next_task().await;
                seen::mark(thread, shown);
                crate::browser::next_task().await;
                super::live_client::follow(
                    super::live::LiveTopic::Thread(thread),
                    after,
                    set_connection,
                    move |_, html| {
                        if let Some(added) = posts::show_post(&html, append) {
                            seen::mark(thread, added);
                            let author = posts::author_of(added).unwrap_or_default();
                            set_arrived.set(post_arrived.replace("%name%", &author));
                        }
                    },
                );
                crate::browser::next_task().await;
                quoting::quote_selected_passages();
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (
            thread,
            after,
            shown,
            append,
            set_connection,
            set_arrived,
            &post_arrived,
        );
    });
    view! {
        <p class="live-status" role="status" aria-live="polite" data-state=move || connection.get().code()>
            {move || (connection.get() == Connection::Reconnecting).then(|| labels.reconnecting.clone())}
            <span class="visually-hidden">{move || arrived.get()}</span>
        </p>
    }
}

/// On a thread list: counts posts written since the page was loaded and offers
/// to show them.
#[island]
pub fn NewPostsBar(category: i64, after: i64, labels: LiveLabels) -> impl IntoView {
    let (connection, set_connection) = signal(Connection::Connecting);
    let (count, set_count) = signal(0_i64);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        super::live_client::follow(
            super::live::LiveTopic::Category(category),
            after,
            set_connection,
            move |_, _| set_count.update(|count| *count += 1),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (category, after, set_connection, set_count);
    });
    let reconnecting = labels.reconnecting.clone();
    view! {
        <p class="live-status" role="status" aria-live="polite" data-state=move || connection.get().code()>
            {move || (count.get() > 0).then(|| view! {
                <a class="new-posts-bar" href="">{counted(count.get(), &labels.new_post, &labels.new_posts)}</a>
            })}
            {move || (connection.get() == Connection::Reconnecting).then(|| reconnecting.clone())}
        </p>
    }
}

/// A post's text field that suggests members to @mention as one types. It
/// also keeps what was typed for this tab, so a post the server refuses (too
/// fast, too long) comes back with its text when the form returns with the error.
#[island]
pub fn MentionField(name: String, category: i64, value: String) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    let (suggestions, set_suggestions) = signal(Vec::<(String, String)>::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        draft::restore_after_refusal(area);
    });
    let on_input = move |_| {
        #[cfg(feature = "hydrate")]
        draft::keep(area);
        #[cfg(feature = "hydrate")]
        mention::suggest(area, category, set_suggestions);
        #[cfg(not(feature = "hydrate"))]
        let _ = (category, set_suggestions);
    };
    let choose = move |handle: String| {
        #[cfg(feature = "hydrate")]
        mention::insert(area, &handle);
        #[cfg(not(feature = "hydrate"))]
        let _ = handle;
        set_suggestions.set(Vec::new());
    };
    view! {
        <TextArea name=name text=value node_ref=area attr:rows="6" attr:required=true attr:maxlength="50000" on:input=on_input/>
        <ul class="mention-suggestions" role="listbox" hidden=move || suggestions.get().is_empty()>
            {move || suggestions.get().into_iter().map(|(handle, display)| {
                let chosen = handle.clone();
                view! {
                    <li role="option">
                        <button type="button" class="link" on:click=move |_| choose(chosen.clone())>
                            {display} " " <span class="hint">"@" {handle}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[cfg(feature = "hydrate")]
mod posts {
    /// Puts a post's HTML in place of its older version; a post not on the
    /// page goes after the last one when `append` (the thread's last page),
    /// and its id is returned. Posts that belong on other pages are left there.
    pub fn show_post(html: &str, append: bool) -> Option<i64> {
        let document = web_sys::window()?.document()?;
        let posts = document.get_element_by_id("posts")?;
        let id = html
            .split_once("id=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(id, _)| id.to_owned())
            .filter(|id| id.starts_with("post-"))?;
        match document.get_element_by_id(&id) {
            Some(existing) => {
                existing.set_outer_html(html);
                None
            }
            None if append => {
                let _ = posts.insert_adjacent_html("beforeend", html);
                id.trim_start_matches("post-").parse().ok()
            }
            None => None,
        }
    }

    /// The name on post `id`, as the page shows it.
    pub fn author_of(id: i64) -> Option<String> {
        let document = web_sys::window()?.document()?;
        let author = document
            .query_selector(&format!("#post-{id} .author"))
            .ok()??;
        author.text_content()
    }
}

#[cfg(feature = "hydrate")]
mod seen {
    use crate::browser::post_form;
    use leptos::server_fn::ServerFn;

    /// Tells the server the reader has seen `thread` up to `post`.
    pub fn mark(thread: i64, post: i64) {
        if post <= 0 {
            return;
        }
        leptos::task::spawn_local(async move {
            let path = <crate::forum::MarkThreadRead as ServerFn>::PATH;
            let (thread, post) = (thread.to_string(), post.to_string());
            // Unread markers are a convenience: a failure is not worth a word.
            let _ = post_form(path, &[("thread", &thread), ("post", &post)]).await;
        });
    }
}

#[cfg(feature = "hydrate")]
mod quoting {
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

    /// A click on a post's "Quote" with a passage of that post selected puts
    /// just the passage in the reply form, instead of opening the form with
    /// the whole post. Listening on the document covers posts that arrived live.
    pub fn quote_selected_passages() {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            if quote_selection(&event).is_some() {
                event.prevent_default();
            }
        });
        let _ =
            document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
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
}

#[cfg(feature = "hydrate")]
mod draft {
    use leptos::prelude::*;

    fn storage_and_key(area: &web_sys::HtmlTextAreaElement) -> Option<(web_sys::Storage, String)> {
        let window = web_sys::window()?;
        let storage = window.session_storage().ok().flatten()?;
        let path = window.location().pathname().ok()?;
        Some((storage, format!("kring-draft:{path}:{}", area.name())))
    }

    /// Remembers the text for this tab and page.
    pub fn keep(area: NodeRef<leptos::html::Textarea>) {
        let Some(element) = area.get_untracked() else {
            return;
        };
        if let Some((storage, key)) = storage_and_key(&element) {
            let _ = storage.set_item(&key, &element.value());
        }
    }

    /// The server refused the post and sent the form back with its error
    /// (`__err`): put the text back. Any other visit starts afresh.
    pub fn restore_after_refusal(area: NodeRef<leptos::html::Textarea>) {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let Some((storage, key)) = storage_and_key(&element) else {
            return;
        };
        let refused = web_sys::window()
            .and_then(|window| window.location().search().ok())
            .is_some_and(|query| query.contains("__err"));
        match storage.get_item(&key).ok().flatten() {
            Some(text) if refused && element.value().is_empty() => element.set_value(&text),
            _ => {
                let _ = storage.remove_item(&key);
            }
        }
    }
}

#[cfg(feature = "hydrate")]
mod mention {
    use crate::browser::post_form;
    use leptos::prelude::*;
    use leptos::server_fn::ServerFn;

    pub fn suggest(
        area: NodeRef<leptos::html::Textarea>,
        category: i64,
        set_suggestions: WriteSignal<Vec<(String, String)>>,
    ) {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let caret = element.selection_start().ok().flatten().unwrap_or(0);
        let Some((_, prefix)) = kring_domain::forum::mention_being_typed(&element.value(), caret)
        else {
            set_suggestions.set(Vec::new());
            return;
        };
        leptos::task::spawn_local(async move {
            let category = category.to_string();
            let path = <super::MentionCandidates as ServerFn>::PATH;
            let Ok(json) = post_form(path, &[("category", &category), ("prefix", &prefix)]).await
            else {
                return;
            };
            let found = js_sys::JSON::parse(&json)
                .ok()
                .map(|list| js_sys::Array::from(&list))
                .map(|list| {
                    list.iter()
                        .filter_map(|pair| {
                            let pair = js_sys::Array::from(&pair);
                            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            set_suggestions.set(found);
        });
    }

    /// Replaces the `@prefix` before the caret with the chosen `@handle `.
    pub fn insert(area: NodeRef<leptos::html::Textarea>, handle: &str) {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let text = element.value();
        let caret = element.selection_start().ok().flatten().unwrap_or(0);
        let Some((start, prefix)) = kring_domain::forum::mention_being_typed(&text, caret) else {
            return;
        };
        let end = start + 1 + prefix.len();
        let updated = format!("{}@{handle} {}", &text[..start], &text[end..]);
        element.set_value(&updated);
        let caret =
            text[..start].encode_utf16().count() as u32 + handle.encode_utf16().count() as u32 + 2;
        let _ = element.set_selection_range(caret, caret);
        let _ = element.focus();
    }
}
