//! Live forum updates over Server-Sent Events.
//!
//! `/live/threads/{id}?after=N` sends every change to a thread after event N
//! (or after the browser's `Last-Event-ID`) as the changed post's HTML for this
//! reader, then each new change as it is committed on any instance.
//! `/live/categories/{id}?after=N` sends the id of each thread that got a new
//! post, for the "new posts" bar. Access is checked once, when the stream opens.

use crate::AppState;
use app::error::{AppError, ErrorCode};
use app::forum::{category_access, post_html, PostReader, PostView};
use app::viewer::{RequestContext, ViewerUser};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{self, Stream};
use kring_db::{Db, DbError, EventKind, ForumEvent, PostRecord};
use kring_domain::forum::ForumAccess;
use kring_domain::{CategoryId, ThreadId};
use serde::Deserialize;
use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, OnceCell};

/// A named event the browser's watchdog hears even when nothing happens, so a
/// connection that died silently (common on mobile networks) is noticed.
const PING_EVERY: Duration = Duration::from_secs(20);
/// Posts kept loaded for the connections that deliver them.
const CACHED_EVENTS: usize = 512;

#[derive(Deserialize)]
pub struct After {
    after: Option<i64>,
}

/// A changed post as loaded once per instance, with its Markdown rendered once:
/// every open connection on the thread shares it.
struct LoadedPost {
    thread: ThreadId,
    record: PostRecord,
    html: String,
}

/// Loaded posts by event id. The first connection to need an event loads it;
/// the others wait for that load instead of querying again.
#[derive(Clone, Default)]
pub struct LivePosts(Arc<Mutex<BTreeMap<i64, LoadingPost>>>);

/// A post being loaded, or loaded, for one event.
type LoadingPost = Arc<OnceCell<Arc<LoadedPost>>>;

impl LivePosts {
    async fn get(&self, db: &Db, event: &ForumEvent) -> Result<Arc<LoadedPost>, DbError> {
        let cell = {
            let mut cache = self
                .0
                .lock()
                .expect("the post cache lock is never poisoned");
            while cache.len() >= CACHED_EVENTS {
                cache.pop_first();
            }
            Arc::clone(cache.entry(event.id).or_default())
        };
        cell.get_or_try_init(|| async {
            let (thread, record) = db.post(event.post).await?;
            let html = kring_domain::markdown::render(&record.body);
            Ok(Arc::new(LoadedPost {
                thread,
                record,
                html,
            }))
        })
        .await
        .cloned()
    }
}

fn refuse(context: &RequestContext, code: ErrorCode) -> Response {
    let error = AppError::new(code, context.viewer.language);
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(error)).into_response()
}

fn storage_failure(context: &RequestContext, error: DbError) -> Response {
    match error {
        DbError::NotFound => refuse(context, ErrorCode::NotFound),
        error => {
            tracing::error!(%error, "live updates: storage failure");
            refuse(context, ErrorCode::Internal)
        }
    }
}

/// Where a stream starts: after the browser's `Last-Event-ID` or `?after=`, whichever is later.
fn start_after(headers: &HeaderMap, after: &After) -> i64 {
    let from_header = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok());
    from_header.max(after.after).unwrap_or(0).max(0)
}

/// Where a stream starts from, for a viewer allowed to read `category`.
struct Subscription {
    user: ViewerUser,
    access: ForumAccess,
    last: i64,
    live: broadcast::Receiver<ForumEvent>,
}

/// Checks that the signed-in viewer may read `category`, then subscribes to
/// live events before the caller reads the backlog, so nothing committed in
/// between is lost.
async fn subscribe(
    db: &Db,
    context: &RequestContext,
    category: &kring_db::Category,
    headers: &HeaderMap,
    after: &After,
) -> Result<Subscription, Response> {
    let Some(user) = context.viewer.user.clone() else {
        return Err(refuse(context, ErrorCode::Unauthenticated));
    };
    let failed = |error| storage_failure(context, error);
    let access = category_access(db, &user, category).await.map_err(failed)?;
    if !access.read {
        return Err(refuse(context, ErrorCode::Forbidden));
    }
    Ok(Subscription {
        user,
        access,
        last: start_after(headers, after),
        live: db.live_events().await.map_err(failed)?,
    })
}

