//! Small building blocks shared by the pages, and the page frame.

use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A translated error from a form or a data load, announced to screen readers.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|error| view! { <p class="notice error" role="alert">{error.message}</p> })
    }
}

/// A confirmation, shown after a successful form post.
#[component]
pub fn Notice(show: bool, text: &'static str) -> impl IntoView {
    show.then(|| view! { <p class="notice success" role="status">{text}</p> })
}

/// A form control with its label and an optional hint.
#[component]
pub fn LabeledField(
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="label">{label}</span>
            {children()}
            {hint.map(|hint| view! { <small class="hint">{hint}</small> })}
        </label>
    }
}

/// A `<textarea>` holding `text`. The renderer writes a textarea's children
/// into the page as they are (to it they are raw text, like a script's), so a
/// member's `</textarea><img onerror=…>` would close the field and run as
/// markup. This escapes the text on the server; the browser decodes it back,
/// so the field holds exactly `text`. Every textarea in Kring is this
/// component (`every_textarea_is_the_escaping_component` holds the source to
/// that). Attributes and listeners given as `attr:…`/`on:…` reach the textarea.
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into, optional)] text: String,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    view! { <textarea name=name node_ref=node_ref>{field_text(text)}</textarea> }
}

/// Text as a textarea's content: escaped for the page on the server. HTML
/// drops one newline right after `<textarea>`, so a text that starts with one
/// gets another in front. In the browser (hydrating an island) the page
/// already holds the decoded text, which is what the island's view has too.
fn field_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        let escaped = html_escape::encode_text(&text).into_owned();
        if text.starts_with('\n') {
            format!("\n{escaped}")
        } else {
            escaped
        }
    }
    #[cfg(not(feature = "ssr"))]
    text
}

/// Where a paged list stands: this page (from 0) of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pages {
    pub page: i64,
    pub count: i64,
}

impl Pages {
    /// `requested` (from 0) kept within `items` split into pages of `per_page`.
    pub fn of(items: i64, per_page: i64, requested: i64) -> Pages {
        let count = ((items + per_page - 1) / per_page).max(1);
        Pages {
            page: requested.clamp(0, count - 1),
            count,
        }
    }

    pub fn is_last(&self) -> bool {
        self.page + 1 >= self.count
    }
}

/// A page number from a link: counted from 1 in links, from 0 inside;
/// `last` (or a number past the end) is the last page.
pub fn page_number(text: &str) -> i64 {
    match text {
        "last" => i64::MAX,
        number => number
            .parse::<i64>()
            .map_or(0, |page| page.saturating_sub(1).max(0)),
    }
}

/// Links to the other pages of a list, as plain links (no WebAssembly
/// needed); the page goes in the query as `key` (counted from 1).
#[component]
pub fn Pager(
    pages: Pages,
    base: String,
    t: Locale,
    #[prop(default = "page")] key: &'static str,
) -> impl IntoView {
    (pages.count > 1).then(|| {
        let link = |page: i64| format!("{base}?{key}={}", page + 1);
        view! {
            <nav class="pager" aria-label=td_string!(t, pager_label)>
                {(pages.page > 0).then(|| view! {
                    <a href=link(pages.page - 1) rel="prev">{td_string!(t, pager_previous)}</a>
                })}
                " "
                <span>
                    {td_string!(t, pager_position)
                        .replace("%page%", &(pages.page + 1).to_string())
                        .replace("%count%", &pages.count.to_string())}
                </span>
                " "
                {(!pages.is_last()).then(|| view! {
                    <a href=link(pages.page + 1) rel="next">{td_string!(t, pager_next)}</a>
                })}
            </nav>
        }
    })
}

/// The numeric `:id` of the current route; -1 (found by nobody) when it is not a number.
pub fn route_id() -> i64 {
    leptos_router::hooks::use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(-1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The elements whose children the renderer writes unescaped, and its
    /// builder for a textarea (spelled in pieces, so this file does not list them).
    fn raw_text_elements() -> [String; 5] {
        ["textarea", "script", "style", "noscript"]
            .map(|name| format!("<{name}"))
            .into_iter()
            .chain([format!("{}{}(", "text", "area")])
            .collect::<Vec<_>>()
            .try_into()
            .unwrap()
    }

    fn sources(dir: &std::path::Path, found: &mut Vec<(std::path::PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
    }

    #[test]
    fn every_textarea_is_the_escaping_component() {
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        assert!(files.len() > 10, "the sources were found");
        let the_component = format!("<{}{} name=name node_ref=node_ref>", "text", "area");
        // The one script: constant code, called with the build's file names (kept to plain characters).
        let the_loader = format!("<{}{} type=\"module\" nonce=", "scr", "ipt");
        for (path, text) in files {
            for (number, line) in text.lines().enumerate() {
                for element in raw_text_elements() {
                    let allowed = line.trim_start().starts_with("//")
                        || (path.ends_with("components.rs") && line.contains(&the_component))
                        || (path.ends_with("island_loader.rs") && line.contains(&the_loader));
                    assert!(
                        !line.contains(&element) || allowed,
                        "{}:{}: `{element}` writes its content unescaped; use `TextArea`",
                        path.display(),
                        number + 1
                    );
                }
            }
        }
    }

    #[test]
    fn pages_stay_within_the_list() {
        assert_eq!(Pages::of(0, 50, 0), Pages { page: 0, count: 1 });
        assert_eq!(Pages::of(50, 50, 3), Pages { page: 0, count: 1 });
        assert_eq!(Pages::of(51, 50, 1), Pages { page: 1, count: 2 });
        assert_eq!(Pages::of(120, 50, i64::MAX), Pages { page: 2, count: 3 });
        assert_eq!(Pages::of(120, 50, -4), Pages { page: 0, count: 3 });
        assert!(Pages::of(120, 50, 2).is_last());
    }

    #[test]
    fn links_count_pages_from_one() {
        assert_eq!(page_number("1"), 0);
        assert_eq!(page_number("3"), 2);
        assert_eq!(page_number("last"), i64::MAX);
        assert_eq!(page_number("0"), 0);
        assert_eq!(page_number("-7"), 0);
        assert_eq!(page_number("many"), 0);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn textarea_text_is_escaped_for_the_page() {
        let hostile = "</textarea><img src=x onerror=alert(1)>&amp;";
        assert_eq!(
            field_text(hostile.to_owned()),
            "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"
        );
        assert_eq!(field_text("\nfirst line".to_owned()), "\n\nfirst line");
        assert_eq!(field_text(String::new()), "");
    }
}

/// Lines of an audit log, (when, what), newest first: a circle's, or the
/// administrative one.
#[component]
pub fn AuditLines(lines: Vec<(String, String)>) -> impl IntoView {
    let t = crate::viewer::use_viewer().locale();
    if lines.is_empty() {
        return view! { <p class="meta">{td_string!(t, audit_empty)}</p> }.into_any();
    }
    view! {
        <ul class="audit-log">
            {lines.into_iter().map(|(when, text)| view! {
                <li><span class="meta">{when}</span> " " {text}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
