//! The posts live connections deliver: loaded once per instance, and rendered
//! and encoded once per look (`PostLook`: whether the reader wrote it, is
//! staff, may post, their zone and language) and framing, so the thousands of
//! readers of one thread share one load and a few encoded events instead of
//! one each. A loaded post holds its author's name: when that changes, or the
//! author is erased (which records no forum event), the instance forgets the
//! posts of theirs it keeps.

use super::sse::Framing;
use app::forum::{post_html, PostLook, PostReader, PostView};
use app::rendered::{kept_or_rendered, Kept, RenderCache};
use axum::body::Bytes;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use kring_db::{Db, DbError, ForumEvent, LiveEvent, PostRecord};
use kring_domain::{PostId, ThreadId, UserId};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::{broadcast, OnceCell};
use tokio::time::Instant;

/// Posts kept loaded for the connections that deliver them.
const CACHED_POSTS: usize = 512;
/// A load that failed answers every connection that asks within this long
/// with its failure (each skips the post, and says so in the log), so a post
/// that cannot be loaded costs a query a second, not one per reader.
const RETRY_AFTER: Duration = Duration::from_secs(1);

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

/// Why a post could not be loaded: the database's error, or the load's task failing.
pub(super) type LoadFailed = Arc<dyn std::error::Error + Send + Sync>;
type Loaded = Result<Arc<LoadedPost>, LoadFailed>;
/// A post being loaded, or loaded, for one event: a task of its own, begun
/// by the first connection to ask, which every connection awaits. Each waits
/// with a small handle, not a load of its own, so the thousands that a new
/// post wakes at once hold no query's state while they wait; and the load
/// runs to its end (giving its pooled connection back) even when every
/// connection waiting for it closes.
type Loading = Shared<BoxFuture<'static, Loaded>>;
type Loadings = BTreeMap<(PostId, i64), (Instant, Loading)>;

/// Loaded posts by (post, the newest event known for it when it was asked
/// for), and their renderings. A post loaded after its newest event holds
/// every change up to it; a later change has a later event, so a new key,
/// and is loaded afresh.
#[derive(Clone)]
pub struct LivePosts {
    loaded: Arc<Mutex<Loadings>>,
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
    ) -> Result<Bytes, LoadFailed> {
        if !self.listening.initialized() {
            Box::pin(self.listen(db)).await?;
        }
        let loading = self.loading(db, event);
        let post = match loading.peek() {
            Some(loaded) => loaded.clone(),
            None => loading.await,
        }?;
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

    /// Listens for changed authors, before anything is loaded: no change can fall in between.
    async fn listen(&self, db: &Db) -> Result<(), LoadFailed> {
        self.listening
            .get_or_try_init(|| async {
                let events = db.live_events().await?;
                tokio::spawn(forget_changed_authors(Arc::downgrade(&self.loaded), events));
                Ok::<_, DbError>(())
            })
            .await
            .map(|_| ())
            .map_err(|error| Arc::new(error) as LoadFailed)
    }

    /// The load of `event`'s post, begun now if no one began it (or if the
    /// one begun more than `RETRY_AFTER` ago failed).
    fn loading(&self, db: &Db, event: &ForumEvent) -> Loading {
        let mut loadings = self
            .loaded
            .lock()
            .expect("the post cache lock is never poisoned");
        let key = (event.post, event.id);
        if let Some((began, loading)) = loadings.get(&key) {
            let failed = matches!(loading.peek(), Some(Err(_)));
            if !failed || began.elapsed() < RETRY_AFTER {
                return loading.clone();
            }
        }
        while loadings.len() >= CACHED_POSTS {
            loadings.pop_first();
        }
        let (db, markdown, loads) = (db.clone(), self.markdown.clone(), Arc::clone(&self.loads));
        let post = event.post;
        let load = tokio::spawn(async move {
            let (thread, record) = db.post(post).await?;
            let html = markdown.post(record.id, &record.body);
            Ok::<_, DbError>(Arc::new(LoadedPost {
                load: loads.fetch_add(1, Ordering::Relaxed),
                thread,
                record,
                html,
            }))
        });
        let loading = load
            .map(|ended| match ended {
                Ok(Ok(post)) => Ok(post),
                Ok(Err(error)) => Err(Arc::new(error) as LoadFailed),
                Err(error) => Err(Arc::new(error) as LoadFailed),
            })
            .boxed()
            .shared();
        loadings.insert(key, (Instant::now(), loading.clone()));
        loading
    }
}

/// Forgets the loaded posts of each person whose name changed
/// (`AccessChanged`), and those still loading, which may have read the old
/// name; all of them when someone was erased or changes were missed. Ends
/// with the posts.
async fn forget_changed_authors(
    loaded: Weak<Mutex<Loadings>>,
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
fn forget(loaded: &mut Loadings, author: Option<UserId>) {
    loaded.retain(|_, (_, loading)| {
        matches!(loading.peek(), Some(Ok(post))
            if author.is_some_and(|author| post.record.author_id != Some(author)))
    });
}