pub async fn thread_events(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
    Query(after): Query<After>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let db = state.db.clone();
    let failed = |error| storage_failure(&context, error);
    let thread = db.thread(ThreadId(id)).await.map_err(failed)?;
    let subscription = subscribe(&db, &context, &thread.category, &headers, &after).await?;
    let backlog = db
        .events_after(thread.id, subscription.last)
        .await
        .map_err(failed)?;
    let delivery = Delivery {
        db,
        posts: state.live_posts.clone(),
        reader: Arc::new(PostReader::new(
            &context,
            &subscription.user,
            subscription.access,
        )),
        language: context.viewer.language,
        thread: thread.id,
    };
    Ok(sse(follow(
        subscription.live,
        backlog.into(),
        subscription.last,
        move |event| event.thread == delivery.thread,
        move |event: ForumEvent| {
            let delivery = delivery.clone();
            async move { delivery.render(&event).await }
        },
        move |after| {
            let db = state.db.clone();
            async move { db.events_after(thread.id, after).await }
        },
    )))
}

pub async fn category_events(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
    Query(after): Query<After>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let db = state.db.clone();
    let failed = |error| storage_failure(&context, error);
    let category = db.category(CategoryId(id)).await.map_err(failed)?;
    let subscription = subscribe(&db, &context, &category, &headers, &after).await?;
    let created_after = move |after| {
        let db = db.clone();
        async move {
            Ok(db
                .category_events_after(category.id, after)
                .await?
                .into_iter()
                .filter(|event| event.kind == EventKind::Created)
                .collect::<Vec<_>>())
        }
    };
    let backlog = created_after(subscription.last).await.map_err(failed)?;
    Ok(sse(follow(
        subscription.live,
        backlog.into(),
        subscription.last,
        move |event| event.category == category.id && event.kind == EventKind::Created,
        |event: ForumEvent| async move { Some(event.thread.0.to_string()) },
        created_after,
    )))
}

/// What a thread stream needs to turn an event into its post's HTML for one reader.
#[derive(Clone)]
struct Delivery {
    db: Db,
    posts: LivePosts,
    reader: Arc<PostReader>,
    language: kring_domain::Language,
    thread: ThreadId,
}

impl Delivery {
    async fn render(&self, event: &ForumEvent) -> Option<String> {
        match self.posts.get(&self.db, event).await {
            Ok(post) => {
                let view =
                    PostView::for_reader(post.thread, &post.record, &post.html, &self.reader);
                Some(post_html(view, self.language))
            }
            Err(error) => {
                tracing::warn!(%error, event = event.id, "live updates: cannot load a post");
                None
            }
        }
    }
}

fn sse(events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Response {
    Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(PING_EVERY)
                .event(Event::default().event("ping")),
        )
        .into_response()
}

/// The backlog, then every live event that `wanted` keeps, in id order and
/// once each. A connection that falls too far behind the broadcast catches up
/// from the database (`catch_up`) instead of losing events.
fn follow<Wanted, Render, Rendered, CatchUp, CaughtUp>(
    live: broadcast::Receiver<ForumEvent>,
    backlog: VecDeque<ForumEvent>,
    last: i64,
    wanted: Wanted,
    render: Render,
    catch_up: CatchUp,
) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static
where
    Wanted: Fn(&ForumEvent) -> bool + Send + 'static,
    Render: Fn(ForumEvent) -> Rendered + Send + 'static,
    Rendered: std::future::Future<Output = Option<String>> + Send,
    CatchUp: Fn(i64) -> CaughtUp + Send + 'static,
    CaughtUp: std::future::Future<Output = Result<Vec<ForumEvent>, DbError>> + Send,
{
    struct Follow<W, R, C> {
        live: broadcast::Receiver<ForumEvent>,
        pending: VecDeque<ForumEvent>,
        last: i64,
        wanted: W,
        render: R,
        catch_up: C,
    }
    let state = Follow {
        live,
        pending: backlog,
        last,
        wanted,
        render,
        catch_up,
    };
    stream::unfold(state, |mut state| async move {
        loop {
            if let Some(event) = state.pending.pop_front() {
                if event.id <= state.last {
                    continue;
                }
                state.last = event.id;
                let Some(data) = (state.render)(event).await else {
                    continue;
                };
                let sent = Event::default()
                    .event("post")
                    .id(event.id.to_string())
                    .data(data);
                return Some((Ok(sent), state));
            }
            match state.live.recv().await {
                Ok(event) => {
                    if event.id > state.last && (state.wanted)(&event) {
                        state.pending.push_back(event);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    match (state.catch_up)(state.last).await {
                        Ok(missed) => state.pending.extend(missed),
                        Err(error) => {
                            tracing::warn!(%error, "live updates: cannot catch up; the browser will reconnect");
                            return None;
                        }
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}
