//! The editor's text changes never panic, whatever the text and however the
//! browser reports the selection (any UTF-16 offsets, reversed, past the end,
//! inside a surrogate pair), and one change after another as the toolbar
//! applies them. After each change the selection is ordered and within the
//! new text's UTF-16 length, and:
//! - `wrap` keeps the text before and after the selection as it was, puts
//!   `before`/`after` around the selected text (or the placeholder when
//!   nothing is selected) and selects exactly that text or placeholder;
//! - `toggle_line_prefix` keeps the lines outside the selection as they were,
//!   prefixes every selected line (or unprefixes them when all have the
//!   prefix), selects the changed lines, and a second press restores the text.

#![no_main]

use arbitrary::Arbitrary;
use kring_domain::text_edit::Selected;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Change {
    Bold,
    Italic,
    Link,
    Heading,
    List,
    Quote,
    Wrap {
        before: String,
        after: String,
        placeholder: String,
    },
    Prefix(String),
    /// The writer selects something else before the next change.
    Select(u32, u32),
}

#[derive(Debug, Arbitrary)]
struct Input {
    start: u32,
    end: u32,
    changes: Vec<Change>,
    text: String,
}

fuzz_target!(|input: Input| {
    let mut current = Selected::new(&input.text, input.start, input.end);
    check_selection(&current);
    for change in input.changes.iter().take(16) {
        current = match change {
            Change::Bold => wrap(&current, "**", "**", "bold"),
            Change::Italic => wrap(&current, "_", "_", "italic"),
            Change::Link => wrap(&current, "[", "](https://)", "link"),
            Change::Heading => toggle(&current, "## "),
            Change::List => toggle(&current, "- "),
            Change::Quote => toggle(&current, "> "),
            Change::Wrap {
                before,
                after,
                placeholder,
            } => wrap(&current, before, after, placeholder),
            Change::Prefix(prefix) => toggle(&current, prefix),
            Change::Select(start, end) => Selected::new(&current.text, *start, *end),
        };
        check_selection(&current);
        if current.text.len() > 1 << 16 {
            break;
        }
    }
});

fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

fn check_selection(selected: &Selected) {
    assert!(
        selected.start <= selected.end && selected.end <= utf16_len(&selected.text),
        "selection {}..{} in a text of {} UTF-16 units",
        selected.start,
        selected.end,
        utf16_len(&selected.text)
    );
}

/// The UTF-16 units a selection covers.
fn selection(selected: &Selected) -> Vec<u16> {
    let units: Vec<u16> = selected.text.encode_utf16().collect();
    units[selected.start as usize..selected.end as usize].to_vec()
}

/// The byte index of the first character boundary at or after a UTF-16 offset
/// (a selection inside a surrogate pair moves past the pair).
fn boundary(text: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (index, c) in text.char_indices() {
        if units >= utf16 {
            return index;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

fn wrap(selected: &Selected, before: &str, after: &str, placeholder: &str) -> Selected {
    let result = selected.wrap(before, after, placeholder);
    check_selection(&result);
    let text = &selected.text;
    let (start, end) = (boundary(text, selected.start), boundary(text, selected.end));
    let inner = if start == end {
        placeholder
    } else {
        &text[start..end]
    };
    assert_eq!(
        result.text,
        format!("{}{before}{inner}{after}{}", &text[..start], &text[end..]),
        "wrap changed text outside the selection of {selected:?}"
    );
    assert_eq!(
        selection(&result),
        inner.encode_utf16().collect::<Vec<_>>(),
        "wrap({before:?}, {after:?}, {placeholder:?}) of {selected:?} gave {result:?}, \
         which does not select {inner:?}"
    );
    result
}

fn toggle(selected: &Selected, prefix: &str) -> Selected {
    let result = selected.toggle_line_prefix(prefix);
    check_selection(&result);
    let text = &selected.text;
    let (start, end) = (boundary(text, selected.start), boundary(text, selected.end));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let lines: Vec<&str> = text[line_start..line_end].split('\n').collect();
    let remove = lines.iter().all(|line| line.starts_with(prefix));
    let changed = lines
        .iter()
        .map(|line| {
            if remove {
                line.strip_prefix(prefix).unwrap_or(line).to_owned()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        result.text,
        format!("{}{changed}{}", &text[..line_start], &text[line_end..]),
        "toggle_line_prefix({prefix:?}) of {selected:?}"
    );
    assert_eq!(
        selection(&result),
        changed.encode_utf16().collect::<Vec<_>>(),
        "toggle_line_prefix({prefix:?}) of {selected:?} gave {result:?}"
    );
    if !remove && !prefix.contains('\n') {
        let again = result.toggle_line_prefix(prefix);
        assert_eq!(
            again.text, *text,
            "a second toggle_line_prefix({prefix:?}) did not restore {selected:?}"
        );
    }
    result
}
