//! The editor's toolbar and shortcuts as pure text changes, so they are tested
//! here and the browser only applies the result. Positions are UTF-16 code
//! units, as a textarea's selection reports them.

/// A text with a selection, in UTF-16 code units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub text: String,
    pub start: u32,
    pub end: u32,
}

/// The byte index of a UTF-16 position, clamped to the text and to a char boundary.
fn byte_index(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (index, c) in text.char_indices() {
        if units >= utf16 {
            return index;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

impl Selected {
    pub fn new(text: &str, start: u32, end: u32) -> Self {
        let (start, end) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        let length = utf16_len(text);
        Selected {
            text: text.to_owned(),
            start: start.min(length),
            end: end.min(length),
        }
    }

    /// Wraps the selection in `before`/`after` (`**bold**`); with nothing
    /// selected, inserts `placeholder` wrapped and selects it for typing over.
    pub fn wrap(&self, before: &str, after: &str, placeholder: &str) -> Selected {
        let (start, end) = (
            byte_index(&self.text, self.start),
            byte_index(&self.text, self.end),
        );
        let inner = if start == end {
            placeholder
        } else {
            &self.text[start..end]
        };
        let text = format!(
            "{}{before}{inner}{after}{}",
            &self.text[..start],
            &self.text[end..]
        );
        // Counted from where the edit really starts: a selection that began
        // inside a character (half a surrogate pair) starts after it.
        let selection_start = utf16_len(&self.text[..start]) + utf16_len(before);
        Selected {
            text,
            start: selection_start,
            end: selection_start + utf16_len(inner),
        }
    }

    /// Starts every selected line with `prefix` (`## `, `- `, `> `), or takes
    /// it away when every line already has it.
    pub fn toggle_line_prefix(&self, prefix: &str) -> Selected {
        let (start, end) = (
            byte_index(&self.text, self.start),
            byte_index(&self.text, self.end),
        );
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[end..]
            .find('\n')
            .map_or(self.text.len(), |i| end + i);
        let block = &self.text[line_start..line_end];
        let remove = block.split('\n').all(|line| line.starts_with(prefix));
        let changed: Vec<String> = block
            .split('\n')
            .map(|line| {
                if remove {
                    line.strip_prefix(prefix).unwrap_or(line).to_owned()
                } else {
                    format!("{prefix}{line}")
                }
            })
            .collect();
        let changed = changed.join("\n");
        let text = format!(
            "{}{changed}{}",
            &self.text[..line_start],
            &self.text[line_end..]
        );
        let block_start = utf16_len(&self.text[..line_start]);
        Selected {
            start: block_start,
            end: block_start + utf16_len(&changed),
            text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selected(text: &str, start: u32, end: u32) -> Selected {
        Selected::new(text, start, end)
    }

    /// The selected part of a result, to check the cursor lands where a writer expects.
    fn selection(result: &Selected) -> String {
        let units: Vec<u16> = result.text.encode_utf16().collect();
        String::from_utf16(&units[result.start as usize..result.end as usize]).unwrap()
    }

    #[test]
    fn wrapping_marks_the_selection() {
        let bold = selected("Listen first", 0, 6).wrap("**", "**", "bold");
        assert_eq!(bold.text, "**Listen** first");
        assert_eq!(selection(&bold), "Listen");

        let italic = selected("Listen first", 7, 12).wrap("_", "_", "italic");
        assert_eq!(italic.text, "Listen _first_");
        assert_eq!(selection(&italic), "first");
    }

    #[test]
    fn wrapping_nothing_inserts_a_placeholder_to_type_over() {
        let result = selected("Hello ", 6, 6).wrap("**", "**", "bold text");
        assert_eq!(result.text, "Hello **bold text**");
        assert_eq!(selection(&result), "bold text");

        let link = selected("See ", 4, 4).wrap("[", "](https://)", "link");
        assert_eq!(link.text, "See [link](https://)");
        assert_eq!(selection(&link), "link");
    }

    #[test]
    fn positions_count_utf16_like_the_browser() {
        // "niño 👪 familia": ñ is one UTF-16 unit, the emoji two.
        let text = "niño 👪 familia";
        let start = "niño 👪 ".encode_utf16().count() as u32;
        let end = text.encode_utf16().count() as u32;
        let result = selected(text, start, end).wrap("**", "**", "x");
        assert_eq!(result.text, "niño 👪 **familia**");
        assert_eq!(selection(&result), "familia");
    }

    #[test]
    fn out_of_range_or_reversed_selections_are_clamped() {
        let result = selected("abc", 10, 1).wrap("_", "_", "x");
        assert_eq!(result.text, "a_bc_");
        assert_eq!(selection(&result), "bc");
    }

    #[test]
    fn line_prefixes_apply_to_every_selected_line() {
        let text = "intro\nfirst\nsecond\nend";
        let start = "intro\nfi".len() as u32;
        let end = "intro\nfirst\nsec".len() as u32;
        let list = selected(text, start, end).toggle_line_prefix("- ");
        assert_eq!(list.text, "intro\n- first\n- second\nend");
        assert_eq!(selection(&list), "- first\n- second");

        let back = list.toggle_line_prefix("- ");
        assert_eq!(back.text, text, "a second press takes the marks away");
    }

    #[test]
    fn a_heading_goes_on_the_cursor_line() {
        let heading = selected("one\ntwo", 5, 5).toggle_line_prefix("## ");
        assert_eq!(heading.text, "one\n## two");
        let quote = selected("", 0, 0).toggle_line_prefix("> ");
        assert_eq!(quote.text, "> ");
    }

    #[test]
    fn a_selection_starting_inside_a_character_selects_the_wrapped_text() {
        // Found by `make fuzz`: the start between the two halves of 👪.
        let bold = Selected::new("a👪b", 2, 4).wrap("**", "**", "bold");
        assert_eq!(bold.text, "a👪**b**");
        let selected: String = String::from_utf16(
            &bold.text.encode_utf16().collect::<Vec<_>>()[bold.start as usize..bold.end as usize],
        )
        .unwrap();
        assert_eq!(selected, "b");
    }
}
