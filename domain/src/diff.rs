//! What changed between two texts, line by line with the changed words marked,
//! for revision history and conflicts. Computed on the server only.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineChange {
    Same,
    Added,
    Removed,
    /// Unchanged lines left out between two changes.
    Gap,
}

/// One line of a diff; `parts` are (text, whether this part changed within the line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub change: LineChange,
    pub parts: Vec<(String, bool)>,
}

/// Lines kept around each change, so a reader sees where it sits.
#[cfg(feature = "diff")]
const CONTEXT_LINES: usize = 2;

/// The changes from `old` to `new`; empty when the texts are the same.
#[cfg(feature = "diff")]
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut lines = Vec::new();
    for (index, group) in diff.grouped_ops(CONTEXT_LINES).iter().enumerate() {
        if index > 0 {
            lines.push(DiffLine {
                change: LineChange::Gap,
                parts: Vec::new(),
            });
        }
        for op in group {
            for change in diff.iter_inline_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => LineChange::Same,
                    ChangeTag::Insert => LineChange::Added,
                    ChangeTag::Delete => LineChange::Removed,
                };
                let parts = change
                    .iter_strings_lossy()
                    .map(|(emphasised, text)| (text.trim_end_matches('\n').to_owned(), emphasised))
                    .filter(|(text, _)| !text.is_empty())
                    .collect();
                lines.push(DiffLine {
                    change: kind,
                    parts,
                });
            }
        }
    }
    lines
}

#[cfg(all(test, feature = "diff"))]
mod tests {
    use super::*;

    fn summary(lines: &[DiffLine]) -> Vec<(LineChange, String)> {
        lines
            .iter()
            .map(|line| {
                let text: String = line.parts.iter().map(|(text, _)| text.as_str()).collect();
                (line.change, text)
            })
            .collect()
    }

    #[test]
    fn identical_texts_have_no_diff() {
        assert!(line_diff("a\nb\n", "a\nb\n").is_empty());
        assert!(line_diff("", "").is_empty());
    }

    #[test]
    fn changed_lines_show_both_versions_with_the_changed_words() {
        let lines = line_diff(
            "Listen first.\nThen act.\n",
            "Listen first.\nThen act together.\n",
        );
        assert_eq!(
            summary(&lines),
            vec![
                (LineChange::Same, "Listen first.".to_owned()),
                (LineChange::Removed, "Then act.".to_owned()),
                (LineChange::Added, "Then act together.".to_owned()),
            ]
        );
        let added = &lines[2];
        assert!(
            added
                .parts
                .iter()
                .any(|(text, changed)| *changed && text.contains("together")),
            "{added:?}"
        );
        assert!(added
            .parts
            .iter()
            .any(|(text, changed)| !*changed && text.contains("Then")));
    }

    #[test]
    fn far_apart_changes_are_separated_by_a_gap() {
        let old: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 19\n", "line nineteen\n");
        let lines = line_diff(&old, &new);
        let gaps = lines.iter().filter(|l| l.change == LineChange::Gap).count();
        assert_eq!(gaps, 1);
        assert!(lines.len() < 20, "unchanged middle lines are left out");
        let text = summary(&lines);
        assert!(text.contains(&(LineChange::Added, "line two".to_owned())));
        assert!(text.contains(&(LineChange::Removed, "line 19".to_owned())));
    }

    #[test]
    fn a_text_without_final_newline_still_diffs() {
        let lines = line_diff("one", "one\ntwo");
        let text = summary(&lines);
        assert!(
            text.contains(&(LineChange::Added, "two".to_owned())),
            "{text:?}"
        );
    }
}
