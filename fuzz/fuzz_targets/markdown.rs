//! `markdown::render` and `markdown::plain_text` never panic, and what `render`
//! returns is inert in a browser: no `<script>` (or other active) element, no
//! `on…=` event attribute, no URL with a scheme other than http/https/mailto
//! (so no `javascript:`), an `<img>` only with a `src` that is a path on Kring
//! itself (one `/`, not `//host` or `/\host`, also after a browser drops tabs
//! and newlines from the URL), and an `<iframe>` only as the player Kring builds
//! for a YouTube (youtube-nocookie.com) or Vimeo (player.vimeo.com) video.
//!
//! Up to two video paragraphs can be put before the fuzzed text, so the
//! player substitution always has something to substitute.

#![no_main]

use arbitrary::Arbitrary;
use kring_domain::markdown::{plain_text, render};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    videos: u8,
    markdown: String,
}

fuzz_target!(|input: Input| {
    let mut markdown = String::new();
    if input.videos & 1 == 1 {
        markdown.push_str("https://youtu.be/dQw4w9WgXcQ\n\n");
    }
    if input.videos & 2 == 2 {
        markdown.push_str("[Watch](https://vimeo.com/76979871)\n\n");
    }
    markdown.push_str(&input.markdown);

    let _ = plain_text(&markdown);
    let html = render(&markdown);
    if let Err(problem) = check(&html) {
        panic!("{problem}\nmarkdown: {markdown:?}\nhtml: {html}");
    }
});

/// Elements that run code, load a document or change how the page is read.
const ACTIVE: [&str; 27] = [
    "script", "style", "svg", "math", "object", "embed", "applet", "form", "input", "button",
    "textarea", "select", "option", "meta", "link", "base", "body", "html", "head", "title",
    "frame", "frameset", "template", "noscript", "iframe", "portal", "xmp",
];

/// Attributes whose value a browser treats as a URL.
const URL_ATTRIBUTES: [&str; 14] = [
    "href",
    "src",
    "action",
    "formaction",
    "background",
    "cite",
    "poster",
    "data",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "xlink:href",
    "ping",
    "codebase",
];

const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The attributes of the player Kring builds, in its order.
const PLAYER_ATTRIBUTES: [&str; 6] = [
    "src",
    "title",
    "loading",
    "allow",
    "allowfullscreen",
    "referrerpolicy",
];

type Tag = (String, Vec<(String, String)>);

fn check(html: &str) -> Result<(), String> {
    for (name, attributes) in start_tags(html)? {
        if name == "iframe" {
            check_player(&attributes)?;
        } else if ACTIVE.contains(&name.as_str()) {
            return Err(format!("a <{name}> element"));
        }
        for (attribute, raw) in &attributes {
            if attribute.starts_with("on")
                || matches!(
                    attribute.as_str(),
                    "style" | "srcdoc" | "srcset" | "formaction" | "http-equiv"
                )
            {
                return Err(format!("a {attribute}= attribute on <{name}>"));
            }
            let value = decode(raw)?;
            if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                let url = as_browser_reads(&value);
                if let Some(scheme) = scheme(&url) {
                    if !SCHEMES.contains(&scheme.as_str()) {
                        return Err(format!("{attribute}={url:?} on <{name}>"));
                    }
                }
                if name == "img" && attribute == "src" && !own_path(&url) {
                    return Err(format!("<img src={url:?}> loads from elsewhere"));
                }
            }
        }
    }
    Ok(())
}

/// An iframe must be exactly the player `Video::player` builds.
fn check_player(attributes: &[(String, String)]) -> Result<(), String> {
    let names: Vec<&str> = attributes.iter().map(|(name, _)| name.as_str()).collect();
    if names != PLAYER_ATTRIBUTES {
        return Err(format!("an <iframe> with attributes {names:?}"));
    }
    let src = decode(&attributes[0].1)?;
    let youtube = src
        .strip_prefix("https://www.youtube-nocookie.com/embed/")
        .is_some_and(|id| {
            id.len() == 11
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    let vimeo = src
        .strip_prefix("https://player.vimeo.com/video/")
        .and_then(|rest| rest.strip_suffix("?dnt=1"))
        .is_some_and(|id| {
            !id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit())
        });
    if youtube || vimeo {
        Ok(())
    } else {
        Err(format!("an <iframe src={src:?}>"))
    }
}

/// A URL as the browser's URL parser sees it: leading and trailing C0
/// controls and spaces trimmed, every tab and newline removed, lower-cased.
fn as_browser_reads(value: &str) -> String {
    value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The scheme of an absolute URL, if it has one.
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_owned())
}

