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

mod posts;

use crate::AppState;
use app::error::ErrorCode;
use app::forum::live::{self, Following, LiveTopic};
use app::forum::{category_access, record_outsider_read, PostReader};
use app::viewer::{RequestContext, ViewerUser};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{self, Stream, StreamExt};
use kring_db::{Category, Db, DbError, EventKind, ForumEvent, LiveEvent, SessionPolicy};
use kring_domain::forum::ForumAccess;
use kring_domain::{CategoryId, ThreadId, UserId};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

pub use posts::LivePosts;

/// A named event the browser's watchdog hears even when nothing happens, so a
/// connection that died silently (common on mobile networks) is noticed.
const PING_EVERY: Duration = Duration::from_secs(20);
/// How often an open stream checks its reader's session even when nothing
/// announced a change (a session that simply expired).
const RECHECK_EVERY: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
pub struct After {
    after: Option<i64>,
}

/// How many live connections are open on this instance, per person and in
/// all; past either limit a new one is refused.
#[derive(Clone)]
pub struct LiveConnections {
    open: Arc<Mutex<(usize, HashMap<UserId, usize>)>>,
    per_person: usize,
    in_all: usize,
}

/// One open connection; closing it (dropping this) frees its place.
pub struct LivePlace {
    connections: LiveConnections,
    user: UserId,
}

impl LiveConnections {
    pub fn new(per_person: usize, in_all: usize) -> Self {
        LiveConnections {
            open: Arc::default(),
            per_person,
            in_all,
        }
    }

    fn take(&self, user: UserId) -> Option<LivePlace> {
        let mut open = self
            .open
            .lock()
            .expect("the connection count is never poisoned");
        let (total, per_user) = &mut *open;
        let mine = per_user.entry(user).or_default();
        if *mine >= self.per_person || *total >= self.in_all {
            return None;
        }
        *mine += 1;
        *total += 1;
        Some(LivePlace {
            connections: self.clone(),
            user,
        })
    }
}

impl Drop for LivePlace {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .expect("the connection count is never poisoned");
        let (total, per_user) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(mine) = per_user.get_mut(&self.user) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                per_user.remove(&self.user);
            }
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

/// This person's place among the open connections, or the refusal.
fn take_place(state: &AppState, context: &RequestContext) -> Result<LivePlace, ErrorCode> {
    let user = context
        .viewer
        .user
        .as_ref()
        .ok_or(ErrorCode::Unauthenticated)?;
    state
        .live_connections
        .take(user.id)
        .ok_or(ErrorCode::TooManyConnections)
}

/// What a followed topic yields: a post (or a thread id, for a category) with
/// its event id, or the request to reload the page.
enum Delivered {
    Post { id: i64, data: String },
    Reload,
}

impl Delivered {
    /// As a single-topic stream sends it.
    fn event(self) -> Event {
        match self {
            Delivered::Post { id, data } => {
                Event::default().event("post").id(id.to_string()).data(data)
            }
            Delivered::Reload => Event::default().event("reload").data(""),
        }
    }

    /// As a shared connection sends it: the same, with the topic first.
    fn tagged_event(self, topic: LiveTopic) -> Event {
        match self {
            Delivered::Post { id, data } => Event::default()
                .event("post")
                .id(id.to_string())
                .data(live::tagged(topic, &data)),
            Delivered::Reload => Event::default().event("reload").data(topic.to_string()),
        }
    }
}

type Deliveries = Pin<Box<dyn Stream<Item = Delivered> + Send>>;

/// The stream of one topic from event `last` on, once the reader may follow it.
async fn topic_stream(
    state: &AppState,
    context: &RequestContext,
    topic: LiveTopic,
    last: i64,
) -> Result<Deliveries, ErrorCode> {
    match topic {
        LiveTopic::Thread(id) => thread_stream(state, context, id, last).await,
        LiveTopic::Category(id) => category_stream(state, context, id, last).await,
    }
}

