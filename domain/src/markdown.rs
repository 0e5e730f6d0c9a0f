//! Markdown to safe HTML, rendered on the server only (the WebAssembly stays small).
//!
//! pulldown-cmark renders, ammonia sanitises: no scripts, no event attributes,
//! no `javascript:`/`data:` URLs, and every link gets `rel="noopener noreferrer"`.
//! A paragraph that is only a YouTube or Vimeo link becomes an embedded player,
//! built by us from the video's checked id, never from the author's HTML.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// A video an author linked on a line of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Video {
    YouTube(String),
    Vimeo(String),
}

impl Video {
    /// Recognises the allowlisted video links; anything else stays a link.
    pub fn from_url(url: &str) -> Option<Video> {
        let rest = url.trim().strip_prefix("https://")?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let youtube_id = |id: &str| {
            let id = id.split(['?', '&', '#']).next().unwrap_or_default();
            (id.len() == 11
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .then(|| Video::YouTube(id.to_owned()))
        };
        let vimeo_id = |id: &str| {
            let id = id.split(['?', '#', '/']).next().unwrap_or_default();
            (!id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()))
                .then(|| Video::Vimeo(id.to_owned()))
        };
        match host {
            "www.youtube.com" | "youtube.com" | "m.youtube.com" => {
                if let Some(query) = path.strip_prefix("watch?") {
                    query
                        .split('&')
                        .find_map(|pair| pair.strip_prefix("v="))
                        .and_then(youtube_id)
                } else {
                    path.strip_prefix("embed/").and_then(youtube_id)
                }
            }
            "youtu.be" => youtube_id(path),
            "vimeo.com" => vimeo_id(path),
            "player.vimeo.com" => path.strip_prefix("video/").and_then(vimeo_id),
            _ => None,
        }
    }

    fn player(&self) -> String {
        let src = match self {
            Video::YouTube(id) => format!("https://www.youtube-nocookie.com/embed/{id}"),
            Video::Vimeo(id) => format!("https://player.vimeo.com/video/{id}?dnt=1"),
        };
        format!(
            "<div class=\"embed\"><iframe src=\"{src}\" title=\"Video\" loading=\"lazy\" \
             allow=\"fullscreen; picture-in-picture\" allowfullscreen \
             referrerpolicy=\"strict-origin-when-cross-origin\"></iframe></div>"
        )
    }
}

/// Marks where a player goes; ammonia keeps it as text, then it is swapped for the player.
fn placeholder(index: usize) -> String {
    format!("kring-embed-{index}-kring")
}

