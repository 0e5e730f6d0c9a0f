//! The behaviours of a server-rendered page: its small interactive parts (live
//! posts, the "new posts" bar, @mention suggestions, the browser's time zone,
//! "you saw this"), which the reading pages' small WebAssembly (`behaviours/`,
//! no Leptos in it) brings to life. The server names each on its element
//! (`data-behaviour`) with what it needs (`data-props`); both sides write and
//! read them here, so the names and the format have one home.

/// The attribute naming an element's behaviour.
pub const NAME_ATTRIBUTE: &str = "data-behaviour";
/// The attribute holding what the behaviour needs, as `Behaviour::props` writes it.
pub const PROPS_ATTRIBUTE: &str = "data-props";

/// The words the live behaviours show, in the reader's language (the browser
/// has no translations of its own).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveLabels {
    pub reconnecting: String,
    /// "%count% new posts: show them"
    pub new_posts: String,
    pub new_post: String,
    /// "New post by %name%", for screen readers.
    pub post_arrived: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// On a thread's status line: its posts arrive live. Each replaces the post
    /// on the page or, on the thread's last page (`append`), is added after the
    /// others; the page's last post (`shown`), then each arrival, is marked
    /// read through the server function at `mark_read`.
    LiveThread {
        thread: i64,
        after: i64,
        shown: i64,
        append: bool,
        mark_read: String,
        labels: LiveLabels,
    },
    /// On a thread list's status line: counts the posts written since the page
    /// was loaded and offers to show them.
    NewPostsBar {
        category: i64,
        after: i64,
        labels: LiveLabels,
    },
    /// On a post's text field: suggests members of `category` to @mention
    /// (asking the server function at `suggest`), and keeps the text for this
    /// tab should the server refuse the post.
    Mentions { category: i64, suggest: String },
    /// For a visitor whose zone the server does not know: keeps the browser's
    /// zone in a cookie and reloads once, so every page arrives in local time.
    ZoneCookie,
    /// On a time-zone field: puts the browser's own zone in it.
    BrowserZone,
    /// Posts `fields` to the server function at `action` once the page is on
    /// screen: loading a page changes nothing by itself.
    ReportSeen {
        action: String,
        fields: Vec<(String, String)>,
    },
}

