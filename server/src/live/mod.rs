//! Live forum updates over Server-Sent Events.
//!
//! `/live/threads/{id}?after=N` sends every post of a thread that changed after
//! event N (or after the browser's `Last-Event-ID`) as that post's HTML, as it
//! is now and as this reader may see it, then each new change as it is
//! committed on any instance. `/live/categories/{id}?after=N` sends the id of
//! each thread that got a new post, for the "new posts" bar.
//! `/live?topics=t12:40,c3:100` carries several such streams on one
//! connection, each event naming its topic (see `app::forum::live`): a
//! browser shares it between its tabs, so open threads never use up the six
//! connections a browser keeps per host.
//!
//! Access is checked when a stream opens, and again whenever the reader's
//! sessions, role or memberships change (on any instance) and every minute:
//! a stream that may no longer deliver ends, and its reconnect is refused.

mod places;
mod posts;
mod sse;

use crate::AppState;
use app::error::ErrorCode;
use app::forum::live::{self, Following, LiveTopic};
use app::forum::{category_access, record_outsider_read, PostReader};
use app::viewer::{RequestContext, ViewerUser};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use futures_util::stream::{self, Stream, StreamExt};
use kring_db::{Category, Db, DbError, EventKind, ForumEvent, LiveEvent, SessionPolicy};
use kring_domain::forum::ForumAccess;
use kring_domain::{CategoryId, ThreadId};
use places::take_place;
use serde::Deserialize;
use sse::Framing;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

pub use places::LiveConnections;
pub use posts::LivePosts;

/// How often an open stream checks its reader's session even when nothing
/// announced a change (a session that simply expired).
const RECHECK_EVERY: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
pub struct After {
    after: Option<i64>,
}

/// Where a stream starts: after the browser's `Last-Event-ID` or `?after=`, whichever is later.
fn start_after(headers: &HeaderMap, after: &After) -> i64 {
    let from_header = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok());
    from_header.max(after.after).unwrap_or(0).max(0)
}

/// Who a stream delivers to, and how to tell whether it still may.
#[derive(Clone)]
struct Reader {
    db: Db,
    user: ViewerUser,
    session: String,
    category: Category,
    /// For a thread's stream: the thread, whose category is asked again
    /// (a facilitator may move it somewhere the reader may not read).
    thread: Option<ThreadId>,
    access: ForumAccess,
}

impl Reader {
    /// Whether the session is alive and the person may read where the stream
    /// reads as they could when it opened (a changed role, membership or
    /// category ends the stream: its reconnect starts over with what they
    /// may do now). Asking touches nothing: an open tab keeps no idle
    /// session alive. Boxed: it runs seldom, and its statements would
    /// otherwise swell the state every open stream keeps.
    fn still_allowed(&self) -> Pin<Box<dyn Future<Output = bool> + Send + '_>> {
        Box::pin(self.check_allowed())
    }

    async fn check_allowed(&self) -> bool {
        let Ok(Some((user, role))) = self
            .db
            .session_alive(&self.session, SessionPolicy::DEFAULT)
            .await
        else {
            return false;
        };
        if user != self.user.id || role != self.user.role {
            return false;
        }
        let category = match self.thread {
            Some(thread) => match self.db.thread(thread).await {
                Ok(thread) => thread.category,
                Err(_) => return false,
            },
            None => self.category.clone(),
        };
        category.id == self.category.id
            && matches!(
                category_access(&self.db, &self.user, &category).await,
                Ok(access) if access == self.access
            )
    }
}

/// An allowed reader, subscribed to live events before the caller reads the
/// backlog, so nothing committed in between is lost.
struct Subscription {
    reader: Reader,
    last: i64,
    live: broadcast::Receiver<LiveEvent>,
}

async fn subscribe(
    state: &AppState,
    context: &RequestContext,
    category: Category,
    thread: Option<ThreadId>,
    last: i64,
) -> Result<Subscription, ErrorCode> {
    let (Some(user), Some(session)) = (context.viewer.user.clone(), context.session_token.clone())
    else {
        return Err(ErrorCode::Unauthenticated);
    };
    let access = category_access(&state.db, &user, &category).await?;
    if !access.read {
        return Err(ErrorCode::Forbidden);
    }
    record_outsider_read(&state.db, &user, &category).await?;
    Ok(Subscription {
        reader: Reader {
            db: state.db.clone(),
            user,
            session,
            category,
            thread,
            access,
        },
        last,
        live: state.db.live_events().await?,
    })
}

/// A followed topic's events (each a post, or a thread id for a category,
/// with its event id; or the request to reload the page), encoded.
type Events = Pin<Box<dyn Stream<Item = Bytes> + Send>>;

/// The stream of one topic from event `last` on, once the reader may follow it.
async fn topic_stream(
    state: &AppState,
    context: &RequestContext,
    topic: LiveTopic,
    last: i64,
    framing: Framing,
) -> Result<Events, ErrorCode> {
    match topic {
        LiveTopic::Thread(id) => thread_stream(state, context, id, last, framing).await,
        LiveTopic::Category(id) => category_stream(state, context, id, last, framing).await,
    }
}

