//! The cohort forum: categories per module, cases and general talk, consultation
//! circles, threads whose new posts arrive live, moderation and notifications.
//!
//! Every page is a plain server-rendered page with plain forms, so reading and
//! posting work before (or without) the WebAssembly; the behaviours in
//! `behaviours` add live posts, the connection state and @mention suggestions.
//!
//! Here: the types the browser sees. `access` holds every permission check
//! (server only), `api` the server functions, `pages` the pages, `behaviours`
//! the markup of live posts, the "new posts" bar and @mention suggestions.

#[cfg(feature = "ssr")]
mod access;
mod api;
mod behaviours;
pub use kring_domain::live;
mod pages;

#[cfg(feature = "ssr")]
pub use access::{
    category_access, record_outsider_circle_read, record_outsider_read, PostLook, PostReader,
};
pub use api::*;
pub use behaviours::*;
pub use pages::*;

use crate::components::Pages;
use crate::i18n::*;
use kring_domain::forum::{CircleStatus, ReplyTag};
use serde::{Deserialize, Serialize};

/// Where a post is read: its thread, at the page that holds it.
pub fn post_link(thread: i64, post: i64) -> String {
    format!("/forum/threads/{thread}?post={post}#post-{post}")
}

pub use kring_domain::counted;

/// What a category is about, for its name and its new-thread form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CategoryTopic {
    /// A module's discussion, with the module's title in the reader's language.
    Module {
        module: i64,
        title: String,
    },
    Cases,
    General,
    /// A consultation circle's own category, named after its question.
    Circle {
        circle: i64,
        question: String,
    },
}

impl CategoryTopic {
    pub fn name(&self, t: Locale) -> String {
        match self {
            CategoryTopic::Module { title, .. } => title.clone(),
            CategoryTopic::Cases => td_string!(t, forum_cases).to_owned(),
            CategoryTopic::General => td_string!(t, forum_general).to_owned(),
            CategoryTopic::Circle { question, .. } => question.clone(),
        }
    }

    pub fn description(&self, t: Locale) -> &'static str {
        match self {
            CategoryTopic::Module { .. } => td_string!(t, forum_module_description),
            CategoryTopic::Cases => td_string!(t, forum_cases_description),
            CategoryTopic::General => td_string!(t, forum_general_description),
            CategoryTopic::Circle { .. } => td_string!(t, forum_circle_description),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryEntry {
    pub id: i64,
    pub topic: CategoryTopic,
    pub threads: i64,
    pub unread_threads: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleEntry {
    pub id: i64,
    pub category: i64,
    pub question: String,
    pub capacity: i64,
    pub member_count: i64,
    pub status: CircleStatus,
    pub member: bool,
    /// Members (id, name), for members and facilitators only.
    pub members: Vec<(i64, String)>,
    pub may_read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumView {
    pub cohort: i64,
    pub cohort_name: String,
    pub categories: Vec<CategoryEntry>,
    pub circles: Vec<CircleEntry>,
    pub staff: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadEntry {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub is_case: bool,
    pub pinned: bool,
    pub locked: bool,
    pub replies: i64,
    /// The last activity in the reader's zone and language.
    pub last_activity: String,
    pub unread: i64,
    pub first_unread: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub id: i64,
    pub cohort: i64,
    pub topic: CategoryTopic,
    /// One page of threads, pinned first, then the most recently active.
    pub threads: Vec<ThreadEntry>,
    pub pages: Pages,
    pub may_post: bool,
    /// The newest event: where the "new posts" bar starts counting.
    pub latest_event: i64,
    /// A circle's audit log (when, what), for its members only.
    pub circle_log: Option<Vec<(String, String)>>,
}

/// A case thread's tagged replies, grouped for the case owner: (tag, [(post, author, excerpt)]).
pub type CaseSummary = Vec<(ReplyTag, Vec<(i64, String, String)>)>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: i64,
    pub title: String,
    pub cohort: i64,
    pub category: (i64, String),
    pub is_case: bool,
    /// A case kept for the cohort should its author erase their account.
    pub kept_for_cohort: bool,
    pub pinned: bool,
    pub locked: bool,
    /// One page of posts, oldest first.
    pub posts: Vec<PostView>,
    pub pages: Pages,
    /// Whether a post before this page's first was read (the "new since your
    /// last visit" divider then shows above the first unread post).
    pub read_before: bool,
    pub first_unread: Option<i64>,
    pub may_post: bool,
    pub moderate: bool,
    pub latest_event: i64,
    pub case_summary: CaseSummary,
    /// For facilitators: the categories a thread can move to, (id, name).
    pub move_targets: Vec<(i64, String)>,
    /// The reply form's starting text when quoting: (post, Markdown).
    pub quote: Option<(i64, String)>,
}

/// What became of a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostState {
    Visible,
    /// Removed by its author: its place stays in the thread.
    Removed,
    /// Hidden by a facilitator. The author and facilitators see why, and the text.
    Hidden {
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: i64,
    pub thread: i64,
    pub author: String,
    /// The rendered, sanitised Markdown; `None` when this reader may not see it.
    pub html: Option<String>,
    pub tag: Option<ReplyTag>,
    pub quote_of: Option<i64>,
    /// When it was written, in the reader's zone and language.
    pub when: String,
    pub edited: bool,
    pub state: PostState,
    pub mine: bool,
    /// The reader may quote it in a reply.
    pub may_quote: bool,
    /// The reader wrote it and may still change it.
    pub may_edit: bool,
    pub may_hide: bool,
}

/// A post's current text for its author's edit form, with its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditablePost {
    pub id: i64,
    pub thread: i64,
    pub thread_title: String,
    pub body: String,
}

/// A post's earlier texts, for everyone who may read the thread (as long as
/// the post itself is readable to them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    pub post: PostView,
    /// (text, replaced at), oldest first.
    pub earlier: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationReason {
    Reply,
    Quote,
    Mention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationEntry {
    pub id: i64,
    pub reason: NotificationReason,
    pub actor: String,
    pub thread: i64,
    pub thread_title: String,
    pub post: i64,
    pub when: String,
    /// Not seen before this visit.
    pub new: bool,
}

/// Notifications a page of the list shows.
pub const NOTIFICATIONS_PER_PAGE: i64 = 30;

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_reads_differently_from_every_other_count() {
        for (count, expected) in [
            (0, "0 threads"),
            (1, "1 thread"),
            (2, "2 threads"),
            (21, "21 threads"),
        ] {
            assert_eq!(counted(count, "1 thread", "%count% threads"), expected);
        }
    }
}