impl Behaviour {
    /// The `data-behaviour` value.
    pub fn name(&self) -> &'static str {
        match self {
            Behaviour::LiveThread { .. } => "live-thread",
            Behaviour::NewPostsBar { .. } => "new-posts",
            Behaviour::Mentions { .. } => "mentions",
            Behaviour::ZoneCookie => "zone-cookie",
            Behaviour::BrowserZone => "browser-zone",
            Behaviour::ReportSeen { .. } => "report-seen",
        }
    }

    /// The `data-props` value: `name=value` pairs joined by `&`.
    pub fn props(&self) -> String {
        let number = |value: &i64| value.to_string();
        let mut pairs: Vec<(&str, String)> = match self {
            Behaviour::LiveThread {
                thread,
                after,
                shown,
                append,
                mark_read,
                ..
            } => vec![
                ("thread", number(thread)),
                ("after", number(after)),
                ("shown", number(shown)),
                ("append", append.to_string()),
                ("mark_read", mark_read.clone()),
            ],
            Behaviour::NewPostsBar {
                category, after, ..
            } => vec![("category", number(category)), ("after", number(after))],
            Behaviour::Mentions { category, suggest } => {
                vec![("category", number(category)), ("suggest", suggest.clone())]
            }
            Behaviour::ZoneCookie | Behaviour::BrowserZone => Vec::new(),
            Behaviour::ReportSeen { action, fields } => std::iter::once(("action", action.clone()))
                .chain(
                    fields
                        .iter()
                        .map(|(name, value)| (name.as_str(), value.clone())),
                )
                .collect(),
        };
        if let Behaviour::LiveThread { labels, .. } | Behaviour::NewPostsBar { labels, .. } = self {
            pairs.extend([
                ("reconnecting", labels.reconnecting.clone()),
                ("new_posts", labels.new_posts.clone()),
                ("new_post", labels.new_post.clone()),
                ("post_arrived", labels.post_arrived.clone()),
            ]);
        }
        pairs
            .iter()
            .map(|(name, value)| format!("{}={}", escaped(name), escaped(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The behaviour an element names, if it is one with all it needs.
    pub fn read(name: &str, props: &str) -> Option<Behaviour> {
        let pairs = pairs(props)?;
        let text = |key: &str| {
            pairs
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
        };
        let number = |key: &str| text(key)?.parse::<i64>().ok();
        // The browser posts to these with the reader's cookies: only ever to
        // one of Kring's own server functions, whatever an element says.
        let server_function = |key: &str| text(key).filter(|path| is_server_function(path));
        let labels = || LiveLabels {
            reconnecting: text("reconnecting").unwrap_or_default(),
            new_posts: text("new_posts").unwrap_or_default(),
            new_post: text("new_post").unwrap_or_default(),
            post_arrived: text("post_arrived").unwrap_or_default(),
        };
        Some(match name {
            "live-thread" => Behaviour::LiveThread {
                thread: number("thread")?,
                after: number("after")?,
                shown: number("shown")?,
                append: text("append")?.parse().ok()?,
                mark_read: server_function("mark_read")?,
                labels: labels(),
            },
            "new-posts" => Behaviour::NewPostsBar {
                category: number("category")?,
                after: number("after")?,
                labels: labels(),
            },
            "mentions" => Behaviour::Mentions {
                category: number("category")?,
                suggest: server_function("suggest")?,
            },
            "zone-cookie" => Behaviour::ZoneCookie,
            "browser-zone" => Behaviour::BrowserZone,
            "report-seen" => {
                let mut pairs = pairs.into_iter();
                let (key, action) = pairs.next()?;
                if key != "action" || !is_server_function(&action) {
                    return None;
                }
                Behaviour::ReportSeen {
                    action,
                    fields: pairs.collect(),
                }
            }
            _ => return None,
        })
    }
}

/// Where Kring's server functions answer (`/api/…`): a path on this site.
fn is_server_function(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The three characters that separate pairs and their parts, written as `%XX`.
const ESCAPED: [(char, &str); 3] = [('%', "%25"), ('&', "%26"), ('=', "%3D")];

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match ESCAPED.iter().find(|(plain, _)| *plain == character) {
            Some((_, code)) => out.push_str(code),
            None => out.push(character),
        }
    }
    out
}

fn unescaped(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        out.push_str(rest.get(..at)?);
        let code = rest.get(at..at + 3)?;
        let (plain, _) = ESCAPED.iter().find(|(_, known)| *known == code)?;
        out.push(*plain);
        rest = rest.get(at + 3..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// `name=value` pairs in order; `None` when any is malformed.
fn pairs(props: &str) -> Option<Vec<(String, String)>> {
    if props.is_empty() {
        return Some(Vec::new());
    }
    props
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=')?;
            Some((unescaped(name)?, unescaped(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile_labels() -> LiveLabels {
        LiveLabels {
            reconnecting: "Verbinding & herstel = 100% <b>\"'".to_owned(),
            new_posts: "%count% nuevas respuestas: mostrar".to_owned(),
            new_post: "a=b&c=d%26".to_owned(),
            post_arrived: "Neuer Beitrag von %name% — ünïcødé 🌍".to_owned(),
        }
    }

    #[test]
    fn every_behaviour_comes_back_as_it_was_written() {
        let all = [
            Behaviour::LiveThread {
                thread: 9,
                after: 12_345,
                shown: 0,
                append: true,
                mark_read: "/api/mark_thread_read".to_owned(),
                labels: hostile_labels(),
            },
            Behaviour::LiveThread {
                thread: 1,
                after: 0,
                shown: 77,
                append: false,
                mark_read: "/api/x?a=1&b=2".to_owned(),
                labels: LiveLabels::default(),
            },
            Behaviour::NewPostsBar {
                category: 502,
                after: 7,
                labels: hostile_labels(),
            },
            Behaviour::Mentions {
                category: 3,
                suggest: "/api/mention_candidates".to_owned(),
            },
            Behaviour::ZoneCookie,
            Behaviour::BrowserZone,
            Behaviour::ReportSeen {
                action: "/api/record_visit".to_owned(),
                fields: vec![
                    ("unit".to_owned(), "12".to_owned()),
                    ("token".to_owned(), "a&b=c%d".to_owned()),
                ],
            },
            Behaviour::ReportSeen {
                action: "/api/x".to_owned(),
                fields: Vec::new(),
            },
        ];
        for behaviour in all {
            assert_eq!(
                Behaviour::read(behaviour.name(), &behaviour.props()),
                Some(behaviour.clone()),
                "{behaviour:?}"
            );
        }
    }

    #[test]
    fn props_are_plain_pairs() {
        let props = Behaviour::Mentions {
            category: 3,
            suggest: "/api/m".to_owned(),
        }
        .props();
        assert_eq!(props, "category=3&suggest=/api/m");
        assert_eq!(
            Behaviour::ReportSeen {
                action: "/a".to_owned(),
                fields: vec![("k".to_owned(), "1&2".to_owned())],
            }
            .props(),
            "action=/a&k=1%262"
        );
    }

    #[test]
    fn anything_malformed_or_unknown_starts_nothing() {
        for (name, props) in [
            ("live-thread", "thread=9&after=1&shown=0&append=true"),
            (
                "live-thread",
                "thread=x&after=1&shown=0&append=true&mark_read=/api/a",
            ),
            (
                "live-thread",
                "thread=9&after=1&shown=0&append=yes&mark_read=/api/a",
            ),
            ("new-posts", "category=1"),
            ("mentions", ""),
            ("mentions", "category=3"),
            ("mentions", "category=%zz&suggest=/api/a"),
            ("mentions", "category=3&suggest=/api/a%"),
            ("mentions", "category"),
            ("report-seen", "unit=3&action=/api/a"),
            ("report-seen", ""),
            // Posting with the reader's cookies goes only to Kring's own server functions.
            ("report-seen", "action=https://evil.example/api/x&unit=1"),
            ("report-seen", "action=//evil.example/api/x"),
            ("report-seen", "action=/logout"),
            ("mentions", "category=3&suggest=https://evil.example/api/m"),
            (
                "live-thread",
                "thread=9&after=1&shown=0&append=true&mark_read=/api",
            ),
            ("editor", "category=3"),
            ("", ""),
        ] {
            assert_eq!(Behaviour::read(name, props), None, "{name} {props}");
        }
    }
}
