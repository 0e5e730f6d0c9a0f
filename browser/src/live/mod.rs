//! The browser's side of live updates (WebAssembly only).
//!
//! All Kring tabs of a browser share one connection (`tab`): the tab holding
//! the `kring-live` Web Lock leads (`leader`). It asks every tab what it
//! follows, opens `/live?topics=…` for all of it and passes each event on over
//! a `BroadcastChannel`; when it closes, the lock passes to another tab, which
//! does the same from where each tab stopped. Without Web Locks (an old
//! browser, or a page served without HTTPS) each tab opens its own stream.
//! `source` is one `EventSource` that reconnects.
//!
//! A tab shows a topic's events only once the leader has said that its
//! connection brings every event after one the tab has already shown (`from`);
//! before that, relayed events could leave a gap behind them. Ids at or below
//! the last one shown are replays and are skipped.
//!
//! Messages on the channel, `|`-separated: `want|tab|topics` and `bye|tab`
//! from a tab to the leader; `who`, `from|topic|after`, `post|id|topic\ndata`,
//! `reload|topic`, `lost|topic` and `down` from the leader.

mod leader;
mod source;
mod tab;

use kring_domain::live::{Connection, Following, LiveTopic};
use source::{Source, SourceEvent};
use std::cell::Cell;
use std::rc::Rc;

/// Pauses between reconnection attempts grow to this.
const LONGEST_PAUSE_MS: u64 = 30_000;

/// Follows `topic` from event `after` on, calling `on_event(id, data)` once per
/// new event and `on_connection` as the connection comes and goes.
pub fn follow(
    topic: LiveTopic,
    after: i64,
    on_connection: impl Fn(Connection) + 'static,
    on_event: impl Fn(i64, String) + 'static,
) {
    let follow = Rc::new(Follow {
        topic,
        last_id: Cell::new(after),
        in_step: Cell::new(false),
        retry_pause_ms: Cell::new(1_000),
        on_connection: Box::new(on_connection),
        on_event: Box::new(on_event),
    });
    match tab::Tab::current() {
        Some(tab) => tab.add(follow),
        None => on_its_own(follow),
    }
}

/// A tab's own single-topic stream, for browsers that cannot share one.
fn on_its_own(follow: Rc<Follow>) {
    follow.in_step.set(true);
    let address = {
        let follow = Rc::clone(&follow);
        move || {
            Some(format!(
                "{}?after={}",
                follow.topic.path(),
                follow.last_id.get()
            ))
        }
    };
    let source = Source::new(address, move |event| match event {
        SourceEvent::Open => (follow.on_connection)(Connection::Live),
        SourceEvent::Down => (follow.on_connection)(Connection::Reconnecting),
        SourceEvent::Message { kind, id, data } => match (kind.as_str(), id) {
            ("post", Some(id)) => follow.show(id, data),
            ("reload", _) => reload(),
            _ => {}
        },
    });
    source.connect();
}

/// More changed than a stream replays: the page shows it all once reloaded.
fn reload() {
    let _ = web_sys::window().map(|window| window.location().reload());
}

/// One live part's topic in this tab.
struct Follow {
    topic: LiveTopic,
    last_id: Cell<i64>,
    /// Whether the connection brings every event after `last_id`.
    in_step: Cell<bool>,
    /// Before asking again for a topic the server refused or ended.
    retry_pause_ms: Cell<u64>,
    on_connection: Box<dyn Fn(Connection)>,
    on_event: Box<dyn Fn(i64, String)>,
}

impl Follow {
    fn following(&self) -> Following {
        Following {
            topic: self.topic,
            after: self.last_id.get(),
        }
    }

    /// Shows an event once: one at or below the last shown is a replay.
    fn show(&self, id: i64, data: String) {
        if self.in_step.get() && id > self.last_id.get() {
            self.last_id.set(id);
            self.retry_pause_ms.set(1_000);
            (self.on_event)(id, data);
        }
    }
}
