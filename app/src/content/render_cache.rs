//! Rendered unit HTML, kept per (unit, language, revision): a revision never
//! changes, so its HTML never goes stale. Server only.

use kring_domain::Language;

/// Rendered HTML per (unit, language, revision): a revision never changes, so
/// its HTML never goes stale.
type RenderedUnits = std::collections::HashMap<(i64, Language, i64), std::sync::Arc<str>>;

#[derive(Clone, Default)]
pub struct RenderCache(std::sync::Arc<std::sync::Mutex<RenderedUnits>>);

impl RenderCache {
    /// Bounds memory; a full cache starts over rather than tracking recency.
    const MAX_ENTRIES: usize = 2_000;

    pub fn html(
        &self,
        unit: i64,
        language: Language,
        revision: i64,
        markdown: &str,
    ) -> std::sync::Arc<str> {
        let key = (unit, language, revision);
        if let Some(html) = self
            .0
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned())
        {
            return html;
        }
        let html: std::sync::Arc<str> = kring_domain::markdown::render(markdown).into();
        if let Ok(mut cache) = self.0.lock() {
            if cache.len() >= Self::MAX_ENTRIES {
                cache.clear();
            }
            cache.insert(key, html.clone());
        }
        html
    }

    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |cache| cache.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_renders_once_per_revision() {
        let cache = RenderCache::default();
        let first = cache.html(1, Language::En, 1, "*one*");
        assert_eq!(&*first, "<p><em>one</em></p>\n");
        // The same revision comes from the cache even if asked with other text.
        assert_eq!(
            &*cache.html(1, Language::En, 1, "*changed*"),
            "<p><em>one</em></p>\n"
        );
        assert_eq!(
            &*cache.html(1, Language::En, 2, "*two*"),
            "<p><em>two</em></p>\n"
        );
        assert_eq!(cache.len(), 2);
    }
}
