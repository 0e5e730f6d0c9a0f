//! The posts live connections deliver: loaded once per instance, and rendered
//! once per look (`PostLook`: whether the reader wrote it, is staff, may post,
//! their zone and language), so the thousands of readers of one thread share
//! one load and a few renderings instead of one each.

use app::forum::{post_html, PostLook, PostReader, PostView};
use app::rendered::{kept_or_rendered, Kept, RenderCache};
use kring_db::{Db, DbError, ForumEvent, PostRecord};
use kring_domain::{PostId, ThreadId};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Posts kept loaded for the connections that deliver them.
const CACHED_POSTS: usize = 512;

/// A changed post as loaded once per instance, with its Markdown rendered.
struct LoadedPost {
    /// Which load this is: renderings are kept per load, so none outlives
    /// the record it was made from (a later load of the same event, after
    /// this one left the cache, may find a renamed or erased author).
    load: u64,
    thread: ThreadId,
    record: PostRecord,
    html: Arc<str>,
}

/// A post being loaded, or loaded, for one event.
type LoadingPost = Arc<OnceCell<Arc<LoadedPost>>>;

/// Loaded posts by (post, the newest event known for it when it was asked
/// for), and their renderings. A post loaded after its newest event holds
/// every change up to it; a later change has a later event, so a new key,
/// and is loaded afresh. The first connection to need a post loads it; the
/// others wait for that load.
#[derive(Clone)]
pub struct LivePosts {
    loaded: Arc<Mutex<BTreeMap<(PostId, i64), LoadingPost>>>,
    loads: Arc<AtomicU64>,
    markdown: RenderCache,
    /// Each loaded post as each look sees it, by (load, look).
    looks: Arc<Mutex<Kept<(u64, PostLook)>>>,
}

impl LivePosts {
    pub fn new(markdown: RenderCache) -> Self {
        LivePosts {
            loaded: Arc::default(),
            loads: Arc::default(),
            markdown,
            looks: Arc::default(),
        }
    }

    /// `event`'s post as `reader` sees it.
    pub async fn html_for(
        &self,
        db: &Db,
        event: &ForumEvent,
        reader: &PostReader,
    ) -> Result<Arc<str>, DbError> {
        let post = self.load(db, event).await?;
        let look = reader.look_at(&post.record);
        // The key says it all: no source text is compared.
        Ok(kept_or_rendered(
            &self.looks,
            (post.load, look),
            "",
            |(_, look)| {
                let view = PostView::in_look(post.thread, &post.record, &post.html, look);
                post_html(view, look.language)
            },
        ))
    }

    async fn load(&self, db: &Db, event: &ForumEvent) -> Result<Arc<LoadedPost>, DbError> {
        let cell = {
            let mut loaded = self
                .loaded
                .lock()
                .expect("the post cache lock is never poisoned");
            while loaded.len() >= CACHED_POSTS {
                loaded.pop_first();
            }
            Arc::clone(loaded.entry((event.post, event.id)).or_default())
        };
        cell.get_or_try_init(|| async {
            let (thread, record) = db.post(event.post).await?;
            let html = self.markdown.post(record.id, &record.body);
            Ok(Arc::new(LoadedPost {
                load: self.loads.fetch_add(1, Ordering::Relaxed),
                thread,
                record,
                html,
            }))
        })
        .await
        .cloned()
    }
}