/// Elements nested deeper than this keep their text but lose their tags.
/// The sanitiser's parser takes time growing with the square of the depth:
/// a post of 50,000 `>` (as many nested quotes) took 7 s of a core to render.
/// No text people write nests a tenth as deep.
pub const MAX_NESTING: usize = 32;

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events = within_nesting(Parser::new_ext(markdown, options));
    let mut videos = Vec::new();
    let mut output: Vec<Event> = Vec::with_capacity(events.len());
    let mut index = 0;
    while index < events.len() {
        if let Some((video, consumed)) = lone_video_link(&events[index..]) {
            output.push(Event::Start(Tag::Paragraph));
            output.push(Event::Text(placeholder(videos.len()).into()));
            output.push(Event::End(TagEnd::Paragraph));
            videos.push(video);
            index += consumed;
        } else {
            output.push(events[index].clone());
            index += 1;
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, output.into_iter());
    let mut safe = ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| {
            // An image from elsewhere would tell its owner who read the post, and when.
            if element == "img" && attribute == "src" && !is_own_path(value) {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(&html)
        .to_string();
    for (index, video) in videos.iter().enumerate() {
        safe = safe.replace(&format!("<p>{}</p>", placeholder(index)), &video.player());
    }
    safe
}

/// Tags raw HTML may open in one text; raw HTML after them is kept as text,
/// tags shown. Counting what the parser will do with a tag (close it for an
/// end tag it ignores? keep `<div/>` open?) is how a count gets fooled, so
/// every tag counts and none is taken back: the sanitiser then never sees
/// raw HTML nested deeper than this (plus [`MAX_NESTING`]), whatever ends
/// it. Texts people write use a few, if any.
pub const MAX_RAW_TAGS: usize = 256;

/// The events with every element deeper than [`MAX_NESTING`] unwrapped (its
/// start and end left out, what it holds kept), and the raw HTML beyond
/// [`MAX_RAW_TAGS`] made text.
fn within_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut kept = Vec::new();
    let mut kept_open = 0;
    // Per open element: whether its start was kept, so its end is too.
    let mut open: Vec<bool> = Vec::new();
    let mut raw_tags = 0;
    for event in events {
        match event {
            Event::Start(_) => {
                let keep = kept_open < MAX_NESTING;
                kept_open += usize::from(keep);
                open.push(keep);
                if keep {
                    kept.push(event);
                }
            }
            Event::End(_) => {
                let keep = open.pop().unwrap_or(true);
                kept_open = kept_open.saturating_sub(usize::from(keep));
                if keep {
                    kept.push(event);
                }
            }
            Event::Html(ref raw) | Event::InlineHtml(ref raw) => {
                let tags = tags_opened(raw);
                if raw_tags + tags > MAX_RAW_TAGS {
                    kept.push(Event::Text(raw.clone()));
                } else {
                    raw_tags += tags;
                    kept.push(event);
                }
            }
            other => kept.push(other),
        }
    }
    kept
}

/// Every tag raw HTML could open: a `<` followed by a letter starts one, in
/// any case, self-closing or not, inside a comment or an attribute or not.
fn tags_opened(raw: &str) -> usize {
    raw.as_bytes()
        .windows(2)
        .filter(|pair| pair[0] == b'<' && pair[1].is_ascii_alphabetic())
        .count()
}

/// A path on Kring itself (`/…`), not another site (`//host`, `/\\host`).
/// Browsers drop tabs and newlines from addresses (`/<TAB>/host` is
/// `//host`), so no space or control character may appear, nor a backslash,
/// even percent-encoded.
fn is_own_path(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && !url.to_ascii_lowercase().contains("%5c")
}

/// The words of a text without its Markdown marks, one block per line: what
/// search indexes and shows in snippets.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => text.push('\n'),
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

/// A text as search stores it: [`plain_text`], never holding the characters
/// that mark matches in snippets (so no text can fake a highlight).
pub fn search_text(markdown: &str) -> String {
    crate::search::searchable(&plain_text(markdown))
}

/// `[Paragraph, Link(video), text…, /Link, /Paragraph]` or a paragraph that is
/// only a bare video URL: the video and how many events it spans.
fn lone_video_link(events: &[Event]) -> Option<(Video, usize)> {
    if !matches!(events.first(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let end = events
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))?;
    let inner = &events[1..end];
    let url = match inner {
        [Event::Text(text)] => text.to_string(),
        [Event::Start(Tag::Link { dest_url, .. }), middle @ .., Event::End(TagEnd::Link)]
            if middle.iter().all(|e| matches!(e, Event::Text(_))) =>
        {
            dest_url.to_string()
        }
        _ => return None,
    };
    Video::from_url(&url).map(|video| (video, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_load_only_from_kring_itself() {
        for markdown in [
            "![tracker](https://evil.example/pixel.png?reader=1)",
            "![x](http://evil.example/a.png)",
            "![x](//evil.example/a.png)",
            "![x](/\\evil.example/a.png)",
            "<img src=\"https://evil.example/a.png\">",
            "![x](data:image/png;base64,AAAA)",
            // Found by `make fuzz`: a tab is dropped by browsers, leaving `//evil.example`.
            "<img src=\"/&#9;/evil.example/a.png\">",
            "<img src=\"/&#10;/evil.example/a.png\">",
            "<img src=\" //evil.example/a.png\">",
        ] {
            let html = render(markdown);
            assert!(!html.contains("evil.example"), "{markdown} → {html}");
            assert!(!html.contains("src="), "{markdown} → {html}");
        }
        let own = render("![map of the region](/favicon.svg)");
        assert!(own.contains("src=\"/favicon.svg\""), "{own}");
    }

    /// How deep elements nest in `html` (void elements do not count).
    fn deepest(html: &str) -> usize {
        let (mut depth, mut deepest) = (0usize, 0);
        for tag in html.split('<').skip(1) {
            let name: String = tag
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if tag.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else if !["br", "hr", "img", "input", ""].contains(&name.as_str()) {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
        deepest
    }

    #[test]
    fn deep_nesting_keeps_its_text_within_the_limit() {
        // Thousands deep, as a hostile post writes it: cut at the limit, text kept.
        for hostile in [
            format!("{}deep", ">".repeat(5_000)),
            format!("{}deep", "> ".repeat(2_000)),
            format!("{}deep", "1. ".repeat(2_000)),
            format!(
                "{}deep",
                "- a\n"
                    .repeat(40)
                    .lines()
                    .enumerate()
                    .map(|(i, l)| format!("{}{l}\n", "  ".repeat(i)))
                    .collect::<String>()
            ),
            format!("{}deep{}", "*_".repeat(200), "_*".repeat(200)),
            format!("{}deep{}", "[".repeat(500), "](/x)".repeat(500)),
        ] {
            let html = render(&hostile);
            assert!(
                deepest(&html) <= MAX_NESTING,
                "{} deep: {html}",
                deepest(&html)
            );
            assert!(html.contains("deep"), "{html}");
        }
        assert_eq!(deepest(&render(&">".repeat(5_000))), MAX_NESTING);
        // Raw HTML, in blocks and inline, alone and inside Markdown, with end
        // tags that close nothing, tags in attributes and comments, and
        // self-closing tags the parser keeps open.
        for hostile in [
            format!("{}deep", "<div>".repeat(2_000)),
            format!("{}deep", "<ul><li>".repeat(1_000)),
            format!("a {}deep", "<span>".repeat(2_000)),
            format!("a {}deep", "<b><i>".repeat(1_000)),
            format!("{}<div>\n{}deep", "> ".repeat(30), "<div>".repeat(300)),
            format!("{}deep", "<div>\n\n".repeat(2_000)),
            format!("{}deep", "<div/>".repeat(2_000)),
            format!("a {}deep", "<B/>".repeat(2_000)),
            format!("{}deep", "<div></span>".repeat(2_000)),
            format!("{}deep", "<div title=\"</a>\">".repeat(2_000)),
            format!("{}deep", "<div><!--</a>-->".repeat(2_000)),
            format!("{}{}deep", "</p>".repeat(2_000), "<div>".repeat(2_000)),
        ] {
            let html = render(&hostile);
            let depth = deepest(&html);
            assert!(depth <= MAX_NESTING + MAX_RAW_TAGS, "{depth} deep: {html}");
            assert!(html.contains("deep"), "{html}");
        }
        // What people write is untouched.
        let html = render("> a quote\n>\n> - with a list\n>   - and a sublist *with emphasis*\n");
        assert_eq!(deepest(&html), 6, "{html}");
        assert_eq!(html.matches("<ul>").count(), 2);
        assert_eq!(html.matches("<em>").count(), 1);
        let html = render(
            "<div>\n<p>Raw <b>HTML</b> as written, <br> and <img src=\"/a.png\"/></p>\n</div>\n",
        );
        assert_eq!(deepest(&html), 3, "{html}");
    }

    #[test]
    fn renders_common_markdown() {
        let html =
            render("# Title\n\nSome *emphasis* and **strong** text.\n\n- one\n- two\n\n> quoted\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>emphasis</em>") && html.contains("<strong>strong</strong>"));
        assert!(html.contains("<li>one</li>") && html.contains("<blockquote>"));
    }

    #[test]
    fn plain_text_drops_the_marks() {
        let cases = [
            ("**Listen** first", "Listen first"),
            (
                "## The circle\n\nWho is *around* this child?",
                "The circle\nWho is around this child?",
            ),
            ("- one\n- two", "one\ntwo"),
            (
                "[eco-map](https://example.org) and `code`",
                "eco-map and code",
            ),
            ("line\nbreak", "line break"),
            ("<script>x</script>", ""),
        ];
        for (markdown, text) in cases {
            assert_eq!(plain_text(markdown), text, "{markdown}");
        }
    }

    #[test]
    fn links_open_safely() {
        let html = render("[Kring](https://kring.example.org)");
        assert!(
            html.contains("href=\"https://kring.example.org\""),
            "{html}"
        );
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn allowlisted_videos_become_players() {
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ?t=42",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ),
            (
                "<https://www.youtube.com/embed/dQw4w9WgXcQ>",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ),
            (
                "[Watch](https://vimeo.com/76979871)",
                "https://player.vimeo.com/video/76979871?dnt=1",
            ),
            (
                "https://player.vimeo.com/video/76979871",
                "https://player.vimeo.com/video/76979871?dnt=1",
            ),
        ];
        for (markdown, src) in cases {
            let html = render(&format!("Before\n\n{markdown}\n\nAfter"));
            assert!(
                html.contains(&format!("<iframe src=\"{src}\"")),
                "{markdown}: {html}"
            );
            assert!(html.contains("<p>Before</p>") && html.contains("<p>After</p>"));
        }
    }

    #[test]
    fn other_links_and_inline_video_links_stay_links() {
        for markdown in [
            "https://evil.example/watch?v=dQw4w9WgXcQ",
            "See https://www.youtube.com/watch?v=dQw4w9WgXcQ here",
            "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=short",
            "https://youtu.be/dQw4w9WgXcQ\"onload=\"x",
            "https://vimeo.com/abc",
        ] {
            assert!(!render(markdown).contains("<iframe"), "{markdown}");
        }
    }

    /// Filter-evasion payloads in the style of OWASP's XSS cheat sheet, as
    /// raw HTML, Markdown links and images, and mixtures.
    const XSS: [&str; 59] = [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=javascript:alert('XSS')>",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
        "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
        "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
        "<IMG SRC=# onmouseover=\"alert('xxs')\">",
        "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
        "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
        "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
        "<IMG SRC=\"jav\tascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
        "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
        "<SCRIPT/XSS SRC=\"https://xss.example/xss.js\"></SCRIPT>",
        "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
        "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
        "<SCRIPT SRC=https://xss.example/xss.js?< B >",
        "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
        "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
        "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
        "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
        "<IMG DYNSRC=\"javascript:alert('XSS')\">",
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
        "<svg/onload=alert('XSS')>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"javascript:alert('XSS')\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "<button formaction=\"javascript:alert(1)\">x</button>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<audio src=x onerror=alert(1)>",
        "<marquee onstart=alert(1)>",
        "<div style=\"background-image: url(javascript:alert('XSS'))\">",
        "<div style=\"width: expression(alert('XSS'));\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
        "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
        "<BASE HREF=\"javascript:alert('XSS');//\">",
        "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">click</a>",
        "<a href=\"vbscript:msgbox('XSS')\">click</a>",
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](  javascript:alert(1)  )",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "![x](https://example.org/x.png\"onerror=\"alert(1))",
        "[a](https://example.org \"title\\\" onmouseover=alert(1) x=\\\"\")",
        "<https://www.youtube.com/watch?v=dQw4w9WgXcQ\"><script>alert(1)</script>>",
        // Page behaviours are named by data attributes: text must not name one.
        "<p data-behaviour=\"report-seen\" data-props=\"action=/api/logout\">x</p>",
        "<span data-behaviour=mentions data-props='category=1&suggest=https://evil.example'>x</span>",
        "<a href=\"/forum\" data-behaviour=\"zone-cookie\">x</a>",
    ];

    /// The tags of serialised HTML with their attributes (names lower-cased,
    /// entities in values left as they are): enough to inspect ammonia's output.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let chars: Vec<char> = html.chars().collect();
        let mut tags = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != '<' || !chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
                i += 1;
                continue;
            }
            i += 1;
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' && chars[i] != '/'
            {
                i += 1;
            }
            let name: String = chars[start..i]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            let mut attributes = Vec::new();
            loop {
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
                    i += 1;
                }
                if i >= chars.len() || chars[i] == '>' {
                    break;
                }
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '=' | '>' | '/')
                {
                    i += 1;
                }
                let attribute: String = chars[start..i]
                    .iter()
                    .collect::<String>()
                    .to_ascii_lowercase();
                let mut value = String::new();
                if chars.get(i) == Some(&'=') {
                    i += 1;
                    if let Some(quote @ ('"' | '\'')) = chars.get(i).copied() {
                        i += 1;
                        while i < chars.len() && chars[i] != quote {
                            value.push(chars[i]);
                            i += 1;
                        }
                        i += 1;
                    } else {
                        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' {
                            value.push(chars[i]);
                            i += 1;
                        }
                    }
                }
                attributes.push((attribute, value));
            }
            tags.push((name, attributes));
        }
        tags
    }

    const ALLOWED_SCHEMES: [&str; 3] = ["https:", "http:", "mailto:"];

    /// Why rendered HTML could run code, if it could.
    fn danger(html: &str) -> Option<String> {
        for (tag, attributes) in tags(html) {
            if [
                "script", "style", "svg", "math", "object", "embed", "form", "input", "button",
                "meta", "link", "base", "body",
            ]
            .contains(&tag.as_str())
            {
                return Some(format!("a <{tag}> element"));
            }
            for (name, value) in attributes {
                if name.starts_with("on")
                    || name.starts_with("data-")
                    || name == "style"
                    || name == "srcdoc"
                    || name == "formaction"
                {
                    return Some(format!("a {name} attribute on <{tag}>"));
                }
                if matches!(
                    name.as_str(),
                    "href" | "src" | "action" | "background" | "dynsrc" | "lowsrc"
                ) {
                    let value = value.trim().to_ascii_lowercase();
                    let scheme = value.split_once(':').map(|(scheme, _)| scheme);
                    let relative = scheme.is_none_or(|scheme| scheme.contains(['/', '?', '#']));
                    if !relative
                        && !ALLOWED_SCHEMES
                            .iter()
                            .any(|allowed| value.starts_with(allowed))
                    {
                        return Some(format!("{name}={value:?} on <{tag}>"));
                    }
                }
            }
            if tag == "iframe" {
                return Some("an iframe the author wrote".to_owned());
            }
        }
        None
    }

    #[test]
    fn every_xss_payload_renders_inert() {
        assert!(XSS.len() >= 50);
        for payload in XSS {
            for markdown in [
                payload.to_owned(),
                format!("Text before.\n\n{payload}\n\nText after."),
            ] {
                let html = render(&markdown);
                // The one iframe allowed is the player built from a checked video id.
                let without_players =
                    html.replace(&Video::YouTube("dQw4w9WgXcQ".to_owned()).player(), "");
                assert_eq!(
                    danger(&without_players),
                    None,
                    "{payload:?} rendered as {html}"
                );
            }
        }
    }

    #[test]
    fn the_danger_check_catches_what_it_should() {
        assert!(danger("<img src=x onerror=alert(1)>").is_some());
        assert!(danger("<svg/onload=alert(1)>").is_some());
        assert!(danger("<a href=\" JavaScript:alert(1)\">x</a>").is_some());
        assert!(danger("<a href='data:text/html,x'>x</a>").is_some());
        assert!(danger("<iframe src=\"https://evil.example\"></iframe>").is_some());
        assert!(danger("<p data-behaviour=\"zone-cookie\">x</p>").is_some());
        assert!(danger("<p title=\"x onmouseover=alert(1)\">one day, on=time</p>").is_none());
        assert!(danger("<a href=\"/sessions/1\" rel=\"noopener noreferrer\">x</a>").is_none());
        assert!(danger("<a href=\"https://kring.example.org/a:b\">x</a>").is_none());
    }
}
