//! Markdown rendered to safe HTML once, not on every view: sanitising it is
//! most of the work of a unit page, and of a thread page with fifty posts.
//! Server only.

use kring_domain::{Language, PostId};
use std::collections::HashMap;
use std::hash::Hash;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

/// Bytes of text and HTML kept per kind; past it a kind starts over, which
/// costs a rendering now and then rather than tracking recency.
const KEPT_BYTES: usize = 16 << 20;

/// Rendered units and posts, shared by every request of the instance.
#[derive(Clone, Default)]
pub struct RenderCache {
    /// Per (unit, language, revision).
    units: Arc<Mutex<Kept<(i64, Language, i64)>>>,
    /// Per post: an edit changes its text, and a new text is rendered anew.
    posts: Arc<Mutex<Kept<PostId>>>,
}

impl RenderCache {
    /// The instance's cache, as the server provides it to every request.
    pub fn provided() -> RenderCache {
        leptos::prelude::use_context().unwrap_or_default()
    }

    /// Revision `revision` of `unit` in `language`, whose text is `markdown`.
    pub fn unit(&self, unit: i64, language: Language, revision: i64, markdown: &str) -> Arc<str> {
        render_once(&self.units, (unit, language, revision), markdown)
    }

    /// `post`, whose text is now `markdown`.
    pub fn post(&self, post: PostId, markdown: &str) -> Arc<str> {
        render_once(&self.posts, post, markdown)
    }
}

fn render_once<Key: Hash + Eq>(kept: &Mutex<Kept<Key>>, key: Key, markdown: &str) -> Arc<str> {
    kept_or_rendered(kept, key, markdown, |_| {
        kring_domain::markdown::render(markdown).into()
    })
}

/// The HTML kept for `key` and `source`, or made by `render` and kept.
/// Rendered outside the lock, which a poisoned lock only skips: other
/// requests go on meanwhile, and at worst two make the same HTML at once.
pub fn kept_or_rendered<Key: Hash + Eq, Made: Output>(
    kept: &Mutex<Kept<Key, Made>>,
    key: Key,
    source: &str,
    render: impl FnOnce(&Key) -> Made,
) -> Made {
    if let Some(html) = kept.lock().ok().and_then(|kept| kept.get(&key, source)) {
        return html;
    }
    let html = render(&key);
    if let Ok(mut kept) = kept.lock() {
        kept.keep(key, source, html.clone());
    }
    html
}

/// What a `Kept` holds: shared text or bytes (HTML as `Arc<str>`, a live
/// post's encoded event as `Bytes`), counted by their length.
pub trait Output: Clone + Deref<Target: AsRef<[u8]>> {}
impl<Made: Clone + Deref<Target: AsRef<[u8]>>> Output for Made {}

/// HTML by key, each with the text it was made from, within `KEPT_BYTES`.
/// It answers only for the very text it was made from, so a changed text is
/// never shown as it was.
pub struct Kept<Key, Made = Arc<str>> {
    html: HashMap<Key, (Box<str>, Made)>,
    bytes: usize,
}

impl<Key, Made> Default for Kept<Key, Made> {
    fn default() -> Self {
        Kept {
            html: HashMap::new(),
            bytes: 0,
        }
    }
}

impl<Key: Hash + Eq, Made: Output> Kept<Key, Made> {
    fn get(&self, key: &Key, source: &str) -> Option<Made> {
        match self.html.get(key) {
            Some((kept_source, html)) if **kept_source == *source => Some(html.clone()),
            _ => None,
        }
    }

    fn keep(&mut self, key: Key, source: &str, html: Made) {
        let size = source.len() + html.as_ref().len();
        if self.bytes + size > KEPT_BYTES {
            self.html.clear();
            self.bytes = 0;
        }
        self.bytes += size;
        if let Some((old_source, old_html)) = self.html.insert(key, (source.into(), html)) {
            self.bytes -= old_source.len() + old_html.as_ref().len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_rendered_once_and_a_changed_text_anew() {
        let cache = RenderCache::default();
        let first = cache.unit(1, Language::En, 1, "*one*");
        assert_eq!(&*first, "<p><em>one</em></p>\n");
        assert!(Arc::ptr_eq(
            &first,
            &cache.unit(1, Language::En, 1, "*one*")
        ));
        assert_eq!(
            &*cache.unit(1, Language::En, 2, "*two*"),
            "<p><em>two</em></p>\n"
        );
        assert_eq!(cache.units.lock().unwrap().html.len(), 2);

        let post = cache.post(PostId(7), "**bold**");
        assert_eq!(&*post, "<p><strong>bold</strong></p>\n");
        assert!(Arc::ptr_eq(&post, &cache.post(PostId(7), "**bold**")));
        // Edited: the new text, never the kept HTML of the old one.
        let edited = cache.post(PostId(7), "plain *now*");
        assert_eq!(&*edited, "<p>plain <em>now</em></p>\n");
        assert_eq!(cache.posts.lock().unwrap().html.len(), 1);
    }

    #[test]
    fn what_is_kept_stays_within_its_bytes() {
        let mut kept = Kept::default();
        let large = "x".repeat(KEPT_BYTES / 6);
        let html: Arc<str> = large.clone().into();
        for key in 0..20 {
            kept.keep(key, &large, Arc::clone(&html));
            assert!(kept.bytes <= KEPT_BYTES, "{}", kept.bytes);
            assert!(kept.html.len() <= 3);
        }
        assert!(kept.get(&19, &large).is_some(), "the newest is kept");
        assert!(kept.get(&19, "other text").is_none());
        // Keeping a key again replaces it, counted once.
        let before = kept.bytes;
        kept.keep(19, "short", "s".into());
        assert_eq!(kept.get(&19, "short").as_deref(), Some("s"));
        assert_eq!(kept.bytes, before - 2 * large.len() + "short".len() + 1);
    }
}