/// One topic on its own connection; the connection holds the place.
async fn single_topic(
    state: &AppState,
    context: &RequestContext,
    topic: LiveTopic,
    last: i64,
) -> Result<Response, ErrorCode> {
    let events = topic_stream(state, context, topic, last, Framing::Single).await?;
    let place = take_place(state, context)?;
    Ok(sse::response(events.map(move |event| {
        let _held_while_open = &place;
        event
    })))
}

pub async fn thread_events(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
    Query(after): Query<After>,
    headers: HeaderMap,
) -> Response {
    let last = start_after(&headers, &after);
    context.answer(single_topic(&state, &context, LiveTopic::Thread(id), last).await)
}

pub async fn category_events(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
    Query(after): Query<After>,
    headers: HeaderMap,
) -> Response {
    let last = start_after(&headers, &after);
    context.answer(single_topic(&state, &context, LiveTopic::Category(id), last).await)
}

#[derive(Deserialize)]
pub struct Topics {
    /// Missing reads as empty, refused with the other malformed lists.
    #[serde(default)]
    topics: String,
}

/// Several topics on one connection. A topic the reader may not follow (any
/// more) is announced as `refused` (or `ended`) with its key, and the others go
/// on; when none may be followed the connection is refused as a single one is.
pub async fn shared_events(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Query(topics): Query<Topics>,
) -> Response {
    context.answer(shared_stream(&state, &context, &topics.topics).await)
}

async fn shared_stream(
    state: &AppState,
    context: &RequestContext,
    topics: &str,
) -> Result<Response, ErrorCode> {
    let following = live::parse_topics(topics).ok_or(ErrorCode::BadRequest)?;
    // Before any database work: a person at the limit retries cheaply.
    let place = take_place(state, context)?;
    let mut streams = Vec::new();
    let mut refused = Vec::new();
    let mut first_refusal = None;
    for Following { topic, after } in following {
        match topic_stream(state, context, topic, after, Framing::Shared(topic)).await {
            Ok(events) => streams.push(
                events
                    .chain(stream::once(
                        async move { sse::topic_event("ended", topic) },
                    ))
                    .boxed(),
            ),
            Err(code) => {
                if code == ErrorCode::Internal {
                    tracing::warn!(%topic, "live updates: a topic failed; the others go on");
                }
                first_refusal.get_or_insert(code);
                refused.push(sse::topic_event("refused", topic));
            }
        }
    }
    if streams.is_empty() {
        return Err(first_refusal.unwrap_or(ErrorCode::BadRequest));
    }
    let events = stream::iter(refused).chain(stream::select_all(streams));
    Ok(sse::response(events.map(move |event| {
        let _held_while_open = &place;
        event
    })))
}

async fn thread_stream(
    state: &AppState,
    context: &RequestContext,
    id: i64,
    last: i64,
    framing: Framing,
) -> Result<Events, ErrorCode> {
    let db = state.db.clone();
    let thread = db.thread(ThreadId(id)).await?;
    let thread_id = thread.id;
    let subscription = subscribe(
        state,
        context,
        thread.category.clone(),
        Some(thread_id),
        last,
    )
    .await?;
    let backlog = db.events_after(thread_id, subscription.last).await?;
    let delivery = Arc::new(Delivery {
        db,
        posts: state.live_posts.clone(),
        reader: PostReader::new(
            context,
            &subscription.reader.user,
            subscription.reader.access,
            &thread,
        ),
    });
    let catch_up_db = state.db.clone();
    Ok(follow(
        subscription,
        backlog,
        framing,
        move |event| event.thread == thread_id,
        move |event: ForumEvent| {
            let delivery = Arc::clone(&delivery);
            async move { delivery.frame(&event, framing).await }
        },
        move |after| {
            let db = catch_up_db.clone();
            async move { db.events_after(thread_id, after).await }
        },
    )
    .boxed())
}

async fn category_stream(
    state: &AppState,
    context: &RequestContext,
    id: i64,
    last: i64,
    framing: Framing,
) -> Result<Events, ErrorCode> {
    let db = state.db.clone();
    let category = db.category(CategoryId(id)).await?;
    let category_id = category.id;
    let subscription = subscribe(state, context, category, None, last).await?;
    let created_after = move |after| {
        let db = db.clone();
        async move { db.category_events_after(category_id, after).await }
    };
    let backlog = created_after(subscription.last).await?;
    Ok(follow(
        subscription,
        backlog,
        framing,
        move |event| event.category == category_id && event.kind == EventKind::Created,
        move |event: ForumEvent| async move {
            Some(framing.post(event.id, &event.thread.0.to_string()))
        },
        created_after,
    )
    .boxed())
}

