//! What a live connection follows, as the browser asks for it and the server
//! reads it: one connection per browser carries every open tab's threads and
//! thread lists (`/live?topics=t12:40,c3:100`), instead of one connection per
//! tab, which browsers cap at six per host.
//!
//! Each event of such a connection names its topic on the first line of its
//! data (`t12`), the rest being what the single-topic stream sends.

use std::fmt;

/// Topics one connection may follow at once: more tabs than anyone keeps open.
pub const MAX_TOPICS: usize = 32;

/// Whether the live connection is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Before the WebAssembly has connected (and without it): nothing to say.
    Connecting,
    Live,
    Reconnecting,
}

impl Connection {
    /// As the page's `data-state` says it (end-to-end tests wait on it).
    pub fn code(self) -> &'static str {
        match self {
            Connection::Connecting => "connecting",
            Connection::Live => "live",
            Connection::Reconnecting => "reconnecting",
        }
    }
}

/// A thread's posts, or the new threads' posts of a category (the "new posts" bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LiveTopic {
    Thread(i64),
    Category(i64),
}

impl LiveTopic {
    /// `t12` or `c3`.
    pub fn parse(key: &str) -> Option<LiveTopic> {
        let (kind, id) = key.split_at_checked(1)?;
        // Digits only: no sign, no spaces, nothing `parse` would also take.
        if id.is_empty() || id.len() > 18 || !id.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
        match kind {
            "t" => Some(LiveTopic::Thread(id)),
            "c" => Some(LiveTopic::Category(id)),
            _ => None,
        }
    }

    /// The single-topic stream's address, for browsers that cannot share one connection.
    pub fn path(self) -> String {
        match self {
            LiveTopic::Thread(id) => format!("/live/threads/{id}"),
            LiveTopic::Category(id) => format!("/live/categories/{id}"),
        }
    }
}

impl fmt::Display for LiveTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveTopic::Thread(id) => write!(f, "t{id}"),
            LiveTopic::Category(id) => write!(f, "c{id}"),
        }
    }
}

/// A topic and the last event already shown for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Following {
    pub topic: LiveTopic,
    pub after: i64,
}

/// The `topics` parameter for `following`.
pub fn topics_query(following: &[Following]) -> String {
    following
        .iter()
        .map(|follow| format!("{}:{}", follow.topic, follow.after))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a `topics` parameter: one to `MAX_TOPICS` distinct topics, each with
/// a non-negative event id. `None` for anything else.
pub fn parse_topics(query: &str) -> Option<Vec<Following>> {
    let mut following: Vec<Following> = Vec::new();
    for part in query.split(',') {
        let (key, after) = part.split_once(':')?;
        let topic = LiveTopic::parse(key)?;
        if after.is_empty() || after.len() > 18 || !after.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let after = after.parse::<i64>().ok()?;
        if following.iter().any(|known| known.topic == topic) || following.len() == MAX_TOPICS {
            return None;
        }
        following.push(Following { topic, after });
    }
    Some(following)
}

/// An event of a shared connection: its topic, then the single-topic data.
pub fn tagged(topic: LiveTopic, data: &str) -> String {
    format!("{topic}\n{data}")
}

/// The topic and data of a shared connection's event.
pub fn untagged(data: &str) -> Option<(LiveTopic, &str)> {
    let (key, rest) = data.split_once('\n').unwrap_or((data, ""));
    Some((LiveTopic::parse(key)?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_travel_and_come_back_the_same() {
        let following = vec![
            Following {
                topic: LiveTopic::Thread(12),
                after: 40,
            },
            Following {
                topic: LiveTopic::Category(3),
                after: 0,
            },
        ];
        let query = topics_query(&following);
        assert_eq!(query, "t12:40,c3:0");
        assert_eq!(parse_topics(&query), Some(following));
        assert_eq!(LiveTopic::Thread(7).path(), "/live/threads/7");
        assert_eq!(LiveTopic::Category(5).path(), "/live/categories/5");
    }

    #[test]
    fn anything_else_is_refused() {
        let too_many = (1..=MAX_TOPICS as i64 + 1)
            .map(|id| format!("t{id}:0"))
            .collect::<Vec<_>>()
            .join(",");
        let just_enough = (1..=MAX_TOPICS as i64)
            .map(|id| format!("t{id}:0"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            parse_topics(&just_enough).map(|f| f.len()),
            Some(MAX_TOPICS)
        );
        for bad in [
            "",
            ",",
            "t12",
            "t12:",
            ":5",
            "t:5",
            "t0:5",
            "t-3:5",
            "t+3:5",
            "t 3:5",
            "x3:5",
            "T3:5",
            "t3:-1",
            "t3:+1",
            "t3:1.5",
            "t3:1,",
            "t3:1,t3:2",
            "t3:1;c4:2",
            "t99999999999999999999:1",
            "t3:99999999999999999999",
            "é3:1",
            "t٣:1",
            too_many.as_str(),
        ] {
            assert_eq!(parse_topics(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn events_name_their_topic() {
        let html = "<article id=\"post-9\">\n<p>two lines</p></article>";
        let data = tagged(LiveTopic::Thread(4), html);
        assert_eq!(untagged(&data), Some((LiveTopic::Thread(4), html)));
        assert_eq!(
            untagged("c8"),
            Some((LiveTopic::Category(8), "")),
            "an event without data"
        );
        assert_eq!(untagged("<p>no topic</p>"), None);
    }
}
