//! Server-Sent Events as they go on the wire. An event is encoded once into
//! `Bytes`, which every connection that delivers it shares (a post followed by
//! thousands is encoded once per look, not once per connection), and every
//! connection pings at a steady pace, which costs no timer work per event.

use app::forum::live::{self, LiveTopic};
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Interval, MissedTickBehavior};

/// A named event the browser's watchdog hears even when nothing happens, so a
/// connection that died silently (common on mobile networks) is noticed.
const PING_EVERY: Duration = Duration::from_secs(20);

/// How a connection frames a topic's events: a single topic's stream sends
/// the data as it is; a connection shared by several topics names the topic
/// on the data's first line (`live::tagged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    Single,
    Shared(LiveTopic),
}

impl Framing {
    /// A post (or, for a category, a thread id) with its event id.
    pub fn post(self, id: i64, data: &str) -> Bytes {
        match self {
            Framing::Single => encode("post", Some(id), data),
            Framing::Shared(topic) => encode("post", Some(id), &live::tagged(topic, data)),
        }
    }

    /// The request to reload the page (too much to replay).
    pub fn reload(self) -> Bytes {
        match self {
            Framing::Single => encode("reload", None, ""),
            Framing::Shared(topic) => topic_event("reload", topic),
        }
    }
}

/// An event of a shared connection about `topic` itself (`refused`, `ended`).
pub fn topic_event(name: &str, topic: LiveTopic) -> Bytes {
    encode(name, None, &topic.to_string())
}

/// One event: its name, its id if any, and its data, one `data:` field per
/// line. The data field is never left out, even when empty: a browser drops
/// an event without one unheard, as the pings once were.
fn encode(name: &str, id: Option<i64>, data: &str) -> Bytes {
    let mut frame = String::with_capacity(name.len() + data.len() + 32);
    frame.push_str("event: ");
    frame.push_str(name);
    frame.push('\n');
    if let Some(id) = id {
        frame.push_str("id: ");
        frame.push_str(&id.to_string());
        frame.push('\n');
    }
    // The lines as a browser splits them: at CR LF, LF or CR.
    let data = if data.contains('\r') {
        std::borrow::Cow::Owned(data.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(data)
    };
    for line in data.split('\n') {
        frame.push_str("data: ");
        frame.push_str(line);
        frame.push('\n');
    }
    frame.push('\n');
    Bytes::from(frame)
}

/// The response that streams `events`, with a ping every `PING_EVERY`.
pub fn response(events: impl Stream<Item = Bytes> + Send + 'static) -> Response {
    let pinged = Pinged::new(events, PING_EVERY);
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(pinged),
    )
        .into_response()
}

/// `events`, and a ping whenever its steady interval comes round; ends with `events`.
struct Pinged<Events> {
    events: Pin<Box<Events>>,
    ping: Interval,
}

impl<Events> Pinged<Events> {
    fn new(events: Events, every: Duration) -> Self {
        let mut ping = tokio::time::interval_at(Instant::now() + every, every);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Pinged {
            events: Box::pin(events),
            ping,
        }
    }
}

impl<Events: Stream<Item = Bytes>> Stream for Pinged<Events> {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Poll::Ready(event) = this.events.as_mut().poll_next(context) {
            return Poll::Ready(event.map(Ok));
        }
        match this.ping.poll_tick(context) {
            Poll::Ready(_) => Poll::Ready(Some(Ok(Bytes::from_static(b"event: ping\ndata: \n\n")))),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream::{self, StreamExt};

    /// The events a browser dispatches from `stream`, as (name, id, data),
    /// parsed as the HTML standard's EventSource does.
    fn dispatched(stream: &[u8]) -> Vec<(String, Option<String>, String)> {
        let text = std::str::from_utf8(stream).unwrap();
        let mut events = Vec::new();
        let (mut name, mut id, mut data) = (String::new(), None, String::new());
        for line in text.split('\n') {
            if line.is_empty() {
                // An event without data is dropped unheard.
                if !data.is_empty() {
                    data.pop();
                    let kind = if name.is_empty() { "message" } else { &name };
                    events.push((kind.to_owned(), id.clone(), std::mem::take(&mut data)));
                }
                name.clear();
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => name = value.to_owned(),
                "id" => id = Some(value.to_owned()),
                "data" => {
                    data.push_str(value);
                    data.push('\n');
                }
                _ => {}
            }
        }
        events
    }

    fn heard(frame: Bytes) -> (String, Option<String>, String) {
        let mut events = dispatched(&frame);
        assert_eq!(events.len(), 1, "{frame:?}");
        events.remove(0)
    }

    #[test]
    fn a_post_arrives_with_its_id_and_every_line_of_its_data() {
        let html = "<article id=\"post-4\">\n<p>one\n two</p>\n</article>";
        assert_eq!(
            heard(Framing::Single.post(41, html)),
            ("post".into(), Some("41".into()), html.into())
        );
        let topic = LiveTopic::Thread(7);
        assert_eq!(
            heard(Framing::Shared(topic).post(41, html)),
            ("post".into(), Some("41".into()), live::tagged(topic, html))
        );
        // A line break the way a form sends it, or an old Mac wrote it, is one line break.
        assert_eq!(
            heard(Framing::Single.post(2, "a\r\nb\rc\n\nd\r")).2,
            "a\nb\nc\n\nd\n"
        );
        // Text never ends an event or starts a field: it stays inside its `data:` lines.
        assert_eq!(
            heard(Framing::Single.post(3, "x\n\nevent: reload\nid: 9\n")),
            (
                "post".into(),
                Some("3".into()),
                "x\n\nevent: reload\nid: 9\n".into()
            )
        );
    }

    #[test]
    fn events_without_data_are_heard_too() {
        assert_eq!(
            heard(Framing::Single.reload()),
            ("reload".into(), None, String::new())
        );
        let topic = LiveTopic::Category(3);
        assert_eq!(
            heard(Framing::Shared(topic).reload()),
            ("reload".into(), None, "c3".into())
        );
        assert_eq!(
            heard(topic_event("refused", topic)),
            ("refused".into(), None, "c3".into())
        );
        assert_eq!(heard(Framing::Single.post(5, "")).2, "");
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_stream_pings_at_a_steady_pace_and_ends_with_its_events() {
        let (send, receive) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
        let events = stream::unfold(receive, |mut receive| async move {
            receive.recv().await.map(|event| (event, receive))
        });
        let mut pinged = Pinged::new(events, PING_EVERY);
        let started = Instant::now();
        let first = pinged.next().await.unwrap().unwrap();
        assert_eq!(heard(first), ("ping".into(), None, String::new()));
        assert_eq!(started.elapsed(), PING_EVERY);

        // A post in between does not move the next ping.
        tokio::time::advance(Duration::from_secs(5)).await;
        send.send(Framing::Single.post(1, "hello")).unwrap();
        let post = pinged.next().await.unwrap().unwrap();
        assert_eq!(heard(post).2, "hello");
        pinged.next().await.unwrap().unwrap();
        assert_eq!(started.elapsed(), 2 * PING_EVERY);

        drop(send);
        assert!(pinged.next().await.is_none());
    }
}
