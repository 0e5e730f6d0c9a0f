//! The forum's live parts, as the server renders them: a thread's posts
//! arriving live, the "new posts" bar on thread lists, and @mention
//! suggestions while typing. The browser's small WebAssembly brings them to
//! life (`kring_browser::behaviours`); without it they are a quiet status line
//! and a plain text field.
//!
//! Live updates come as Server-Sent Events over one connection that all of the
//! browser's Kring tabs share. Each event carries its id; after a dropped
//! connection everything after the last id each tab saw is asked for again,
//! so no post is missed and none is shown twice.

use crate::components::TextArea;
use crate::forum::*;
use crate::i18n::*;
use kring_domain::behaviour::{Behaviour, LiveLabels};
use kring_domain::live::Connection;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The live parts' words, in the reader's language (the browser has none of its own).
pub fn live_labels(t: Locale) -> LiveLabels {
    LiveLabels {
        reconnecting: td_string!(t, live_reconnecting).to_owned(),
        new_posts: td_string!(t, live_new_posts).to_owned(),
        new_post: td_string!(t, live_new_post_one).to_owned(),
        post_arrived: td_string!(t, live_post_arrived).to_owned(),
    }
}

/// A thread's status line, which keeps its page current: each post that
/// arrives replaces its older version or, on the thread's last page
/// (`append`), is added after the others, and is marked read; so is the
/// page's last post (`shown`) once the page is up. Loading the page alone
/// marks nothing read.
#[component]
pub fn LiveThread(
    thread: i64,
    after: i64,
    shown: i64,
    append: bool,
    labels: LiveLabels,
) -> impl IntoView {
    let behaviour = Behaviour::LiveThread {
        thread,
        after,
        shown,
        append,
        mark_read: <MarkThreadRead as ServerFn>::PATH.to_owned(),
        labels,
    };
    view! { <LiveStatus behaviour/> }
}

/// On a thread list: counts posts written since the page was loaded and
/// offers to show them.
#[component]
pub fn NewPostsBar(category: i64, after: i64, labels: LiveLabels) -> impl IntoView {
    let behaviour = Behaviour::NewPostsBar {
        category,
        after,
        labels,
    };
    view! {
        <LiveStatus behaviour>
            <a class="new-posts-bar" href="" hidden></a>
        </LiveStatus>
    }
}

/// The status line of a live part: `data-state` says whether its connection
/// is up, `.connection` says so in words while it reconnects, and the hidden
/// text is read out by screen readers as each post arrives.
#[component]
fn LiveStatus(behaviour: Behaviour, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <p class="live-status" role="status" aria-live="polite" data-state=Connection::Connecting.code()
            data-behaviour=behaviour.name() data-props=behaviour.props()>
            {children.map(|children| children())}
            <span class="connection"></span>
            <span class="visually-hidden"></span>
        </p>
    }
}

/// A post's text field that suggests members to @mention as one types. It
/// also keeps what was typed for this tab, so a post the server refuses (too
/// fast, too long) comes back with its text when the form returns with the error.
#[component]
pub fn MentionField(name: String, category: i64, value: String) -> impl IntoView {
    let behaviour = Behaviour::Mentions {
        category,
        suggest: <MentionCandidates as ServerFn>::PATH.to_owned(),
    };
    view! {
        <TextArea name=name text=value attr:rows="6" attr:required=true attr:maxlength="50000"
            attr:data-behaviour=behaviour.name() attr:data-props=behaviour.props()/>
        <ul class="mention-suggestions" role="listbox" hidden></ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviours::named_in;

    fn labels() -> LiveLabels {
        LiveLabels {
            reconnecting: "Reconnecting & \"retrying\" <now>".to_owned(),
            new_posts: "%count% new posts".to_owned(),
            new_post: "1 new post".to_owned(),
            post_arrived: "New post by %name%".to_owned(),
        }
    }

    #[test]
    fn live_parts_name_their_behaviour_with_the_server_functions_they_call() {
        let owner = Owner::new();
        let html = owner.with(|| {
            view! { <LiveThread thread=9 after=120 shown=77 append=true labels=labels()/> }
                .to_html()
        });
        assert_eq!(
            named_in(&html),
            Some(Behaviour::LiveThread {
                thread: 9,
                after: 120,
                shown: 77,
                append: true,
                mark_read: <MarkThreadRead as ServerFn>::PATH.to_owned(),
                labels: labels(),
            })
        );
        assert!(html.contains("data-state=\"connecting\""), "{html}");
        assert!(!html.contains("<now>"), "labels stay escaped: {html}");

        let html =
            owner.with(|| view! { <NewPostsBar category=3 after=5 labels=labels()/> }.to_html());
        assert_eq!(
            named_in(&html),
            Some(Behaviour::NewPostsBar {
                category: 3,
                after: 5,
                labels: labels(),
            })
        );
        let bar = html
            .split("<a ")
            .nth(1)
            .and_then(|tag| tag.split('>').next());
        assert!(
            bar.is_some_and(|tag| tag.contains("hidden") && tag.contains("new-posts-bar")),
            "the bar waits hidden: {html}"
        );

        let html = owner.with(|| {
            view! { <MentionField name="body".to_owned() category=4 value="</textarea><b>".to_owned()/> }
                .to_html()
        });
        assert_eq!(
            named_in(&html),
            Some(Behaviour::Mentions {
                category: 4,
                suggest: <MentionCandidates as ServerFn>::PATH.to_owned(),
            })
        );
        assert!(
            html.contains("&lt;/textarea&gt;&lt;b&gt;</textarea>"),
            "{html}"
        );
        assert!(
            html.contains("class=\"mention-suggestions\"></ul>"),
            "{html}"
        );
    }
}