/// `/path`, not `//host/…` or `/\host/…` (browsers read `\` as `/`).
fn own_path(url: &str) -> bool {
    let mut chars = url.chars();
    chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'))
}

/// Decodes an attribute value as html5ever serialises it: the only
/// references it writes are `&amp;`, `&quot;`, `&nbsp;`, `&lt;` and `&gt;`;
/// any other `&` could be a reference a browser decodes and we do not.
fn decode(raw: &str) -> Result<String, String> {
    let mut value = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        value.push_str(&rest[..at]);
        rest = &rest[at..];
        let (reference, text) = [
            ("&amp;", "&"),
            ("&quot;", "\""),
            ("&nbsp;", "\u{a0}"),
            ("&lt;", "<"),
            ("&gt;", ">"),
        ]
        .into_iter()
        .find(|(reference, _)| rest.starts_with(reference))
        .ok_or_else(|| format!("an unexpected character reference in {raw:?}"))?;
        value.push_str(text);
        rest = &rest[reference.len()..];
    }
    value.push_str(rest);
    Ok(value)
}

/// The start tags of serialised HTML as a browser's tokenizer reads them
/// (names lower-cased, values still encoded), skipping text, end tags and comments.
fn start_tags(html: &str) -> Result<Vec<Tag>, String> {
    let chars: Vec<char> = html.chars().collect();
    let whitespace = |c: char| matches!(c, '\t' | '\n' | '\x0c' | ' ' | '\r');
    let mut tags = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' {
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some(c) if c.is_ascii_alphabetic() => {}
            Some('!') if chars[i..].starts_with(&['<', '!', '-', '-']) => {
                let text: String = chars[i + 4..].iter().collect();
                let end = text
                    .find("-->")
                    .map_or(chars.len(), |end| i + 4 + text[..end].chars().count() + 3);
                i = end;
                continue;
            }
            Some('/' | '!' | '?') => {
                while i < chars.len() && chars[i] != '>' {
                    i += 1;
                }
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 1;
        let start = i;
        while i < chars.len() && !whitespace(chars[i]) && chars[i] != '/' && chars[i] != '>' {
            i += 1;
        }
        let name = chars[start..i]
            .iter()
            .collect::<String>()
            .to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while i < chars.len() && (whitespace(chars[i]) || chars[i] == '/') {
                i += 1;
            }
            if i >= chars.len() || chars[i] == '>' {
                break;
            }
            let start = i;
            i += 1;
            while i < chars.len() && !whitespace(chars[i]) && !matches!(chars[i], '=' | '>' | '/') {
                i += 1;
            }
            let attribute = chars[start..i]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            while i < chars.len() && whitespace(chars[i]) {
                i += 1;
            }
            let mut value = String::new();
            if chars.get(i) == Some(&'=') {
                i += 1;
                while i < chars.len() && whitespace(chars[i]) {
                    i += 1;
                }
                match chars.get(i).copied() {
                    Some(quote @ ('"' | '\'')) => {
                        i += 1;
                        while i < chars.len() && chars[i] != quote {
                            value.push(chars[i]);
                            i += 1;
                        }
                        if i >= chars.len() {
                            return Err(format!("an unclosed {attribute}= value"));
                        }
                        i += 1;
                    }
                    _ => {
                        while i < chars.len() && !whitespace(chars[i]) && chars[i] != '>' {
                            value.push(chars[i]);
                            i += 1;
                        }
                    }
                }
            }
            attributes.push((attribute, value));
        }
        tags.push((name, attributes));
    }
    Ok(tags)
}
