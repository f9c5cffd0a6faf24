//! The text diff the desk shows, on the stale save's page and in the history's comparison:
//! each line of a text kept, removed or added, with the words that changed inside a line
//! marked (`similar`'s inline diff), and a one-line text (a headline) word by word.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// A run of text within a line; `changed` when it is what differs.
#[derive(Debug, PartialEq, Serialize)]
pub struct Part {
    pub text: String,
    pub changed: bool,
}

/// One line: `same`, `old` (only in the old text) or `new` (only in the new one).
#[derive(Debug, PartialEq, Serialize)]
pub struct Line {
    pub kind: &'static str,
    pub parts: Vec<Part>,
}

fn kind(tag: ChangeTag) -> &'static str {
    match tag {
        ChangeTag::Equal => "same",
        ChangeTag::Delete => "old",
        ChangeTag::Insert => "new",
    }
}

/// `old` against `new` line by line, changed words marked.
pub fn lines(old: &str, new: &str) -> Vec<Line> {
    let diff = TextDiff::from_lines(old, new);
    diff.ops()
        .iter()
        .flat_map(|op| diff.iter_inline_changes(op))
        .map(|change| Line {
            kind: kind(change.tag()),
            parts: change
                .iter_strings_lossy()
                .map(|(changed, text)| Part {
                    text: text.trim_end_matches('\n').to_owned(),
                    changed: changed && change.tag() != ChangeTag::Equal,
                })
                .filter(|p| !p.text.is_empty())
                .collect(),
        })
        .collect()
}

/// `old` against `new` word by word, for a one-line text (a headline): two lines, the old
/// with its removed words marked and the new with its added ones.
pub fn words(old: &str, new: &str) -> Vec<Line> {
    let diff = TextDiff::from_words(old, new);
    let side = |keep: ChangeTag| Line {
        kind: kind(keep),
        parts: diff
            .iter_all_changes()
            .filter(|c| c.tag() == ChangeTag::Equal || c.tag() == keep)
            .map(|c| Part {
                text: c.value().to_owned(),
                changed: c.tag() == keep,
            })
            .collect(),
    };
    vec![side(ChangeTag::Delete), side(ChangeTag::Insert)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_old_then_new_with_the_changed_word_marked() {
        let diff = lines("One.\nThe river rose.\n", "One.\nThe river fell.\n");
        let kinds: Vec<&str> = diff.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, ["same", "old", "new"]);
        let marked: Vec<&str> = diff[2]
            .parts
            .iter()
            .filter(|p| p.changed)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["fell."]);
    }

    #[test]
    fn a_headline_is_compared_word_by_word() {
        let diff = words("Floods in Sindh", "Floods in Punjab");
        let marked: Vec<(&str, Vec<&str>)> = diff
            .iter()
            .map(|l| {
                let changed = l.parts.iter().filter(|p| p.changed);
                (l.kind, changed.map(|p| p.text.as_str()).collect())
            })
            .collect();
        assert_eq!(marked, [("old", vec!["Sindh"]), ("new", vec!["Punjab"])]);
    }
}
