//! The forum's islands: a thread's posts arriving live, the "new posts" bar on
//! thread lists, and @mention suggestions while typing.
//!
//! Live updates come as Server-Sent Events from `/live/…` (see the server's
//! `live` module). Each event carries its id; after a dropped connection the
//! island reconnects with growing pauses and asks for everything after the last
//! id it saw, so no post is missed and none is shown twice.

use crate::components::TextArea;
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
}

pub fn live_labels(t: Locale) -> LiveLabels {
    LiveLabels {
        reconnecting: td_string!(t, live_reconnecting).to_owned(),
        new_posts: td_string!(t, live_new_posts).to_owned(),
        new_post: td_string!(t, live_new_post_one).to_owned(),
    }
}

/// Whether the live connection is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Before the WebAssembly has connected (and without it): nothing to say.
    Connecting,
    Live,
    Reconnecting,
}

impl Connection {
    /// As the page's `data-state` says it (end-to-end tests wait on it).
    fn code(self) -> &'static str {
        match self {
            Connection::Connecting => "connecting",
            Connection::Live => "live",
            Connection::Reconnecting => "reconnecting",
        }
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
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            seen::mark(thread, shown);
            stream::open(
                format!("/live/threads/{thread}"),
                after,
                set_connection,
                move |_, html| {
                    if let Some(added) = stream::show_post(&html, append) {
                        seen::mark(thread, added);
                    }
                },
            );
            quoting::quote_selected_passages();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (thread, after, shown, append, set_connection);
    });
    view! {
        <p class="live-status" role="status" aria-live="polite" data-state=move || connection.get().code()>
            {move || (connection.get() == Connection::Reconnecting).then(|| labels.reconnecting.clone())}
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
        stream::open(
            format!("/live/categories/{category}"),
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
mod stream {
    use super::Connection;
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    /// Pauses between reconnection attempts grow to this.
    const LONGEST_PAUSE_MS: u64 = 30_000;
    /// The server pings every 20 s; this long without a word means the
    /// connection died without telling (common on mobile networks).
    const SILENCE_LIMIT_MS: f64 = 50_000.0;

    struct Stream {
        path: String,
        last_id: Cell<i64>,
        pause_ms: Cell<u64>,
        heard_at: Cell<f64>,
        /// Counts connection attempts, so a retry that waited is dropped when
        /// another attempt started meanwhile (the network came back).
        attempt: Cell<u64>,
        source: RefCell<Option<EventSource>>,
        set_connection: WriteSignal<Connection>,
        on_event: Box<dyn Fn(i64, String)>,
    }

    /// Listens to `path` from event `after` on, calling `on_event(id, data)` once per event.
    pub fn open(
        path: String,
        after: i64,
        set_connection: WriteSignal<Connection>,
        on_event: impl Fn(i64, String) + 'static,
    ) {
        let stream = Rc::new(Stream {
            path,
            last_id: Cell::new(after),
            pause_ms: Cell::new(1_000),
            heard_at: Cell::new(js_sys::Date::now()),
            attempt: Cell::new(0),
            source: RefCell::new(None),
            set_connection,
            on_event: Box::new(on_event),
        });
        connect(&stream);
        follow_network(&stream);
        let watched = Rc::clone(&stream);
        set_interval(
            move || {
                if js_sys::Date::now() - watched.heard_at.get() > SILENCE_LIMIT_MS {
                    drop_and_retry(&watched);
                }
            },
            Duration::from_secs(10),
        );
    }

    /// The phone says it lost the network: say so at once rather than after
    /// the silence limit. It says it is back: reconnect now, not after the pause.
    fn follow_network(stream: &Rc<Stream>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let offline = {
            let stream = Rc::clone(stream);
            Closure::<dyn Fn()>::new(move || drop_and_retry(&stream))
        };
        let online = {
            let stream = Rc::clone(stream);
            Closure::<dyn Fn()>::new(move || {
                if let Some(source) = stream.source.borrow_mut().take() {
                    source.close();
                }
                stream.pause_ms.set(1_000);
                connect(&stream);
            })
        };
        let _ =
            window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        offline.forget();
        online.forget();
    }

    fn connect(stream: &Rc<Stream>) {
        stream.attempt.set(stream.attempt.get() + 1);
        stream.heard_at.set(js_sys::Date::now());
        let url = format!("{}?after={}", stream.path, stream.last_id.get());
        let Ok(source) = EventSource::new(&url) else {
            return drop_and_retry(stream);
        };
        let on_post = {
            let stream = Rc::clone(stream);
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                stream.heard_at.set(js_sys::Date::now());
                let id = event.last_event_id().parse::<i64>().unwrap_or(0);
                // Replayed after a reconnect, or delivered twice: shown once.
                if id <= stream.last_id.get() {
                    return;
                }
                stream.last_id.set(id);
                (stream.on_event)(id, event.data().as_string().unwrap_or_default());
            })
        };
        let on_ping = {
            let stream = Rc::clone(stream);
            Closure::<dyn Fn()>::new(move || stream.heard_at.set(js_sys::Date::now()))
        };
        let on_open = {
            let stream = Rc::clone(stream);
            Closure::<dyn Fn()>::new(move || {
                stream.heard_at.set(js_sys::Date::now());
                stream.pause_ms.set(1_000);
                stream.set_connection.set(Connection::Live);
            })
        };
        let on_error = {
            let stream = Rc::clone(stream);
            Closure::<dyn Fn()>::new(move || drop_and_retry(&stream))
        };
        // More changed than a stream replays: the page shows them all once reloaded.
        let on_reload = Closure::<dyn Fn()>::new(move || {
            let _ = web_sys::window().map(|window| window.location().reload());
        });
        let _ = source.add_event_listener_with_callback("post", on_post.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("ping", on_ping.as_ref().unchecked_ref());
        let _ =
            source.add_event_listener_with_callback("reload", on_reload.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The listeners live as long as the page.
        on_post.forget();
        on_ping.forget();
        on_reload.forget();
        on_open.forget();
        on_error.forget();
        *stream.source.borrow_mut() = Some(source);
    }

    /// Closes the connection (the browser's own retry would not say where it
    /// stopped) and opens a new one after a pause that doubles each time.
    fn drop_and_retry(stream: &Rc<Stream>) {
        let Some(source) = stream.source.borrow_mut().take() else {
            return; // A retry is already waiting.
        };
        source.close();
        stream.set_connection.set(Connection::Reconnecting);
        let pause = stream.pause_ms.get();
        stream.pause_ms.set((pause * 2).min(LONGEST_PAUSE_MS));
        let attempt = stream.attempt.get();
        let stream = Rc::clone(stream);
        set_timeout(
            move || {
                if stream.attempt.get() == attempt {
                    connect(&stream);
                }
            },
            Duration::from_millis(pause),
        );
    }

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
