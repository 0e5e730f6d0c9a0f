//! The leading tab's connection, for every tab's topics.

use super::source::{Source, SourceEvent};
use crate::timers::{set_interval, Interval};
use kring_domain::live::{self, Following, LiveTopic};
use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// Tabs answering a new leader, or several live parts starting at once, are
/// gathered this long into one connection.
const GATHER_MS: u64 = 60;
/// The leader tells the other tabs it still runs this often (`alive`).
pub const HEARTBEAT_MS: u64 = 5_000;

/// Says a message to every tab, the leading one included.
pub type TellAll = Rc<dyn Fn(&str)>;

pub struct Leader {
    tell_all: TellAll,
    /// What each tab follows, from where. Lists rather than maps: a browser
    /// has a few tabs and at most `MAX_TOPICS` topics, and maps' code would
    /// weigh more in the WebAssembly than these lists ever hold.
    wants: RefCell<Vec<(String, Vec<Following>)>>,
    /// Per topic, the last event passed on; a tab that asks from earlier moves it back.
    last: RefCell<Vec<Following>>,
    /// Where the open connection started each topic.
    opened_with: RefCell<Vec<Following>>,
    source: Rc<Source>,
    heartbeat: RefCell<Option<Interval>>,
}

impl Leader {
    pub fn new(tell_all: TellAll) -> Rc<Leader> {
        let leader = Rc::new_cyclic(|me: &Weak<Leader>| {
            let address = {
                let me = me.clone();
                move || me.upgrade().and_then(|leader| leader.address())
            };
            let me = me.clone();
            Leader {
                tell_all: Rc::clone(&tell_all),
                wants: RefCell::new(Vec::new()),
                last: RefCell::new(Vec::new()),
                opened_with: RefCell::new(Vec::new()),
                source: Source::new(address, move |event| {
                    if let Some(leader) = me.upgrade() {
                        leader.pass_on(event);
                    }
                }),
                heartbeat: RefCell::new(None),
            }
        });
        // Tells the other tabs this one still runs (see `Tab::watch_the_leader`).
        let heartbeat = set_interval(move || tell_all("alive"), HEARTBEAT_MS);
        *leader.heartbeat.borrow_mut() = heartbeat;
        leader
    }

    /// Another tab took the lead: this one's connection and heartbeat end.
    pub fn stop(&self) {
        self.source.close();
        if let Some(heartbeat) = self.heartbeat.borrow_mut().take() {
            heartbeat.clear();
        }
    }

    /// Every wanted topic from its last event passed on: built at each
    /// connection, so a reconnect after a network error misses and repeats nothing.
    fn address(&self) -> Option<String> {
        let following = self.last.borrow().clone();
        let address = (!following.is_empty())
            .then(|| format!("/live?topics={}", live::topics_query(&following)));
        *self.opened_with.borrow_mut() = following;
        address
    }

    pub fn hear(&self, message: &str) {
        let mut parts = message.splitn(3, '|');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("want"), Some(tab), Some(topics)) => {
                if let Some(following) = live::parse_topics(topics) {
                    self.want(tab, following);
                }
            }
            (Some("bye"), Some(tab), None) => self.bye(tab),
            _ => {}
        }
    }

    fn want(&self, tab: &str, following: Vec<Following>) {
        let mut changed = false;
        let mut refused = Vec::new();
        {
            let mut last = self.last.borrow_mut();
            for follow in &following {
                let full = last.len() == live::MAX_TOPICS;
                match last.iter_mut().find(|known| known.topic == follow.topic) {
                    Some(known) if follow.after < known.after => {
                        known.after = follow.after;
                        changed = true;
                    }
                    Some(_) => {}
                    None if full => refused.push(follow.topic),
                    None => {
                        last.push(*follow);
                        changed = true;
                    }
                }
            }
        }
        {
            let mut wants = self.wants.borrow_mut();
            wants.retain(|(known, _)| known != tab);
            wants.push((tab.to_owned(), following.clone()));
        }
        for topic in refused {
            (self.tell_all)(&format!("lost|{topic}"));
        }
        if changed {
            // Closed at once, so nothing more arrives from where the connection stood.
            self.source.close();
            self.source.connect_after(GATHER_MS);
        } else if self.source.is_open() {
            // The connection already brings everything after what was passed on.
            for follow in &following {
                let known = self
                    .last
                    .borrow()
                    .iter()
                    .copied()
                    .find(|known| known.topic == follow.topic);
                if let Some(known) = known {
                    (self.tell_all)(&format!("from|{}|{}", known.topic, known.after));
                }
            }
        }
        // Otherwise the connection is on its way, and says `from` once open.
    }

    fn bye(&self, tab: &str) {
        self.wants.borrow_mut().retain(|(known, _)| known != tab);
        let wanted: Vec<LiveTopic> = self
            .wants
            .borrow()
            .iter()
            .flat_map(|(_, following)| following)
            .map(|f| f.topic)
            .collect();
        let before = self.last.borrow().len();
        self.last
            .borrow_mut()
            .retain(|known| wanted.contains(&known.topic));
        if self.last.borrow().len() != before {
            self.source.close();
            self.source.connect_after(GATHER_MS);
        }
    }

    fn pass_on(&self, event: SourceEvent) {
        match event {
            SourceEvent::Open => {
                let opened_with = self.opened_with.borrow().clone();
                for follow in opened_with {
                    let message = format!("from|{}|{}", follow.topic, follow.after);
                    (self.tell_all)(&message);
                }
            }
            SourceEvent::Down => (self.tell_all)("down"),
            SourceEvent::Message { kind, id, data } => {
                let Some(topic) = data.lines().next().and_then(LiveTopic::parse) else {
                    return;
                };
                match (kind.as_str(), id) {
                    ("post", Some(id)) => {
                        let mut last = self.last.borrow_mut();
                        if let Some(known) = last.iter_mut().find(|known| known.topic == topic) {
                            known.after = known.after.max(id);
                        }
                        drop(last);
                        (self.tell_all)(&format!("post|{id}|{data}"));
                    }
                    ("reload", _) => (self.tell_all)(&format!("reload|{topic}")),
                    ("ended", _) | ("refused", _) => {
                        // Asked for again by its tabs after their pause.
                        self.last.borrow_mut().retain(|known| known.topic != topic);
                        (self.tell_all)(&format!("lost|{topic}"));
                    }
                    _ => {}
                }
            }
        }
    }
}
