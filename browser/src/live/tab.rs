//! This tab's end of the channel: its follows, what it tells the leader and
//! what it hears from it, and the wait for the lead.

use super::leader::{Leader, HEARTBEAT_MS};
use super::{reload, Follow, LONGEST_PAUSE_MS};
use crate::timers::{set_interval, set_timeout};
use kring_domain::live::{self, Connection, Following, LiveTopic};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{BroadcastChannel, MessageEvent};

const LOCK_NAME: &str = "kring-live";
const CHANNEL_NAME: &str = "kring-live";
/// A visible tab that heard nothing from it for this long takes the lead
/// over: a leader in a frozen background tab (phones freeze them) would
/// otherwise keep the lock and the other tabs would wait forever.
const LEADER_SILENCE_MS: f64 = 15_000.0;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks.request(name, callback)`: the callback runs once this
    /// tab holds the lock, which it keeps until the promise it returns settles.
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn request_lock(name: &str, callback: &js_sys::Function) -> Result<js_sys::Promise, JsValue>;

    /// The same with options: `{ steal: true }` takes the lock from its holder,
    /// whose own request then fails.
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn request_lock_with(
        name: &str,
        options: &js_sys::Object,
        callback: &js_sys::Function,
    ) -> Result<js_sys::Promise, JsValue>;
}

pub struct Tab {
    pub id: String,
    channel: BroadcastChannel,
    follows: RefCell<Vec<Rc<Follow>>>,
    leader: RefCell<Option<Rc<Leader>>>,
    heard_from_leader_at: Cell<f64>,
}

thread_local! {
    static TAB: RefCell<Option<Rc<Tab>>> = const { RefCell::new(None) };
}

impl Tab {
    /// This tab, joined to the others on first use; `None` where the browser
    /// cannot share a connection.
    pub fn current() -> Option<Rc<Tab>> {
        if let Some(tab) = TAB.with(|tab| tab.borrow().clone()) {
            return Some(tab);
        }
        let window = web_sys::window()?;
        let has = |target: &JsValue, name: &str| {
            js_sys::Reflect::get(target, &JsValue::from_str(name))
                .is_ok_and(|value| !value.is_undefined())
        };
        if !has(&window.navigator(), "locks") || !has(&window, "BroadcastChannel") {
            return None;
        }
        let tab = Rc::new(Tab {
            id: format!("{:x}", (js_sys::Math::random() * 1e15) as u64),
            channel: BroadcastChannel::new(CHANNEL_NAME).ok()?,
            follows: RefCell::new(Vec::new()),
            leader: RefCell::new(None),
            heard_from_leader_at: Cell::new(js_sys::Date::now()),
        });
        let listener = {
            let tab = Rc::clone(&tab);
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(message) = event.data().as_string() {
                    tab.hear(&message);
                }
            })
        };
        tab.channel
            .set_onmessage(Some(listener.as_ref().unchecked_ref()));
        listener.forget();
        Tab::say_goodbye_on_leaving(&tab, &window);
        Tab::request_the_lead(&tab, false)?;
        Tab::watch_the_leader(&tab);
        TAB.with(|slot| *slot.borrow_mut() = Some(Rc::clone(&tab)));
        Some(tab)
    }

    /// Asks for the lock (or, with `steal`, takes it). Holding it, this tab
    /// leads until it closes; when another tab takes it over, this one stops
    /// leading and waits for the lock again.
    fn request_the_lead(tab: &Rc<Tab>, steal: bool) -> Option<()> {
        let leading = {
            let tab = Rc::clone(tab);
            Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |_lock| {
                if let Some(old) = tab.leader.borrow_mut().take() {
                    old.stop();
                }
                let everyone = Rc::clone(&tab);
                *tab.leader.borrow_mut() = Some(Leader::new(Rc::new(move |message: &str| {
                    everyone.tell_all(message)
                })));
                // Every tab answers with what it follows, this one too.
                tab.tell_all("who");
                // Held for the tab's life: the lock passes on when it closes.
                js_sys::Promise::new(&mut |_, _| {})
            })
        };
        let request = if steal {
            let options = js_sys::Object::new();
            js_sys::Reflect::set(&options, &"steal".into(), &JsValue::TRUE).ok()?;
            request_lock_with(LOCK_NAME, &options, leading.as_ref().unchecked_ref())
        } else {
            request_lock(LOCK_NAME, leading.as_ref().unchecked_ref())
        };
        leading.forget();
        // Settles only when the lock is taken away (or given up, with the tab).
        let taken_away = {
            let tab = Rc::clone(tab);
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                if let Some(old) = tab.leader.borrow_mut().take() {
                    old.stop();
                }
                // The new leader may have asked while this tab still led: tell it now.
                for follow in tab.follows.borrow().iter() {
                    follow.in_step.set(false);
                }
                tab.announce();
                let _ = Tab::request_the_lead(&tab, false);
            })
        };
        let _ = request.ok()?.catch(&taken_away);
        taken_away.forget();
        Some(())
    }

    /// A visible tab whose leader went silent takes the lead over.
    fn watch_the_leader(tab: &Rc<Tab>) {
        let tab = Rc::clone(tab);
        set_interval(
            move || {
                let visible = web_sys::window()
                    .and_then(|window| window.document())
                    .is_some_and(|document| {
                        document.visibility_state() == web_sys::VisibilityState::Visible
                    });
                let silent =
                    js_sys::Date::now() - tab.heard_from_leader_at.get() > LEADER_SILENCE_MS;
                if visible
                    && silent
                    && tab.leader.borrow().is_none()
                    && !tab.follows.borrow().is_empty()
                {
                    tab.heard_from_leader_at.set(js_sys::Date::now());
                    let _ = Tab::request_the_lead(&tab, true);
                }
            },
            HEARTBEAT_MS,
        );
    }

    /// A tab that goes away (or into the back-forward cache) stops wanting its
    /// topics; one that comes back from that cache wants them again.
    fn say_goodbye_on_leaving(tab: &Rc<Tab>, window: &web_sys::Window) {
        let leaving = {
            let tab = Rc::clone(tab);
            Closure::<dyn Fn()>::new(move || tab.tell_leader(&format!("bye|{}", tab.id)))
        };
        let back = {
            let tab = Rc::clone(tab);
            Closure::<dyn Fn()>::new(move || tab.announce())
        };
        let _ =
            window.add_event_listener_with_callback("pagehide", leaving.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("pageshow", back.as_ref().unchecked_ref());
        leaving.forget();
        back.forget();
    }

    pub fn add(self: &Rc<Self>, follow: Rc<Follow>) {
        self.follows.borrow_mut().push(follow);
        self.announce();
    }

    /// Tells the leader what this tab follows, from where.
    fn announce(&self) {
        let following: Vec<Following> = self
            .follows
            .borrow()
            .iter()
            .map(|f| f.following())
            .collect();
        if !following.is_empty() {
            let message = format!("want|{}|{}", self.id, live::topics_query(&following));
            self.tell_leader(&message);
        }
    }

    /// To the leader: over the channel, or at once when this tab leads.
    fn tell_leader(&self, message: &str) {
        let leader = self.leader.borrow().clone();
        match leader {
            Some(leader) => leader.hear(message),
            None => {
                let _ = self.channel.post_message(&JsValue::from_str(message));
            }
        }
    }

    /// From the leader to every tab, this one included.
    pub fn tell_all(self: &Rc<Self>, message: &str) {
        let _ = self.channel.post_message(&JsValue::from_str(message));
        self.hear(message);
    }

    fn hear(self: &Rc<Self>, message: &str) {
        let (kind, rest) = message.split_once('|').unwrap_or((message, ""));
        if !matches!(kind, "want" | "bye") {
            self.heard_from_leader_at.set(js_sys::Date::now());
        }
        match kind {
            "who" => {
                // A new leader, so a new connection: each topic waits for its word.
                for follow in self.follows.borrow().iter() {
                    follow.in_step.set(false);
                }
                self.announce();
            }
            "want" | "bye" => {
                let leader = self.leader.borrow().clone();
                if let Some(leader) = leader {
                    leader.hear(message);
                }
            }
            "from" => {
                let Some((topic, after)) = rest.split_once('|') else {
                    return;
                };
                let (Some(topic), Ok(after)) = (LiveTopic::parse(topic), after.parse::<i64>())
                else {
                    return;
                };
                for follow in self.follows_of(topic) {
                    if after <= follow.last_id.get() {
                        follow.in_step.set(true);
                    }
                    if follow.in_step.get() {
                        (follow.on_connection)(Connection::Live);
                    }
                }
            }
            "post" => {
                let Some((id, tagged)) = rest.split_once('|') else {
                    return;
                };
                let (Ok(id), Some((topic, data))) = (id.parse::<i64>(), live::untagged(tagged))
                else {
                    return;
                };
                for follow in self.follows_of(topic) {
                    follow.show(id, data.to_owned());
                }
            }
            "reload" => {
                // Only a tab that waits for events from before the others' is
                // that far behind; the others hear `lost` and ask again.
                let Some(topic) = LiveTopic::parse(rest) else {
                    return;
                };
                if self.follows_of(topic).iter().any(|f| !f.in_step.get()) {
                    reload();
                }
            }
            "lost" => {
                if let Some(topic) = LiveTopic::parse(rest) {
                    for follow in self.follows_of(topic) {
                        follow.in_step.set(false);
                        (follow.on_connection)(Connection::Reconnecting);
                        self.ask_again_later(&follow);
                    }
                }
            }
            "down" => {
                for follow in self.follows.borrow().iter() {
                    (follow.on_connection)(Connection::Reconnecting);
                }
            }
            _ => {}
        }
    }

    fn follows_of(&self, topic: LiveTopic) -> Vec<Rc<Follow>> {
        self.follows
            .borrow()
            .iter()
            .filter(|follow| follow.topic == topic)
            .cloned()
            .collect()
    }

    /// A topic the server refused or ended (a changed permission, a session
    /// that ran out): asked for again after a pause that doubles each time.
    fn ask_again_later(self: &Rc<Self>, follow: &Follow) {
        let pause = follow.retry_pause_ms.get();
        follow.retry_pause_ms.set((pause * 2).min(LONGEST_PAUSE_MS));
        let tab = Rc::clone(self);
        set_timeout(move || tab.announce(), pause);
    }
}
