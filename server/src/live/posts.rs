//! The posts live connections deliver: loaded once per instance, and rendered
//! and encoded once per look (`PostLook`: whether the reader wrote it, is
//! staff, may post, their zone and language) and framing, so the thousands of
//! readers of one thread share one load and a few encoded events instead of
//! one each. A loaded post holds its
//! author's name: when that changes, or the author is erased (which records
//! no forum event), the instance forgets the posts of theirs it keeps.

use super::sse::Framing;
use app::forum::{post_html, PostLook, PostReader, PostView};
use app::rendered::{kept_or_rendered, Kept, RenderCache};
use axum::body::Bytes;
use kring_db::{Db, DbError, ForumEvent, LiveEvent, PostRecord};
use kring_domain::{PostId, ThreadId, UserId};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::{broadcast, OnceCell};

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

/// A loaded post's event as a look sees it in a framing, by (load, look, framing).
type Frames = Kept<(u64, PostLook, Framing), Bytes>;

/// A post being loaded, or loaded, for one event.
type LoadingPost = Arc<OnceCell<Arc<LoadedPost>>>;
type Loaded = BTreeMap<(PostId, i64), LoadingPost>;

/// Loaded posts by (post, the newest event known for it when it was asked
/// for), and their renderings. A post loaded after its newest event holds
/// every change up to it; a later change has a later event, so a new key,
/// and is loaded afresh. The first connection to need a post loads it; the
/// others wait for that load.
#[derive(Clone)]
pub struct LivePosts {
    loaded: Arc<Mutex<Loaded>>,
    /// Set once this instance listens for changed authors (at its first load).
    listening: Arc<OnceCell<()>>,
    loads: Arc<AtomicU64>,
    markdown: RenderCache,
    frames: Arc<Mutex<Frames>>,
}

impl LivePosts {
    pub fn new(markdown: RenderCache) -> Self {
        LivePosts {
            loaded: Arc::default(),
            listening: Arc::default(),
            loads: Arc::default(),
            markdown,
            frames: Arc::default(),
        }
    }

    /// `event`'s post as `reader` sees it, as an event framed by `framing`.
    pub(super) async fn frame_for(
        &self,
        db: &Db,
        event: &ForumEvent,
        reader: &PostReader,
        framing: Framing,
    ) -> Result<Bytes, DbError> {
        let post = self.load(db, event).await?;
        let look = reader.look_at(&post.record);
        // The key says it all: no source text is compared.
        Ok(kept_or_rendered(
            &self.frames,
            (post.load, look, framing),
            "",
            |(_, look, framing)| {
                let view = PostView::in_look(post.thread, &post.record, &post.html, look);
                framing.post(event.id, &post_html(view, look.language))
            },
        ))
    }

    async fn load(&self, db: &Db, event: &ForumEvent) -> Result<Arc<LoadedPost>, DbError> {
        self.listening
            .get_or_try_init(|| async {
                // Subscribed before anything is loaded: no change can fall in between.
                let events = db.live_events().await?;
                tokio::spawn(forget_changed_authors(Arc::downgrade(&self.loaded), events));
                Ok::<_, DbError>(())
            })
            .await?;
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

/// Forgets the loaded posts of each person whose name changed
/// (`AccessChanged`), and those still loading, which may have read the old
/// name; all of them when someone was erased or changes were missed. Ends
/// with the posts.
async fn forget_changed_authors(
    loaded: Weak<Mutex<Loaded>>,
    mut events: broadcast::Receiver<LiveEvent>,
) {
    loop {
        let changed = match events.recv().await {
            Ok(LiveEvent::AccessChanged(user)) => Some(user),
            Ok(LiveEvent::Forum(_)) => continue,
            Ok(LiveEvent::SomeoneErased) | Err(broadcast::error::RecvError::Lagged(_)) => None,
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let Some(loaded) = loaded.upgrade() else {
            return;
        };
        let mut loaded = loaded
            .lock()
            .expect("the post cache lock is never poisoned");
        forget(&mut loaded, changed);
    }
}

/// Drops the posts `author` wrote (every post when `None`) and those still loading.
fn forget(loaded: &mut Loaded, author: Option<UserId>) {
    loaded.retain(|_, post| {
        post.get()
            .is_some_and(|post| author.is_some_and(|author| post.record.author_id != Some(author)))
    });
}