/// One topic on its own connection; the connection holds the place.
async fn single_topic(
    state: &AppState,
    context: &RequestContext,
    topic: LiveTopic,
    last: i64,
) -> Result<Response, ErrorCode> {
    let deliveries = topic_stream(state, context, topic, last).await?;
    let place = take_place(state, context)?;
    Ok(sse(deliveries.map(move |delivered| {
        let _held_while_open = &place;
        Ok(delivered.event())
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
        match topic_stream(state, context, topic, after).await {
            Ok(deliveries) => streams.push(
                deliveries
                    .map(move |delivered| delivered.tagged_event(topic))
                    .chain(stream::once(async move {
                        Event::default().event("ended").data(topic.to_string())
                    }))
                    .boxed(),
            ),
            Err(code) => {
                if code == ErrorCode::Internal {
                    tracing::warn!(%topic, "live updates: a topic failed; the others go on");
                }
                first_refusal.get_or_insert(code);
                refused.push(Event::default().event("refused").data(topic.to_string()));
            }
        }
    }
    if streams.is_empty() {
        return Err(first_refusal.unwrap_or(ErrorCode::BadRequest));
    }
    let events = stream::iter(refused).chain(stream::select_all(streams));
    Ok(sse(events.map(move |event| {
        let _held_while_open = &place;
        Ok(event)
    })))
}

async fn thread_stream(
    state: &AppState,
    context: &RequestContext,
    id: i64,
    last: i64,
) -> Result<Deliveries, ErrorCode> {
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
    let delivery = Delivery {
        db,
        posts: state.live_posts.clone(),
        reader: Arc::new(PostReader::new(
            context,
            &subscription.reader.user,
            subscription.reader.access,
            &thread,
        )),
    };
    let catch_up_db = state.db.clone();
    Ok(follow(
        subscription,
        backlog,
        move |event| event.thread == thread_id,
        move |event: ForumEvent| {
            let delivery = delivery.clone();
            async move { delivery.render(&event).await }
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
) -> Result<Deliveries, ErrorCode> {
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
        move |event| event.category == category_id && event.kind == EventKind::Created,
        |event: ForumEvent| async move { Some(event.thread.0.to_string()) },
        created_after,
    )
    .boxed())
}

/// What a thread stream needs to turn an event into its post's HTML for one reader.
#[derive(Clone)]
struct Delivery {
    db: Db,
    posts: LivePosts,
    reader: Arc<PostReader>,
}

impl Delivery {
    async fn render(&self, event: &ForumEvent) -> Option<String> {
        match self.posts.html_for(&self.db, event, &self.reader).await {
            Ok(html) => Some(html.to_string()),
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
/// from the database (`catch_up`) instead of losing events; one that would
/// replay more than `MAX_REPLAY` events is told to reload the page instead. The
/// stream ends as soon as its reader may no longer read.
fn follow<Wanted, Render, Rendered, CatchUp, CaughtUp>(
    subscription: Subscription,
    backlog: Vec<ForumEvent>,
    wanted: Wanted,
    render: Render,
    catch_up: CatchUp,
) -> impl Stream<Item = Delivered> + Send + 'static
where
    Wanted: Fn(&ForumEvent) -> bool + Send + 'static,
    Render: Fn(ForumEvent) -> Rendered + Send + 'static,
    Rendered: Future<Output = Option<String>> + Send,
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
                    return Some((Delivered::Reload, state));
                }
                Next::Deliver => {}
            }
            if let Some(event) = state.pending.pop_front() {
                if event.id <= state.last {
                    continue;
                }
                state.last = event.id;
                // Boxed like `still_allowed`: loading a post is the largest await here.
                let Some(data) = Box::pin((state.render)(event)).await else {
                    continue;
                };
                let id = event.id;
                return Some((Delivered::Post { id, data }, state));
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
