//! One `EventSource` that reconnects with growing pauses, notices a
//! connection that died silently and follows the network going and coming.

use super::LONGEST_PAUSE_MS;
use crate::timers::{set_interval, set_timeout};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{EventSource, MessageEvent};

/// The server pings every 20 s; this long without a word means the
/// connection died without telling (common on mobile networks).
const SILENCE_LIMIT_MS: f64 = 50_000.0;
/// The named events a live stream sends besides `ping`.
const EVENT_KINDS: [&str; 4] = ["post", "reload", "ended", "refused"];

/// What an `EventSource` reports.
pub enum SourceEvent {
    Open,
    /// The connection dropped; a new one is on its way.
    Down,
    Message {
        kind: String,
        id: Option<i64>,
        data: String,
    },
}

pub struct Source {
    /// The address to open now (it holds where each topic stopped), or
    /// `None` when there is nothing to follow.
    address: Box<dyn Fn() -> Option<String>>,
    pause_ms: Cell<u64>,
    heard_at: Cell<f64>,
    /// Counts connection attempts and closings, so a retry that waited is
    /// dropped when anything else happened meanwhile.
    attempt: Cell<u64>,
    source: RefCell<Option<EventSource>>,
    watching: Cell<bool>,
    on_event: Box<dyn Fn(SourceEvent)>,
}

impl Source {
    pub fn new(
        address: impl Fn() -> Option<String> + 'static,
        on_event: impl Fn(SourceEvent) + 'static,
    ) -> Rc<Source> {
        Rc::new(Source {
            address: Box::new(address),
            pause_ms: Cell::new(1_000),
            heard_at: Cell::new(js_sys::Date::now()),
            attempt: Cell::new(0),
            source: RefCell::new(None),
            watching: Cell::new(false),
            on_event: Box::new(on_event),
        })
    }

    pub fn is_open(&self) -> bool {
        self.source
            .borrow()
            .as_ref()
            .is_some_and(|source| source.ready_state() == EventSource::OPEN)
    }

    /// Closes the connection and drops any retry that is waiting.
    pub fn close(&self) {
        self.attempt.set(self.attempt.get() + 1);
        if let Some(source) = self.source.borrow_mut().take() {
            source.close();
        }
    }

    /// Opens the connection after `delay_ms`, unless anything else happens first.
    pub fn connect_after(self: &Rc<Self>, delay_ms: u64) {
        self.attempt.set(self.attempt.get() + 1);
        let attempt = self.attempt.get();
        let source = Rc::clone(self);
        set_timeout(
            move || {
                if source.attempt.get() == attempt {
                    source.connect();
                }
            },
            delay_ms,
        );
    }

    pub fn connect(self: &Rc<Self>) {
        self.close();
        self.heard_at.set(js_sys::Date::now());
        if !self.watching.replace(true) {
            self.watch();
        }
        let Some(url) = (self.address)() else {
            return;
        };
        let Ok(source) = EventSource::new(&url) else {
            (self.on_event)(SourceEvent::Down);
            return self.retry_later();
        };
        for kind in EVENT_KINDS {
            let me = Rc::clone(self);
            let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                me.heard_at.set(js_sys::Date::now());
                (me.on_event)(SourceEvent::Message {
                    kind: kind.to_owned(),
                    id: event.last_event_id().parse::<i64>().ok(),
                    data: event.data().as_string().unwrap_or_default(),
                });
            });
            let _ =
                source.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
            listener.forget();
        }
        let on_ping = {
            let me = Rc::clone(self);
            Closure::<dyn Fn()>::new(move || me.heard_at.set(js_sys::Date::now()))
        };
        let on_open = {
            let me = Rc::clone(self);
            Closure::<dyn Fn()>::new(move || {
                me.heard_at.set(js_sys::Date::now());
                me.pause_ms.set(1_000);
                (me.on_event)(SourceEvent::Open);
            })
        };
        let on_error = {
            let me = Rc::clone(self);
            Closure::<dyn Fn()>::new(move || me.drop_and_retry())
        };
        let _ = source.add_event_listener_with_callback("ping", on_ping.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The listeners live as long as the connection's page.
        on_ping.forget();
        on_open.forget();
        on_error.forget();
        *self.source.borrow_mut() = Some(source);
    }

    /// Closes the connection (the browser's own retry would not say where it
    /// stopped) and opens a new one after a pause.
    fn drop_and_retry(self: &Rc<Self>) {
        let Some(source) = self.source.borrow_mut().take() else {
            return; // Closed on purpose, or a retry is already waiting.
        };
        source.close();
        (self.on_event)(SourceEvent::Down);
        self.retry_later();
    }

    /// Reconnects after a pause that doubles each time, up to half a minute.
    fn retry_later(self: &Rc<Self>) {
        let pause = self.pause_ms.get();
        self.pause_ms.set((pause * 2).min(LONGEST_PAUSE_MS));
        self.connect_after(pause);
    }

    /// The watchdog for silent deaths, and the phone's word on its network:
    /// lost, say so at once; back, reconnect now rather than after the pause.
    fn watch(self: &Rc<Self>) {
        let watched = Rc::clone(self);
        set_interval(
            move || {
                if js_sys::Date::now() - watched.heard_at.get() > SILENCE_LIMIT_MS {
                    watched.drop_and_retry();
                }
            },
            10_000,
        );
        let Some(window) = web_sys::window() else {
            return;
        };
        let offline = {
            let me = Rc::clone(self);
            Closure::<dyn Fn()>::new(move || me.drop_and_retry())
        };
        let online = {
            let me = Rc::clone(self);
            Closure::<dyn Fn()>::new(move || {
                me.pause_ms.set(1_000);
                me.connect();
            })
        };
        let _ =
            window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        offline.forget();
        online.forget();
    }
}