/// What a thread stream needs to turn an event into its post's event for one
/// reader. Shared by the stream's deliveries as one `Arc`: cloning each part
/// for every delivery would touch as many counters that every connection on
/// every core shares.
struct Delivery {
    db: Db,
    posts: LivePosts,
    reader: PostReader,
}

impl Delivery {
    async fn frame(&self, event: &ForumEvent, framing: Framing) -> Option<Bytes> {
        match self
            .posts
            .frame_for(&self.db, event, &self.reader, framing)
            .await
        {
            Ok(frame) => Some(frame),
            Err(error) => {
                tracing::warn!(%error, event = event.id, "live updates: cannot load a post");
                None
            }
        }
    }
}

/// The backlog, then every live event that `wanted` keeps, in id order and
/// once each, as `render` encodes it. A connection that falls too far behind the broadcast catches up
/// from the database (`catch_up`) instead of losing events; one that would
/// replay more than `MAX_REPLAY` events is told to reload the page instead. The
/// stream ends as soon as its reader may no longer read.
fn follow<Wanted, Render, Rendered, CatchUp, CaughtUp>(
    subscription: Subscription,
    backlog: Vec<ForumEvent>,
    framing: Framing,
    wanted: Wanted,
    render: Render,
    catch_up: CatchUp,
) -> impl Stream<Item = Bytes> + Send + 'static
where
    Wanted: Fn(&ForumEvent) -> bool + Send + 'static,
    Render: Fn(ForumEvent) -> Rendered + Send + 'static,
    Rendered: Future<Output = Option<Bytes>> + Send,
    CatchUp: Fn(i64) -> CaughtUp + Send + 'static,
    CaughtUp: Future<Output = Result<Vec<ForumEvent>, DbError>> + Send,
{
    /// Where a stream stands.
    enum Next {
        Deliver,
        /// Too much to replay: the page reloads, then listens from its newest event.
        Reload,
        Ended,
    }
    struct Follow<W, R, C> {
        live: broadcast::Receiver<LiveEvent>,
        reader: Reader,
        pending: VecDeque<ForumEvent>,
        last: i64,
        next: Next,
        framing: Framing,
        /// One timer for the stream's life: a new one for each wait would
        /// register and remove a timer per delivered event.
        recheck: Pin<Box<tokio::time::Sleep>>,
        wanted: W,
        render: R,
        catch_up: C,
    }
    let too_much = backlog.len() as i64 > kring_db::MAX_REPLAY;
    let state = Follow {
        live: subscription.live,
        reader: subscription.reader,
        pending: backlog.into(),
        last: subscription.last,
        next: if too_much {
            Next::Reload
        } else {
            Next::Deliver
        },
        framing,
        recheck: Box::pin(tokio::time::sleep(RECHECK_EVERY)),
        wanted,
        render,
        catch_up,
    };
    stream::unfold(state, |mut state| async move {
        loop {
            match state.next {
                Next::Ended => return None,
                Next::Reload => {
                    state.next = Next::Ended;
                    return Some((state.framing.reload(), state));
                }
                Next::Deliver => {}
            }
            if let Some(event) = state.pending.pop_front() {
                if event.id <= state.last {
                    continue;
                }
                state.last = event.id;
                // Boxed like `still_allowed`: loading a post is the largest await here.
                let Some(frame) = Box::pin((state.render)(event)).await else {
                    continue;
                };
                return Some((frame, state));
            }
            let heard = tokio::select! {
                heard = state.live.recv() => Ok(heard),
                () = state.recheck.as_mut() => Err(()),
            };
            match heard {
                Ok(Ok(LiveEvent::Forum(event))) => {
                    if event.id > state.last && (state.wanted)(&event) {
                        // A thread that moved to another category is read there
                        // only by whoever may read that one.
                        if event.category != state.reader.category.id
                            && !state.reader.still_allowed().await
                        {
                            return None;
                        }
                        state.pending.push_back(event);
                    }
                }
                // The erased person's own streams end with their sessions.
                Ok(Ok(LiveEvent::SomeoneErased)) => {}
                Ok(Ok(LiveEvent::AccessChanged(user))) => {
                    if user == state.reader.user.id && !state.reader.still_allowed().await {
                        return None;
                    }
                }
                Err(_a_minute_passed) => {
                    if !state.reader.still_allowed().await {
                        return None;
                    }
                    state
                        .recheck
                        .as_mut()
                        .reset(tokio::time::Instant::now() + RECHECK_EVERY);
                }
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => {
                    // Changes of access may be among the missed: check now.
                    if !state.reader.still_allowed().await {
                        return None;
                    }
                    match Box::pin((state.catch_up)(state.last)).await {
                        Ok(missed) if missed.len() as i64 > kring_db::MAX_REPLAY => {
                            state.next = Next::Reload;
                        }
                        Ok(missed) => state.pending.extend(missed),
                        Err(error) => {
                            tracing::warn!(%error, "live updates: cannot catch up; the browser will reconnect");
                            return None;
                        }
                    }
                }
                Ok(Err(broadcast::error::RecvError::Closed)) => return None,
            }
        }
    })
}
