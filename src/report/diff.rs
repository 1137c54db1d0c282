//! `--diff`: what the fixes would change, as a unified diff per file. The
//! text is shown as the human report shows it: secrets masked unless asked,
//! control characters escaped.
//!
//! The hunks are built from the fixes' edits, which say which lines change,
//! rather than by diffing the two texts (a diff algorithm is quadratic in the
//! lines that differ, and a fix may touch every line of a file); they are
//! grouped and printed as `similar`'s unified diff prints them.

use std::fmt::Write as _;

use similar::{DiffOp, group_diff_ops};

use crate::fix::{FixedFile, Plan, Remap};
use crate::load::{Format, load_str};
use crate::source::display::DisplayFile;
use crate::source::{SourceFile, Span};

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

pub fn render(plan: &Plan, show_secrets: bool) -> String {
    let mut out = String::new();
    for fixed in &plan.files {
        out.push_str(&file_diff(fixed, show_secrets));
    }
    out
}

/// The diff of one file: `--- name`, `+++ name` and its hunks.
fn file_diff(fixed: &FixedFile, show_secrets: bool) -> String {
    let Some(remap) = Remap::new(&fixed.file.text, &fixed.edits) else {
        return String::new();
    };
    let (old, new) = with_secrets(fixed, &remap);
    let old_display = DisplayFile::new(&old, !show_secrets);
    let new_display = DisplayFile::new(&new, !show_secrets);
    let old_lines = Lines::of(&fixed.file.text);
    let new_lines = Lines::of(&remap.text);
    let old_shown = Lines::of(&old_display.file.text);
    let new_shown = Lines::of(&new_display.file.text);
    // The display copies keep every line break: line n is line n of the
    // file. Were that ever not so, no diff is better than a wrong one.
    if old_shown.count() != old_lines.count() || new_shown.count() != new_lines.count() {
        return String::new();
    }
    let old_line = |i: usize| old_shown.line(&old_display.file.text, i);
    let new_line = |i: usize| new_shown.line(&new_display.file.text, i);
    let ops = line_ops(fixed, &remap, &old_lines, &new_lines, &old_line, &new_line);
    let name = &fixed.file.name;
    let mut out = String::new();
    for hunk in group_diff_ops(ops, CONTEXT) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        if out.is_empty() {
            let _ = writeln!(out, "--- {name}\n+++ {name}");
        }
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            HunkRange(first.old_range().start, last.old_range().end),
            HunkRange(first.new_range().start, last.new_range().end)
        );
        for op in &hunk {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let (old_sign, new_sign) = match tag {
                similar::DiffTag::Equal => (" ", ""),
                _ => ("-", "+"),
            };
            for i in old_range {
                push_line(&mut out, old_sign, old_line(i));
            }
            if !new_sign.is_empty() {
                for i in new_range {
                    push_line(&mut out, new_sign, new_line(i));
                }
            }
        }
    }
    out
}

/// The file read and the fixed text, each with the credentials of both: a
/// fix may put a value under a credential key (renaming `pas` to `pass`),
/// which makes it one on both sides of the diff.
fn with_secrets(fixed: &FixedFile, remap: &Remap<'_>) -> (SourceFile, SourceFile) {
    let file = &fixed.file;
    let mut new_secrets: Vec<Span> = file.secrets().iter().map(|s| remap.forward(*s)).collect();
    if let Some(format) =
        Format::from_path(&file.path).or_else(|| Format::from_path(file.name.as_ref()))
    {
        new_secrets.extend(crate::model::secret_spans(&load_str(&remap.text, format)));
    }
    new_secrets.extend(crate::model::textual_secret_spans(&remap.text));
    let new = SourceFile::new(file.path.clone(), file.name.clone(), remap.text.clone())
        .with_secrets(new_secrets);
    let old_secrets = file
        .secrets()
        .iter()
        .copied()
        .chain(new.secrets().iter().map(|s| remap.back(*s)))
        .collect();
    let old = SourceFile::new(file.path.clone(), file.name.clone(), file.text.clone())
        .with_secrets(old_secrets);
    (old, new)
}

/// The diff's operations on lines: each edit changes the lines it covers in
/// the text read and the lines its replacement covers in the fixed text;
/// edits on the same or adjacent lines make one change (deletions, then
/// insertions), and the lines between changes are equal.
fn line_ops<'t>(
    fixed: &FixedFile,
    remap: &Remap<'_>,
    old_lines: &Lines,
    new_lines: &Lines,
    old_line: &dyn Fn(usize) -> &'t str,
    new_line: &dyn Fn(usize) -> &'t str,
) -> Vec<DiffOp> {
    // (old first, old end, new first, new end): line ranges, end exclusive.
    let mut changes: Vec<(usize, usize, usize, usize)> = Vec::new();
    for edit in &fixed.edits {
        let old = Span::new(edit.offset, edit.offset + edit.length);
        let new = remap.forward(old);
        let (old_first, old_end) = old_lines.covering(old);
        let (new_first, new_end) = new_lines.covering(new);
        match changes.last_mut() {
            Some(last) if old_first <= last.1 => {
                last.1 = last.1.max(old_end);
                last.3 = last.3.max(new_end);
            }
            _ => changes.push((old_first, old_end, new_first, new_end)),
        }
    }
    let mut ops = Vec::new();
    let (mut old_at, mut new_at) = (0, 0);
    let equal = |ops: &mut Vec<DiffOp>, old_at: usize, new_at: usize, len: usize| {
        if len > 0 {
            ops.push(DiffOp::Equal {
                old_index: old_at,
                new_index: new_at,
                len,
            });
        }
    };
    for (mut old_first, mut old_end, mut new_first, mut new_end) in changes {
        // Lines that read the same on both sides (a change hidden by a
        // mask) are context, not change.
        while old_first < old_end
            && new_first < new_end
            && old_line(old_first) == new_line(new_first)
        {
            old_first += 1;
            new_first += 1;
        }
        while old_first < old_end
            && new_first < new_end
            && old_line(old_end - 1) == new_line(new_end - 1)
        {
            old_end -= 1;
            new_end -= 1;
        }
        equal(&mut ops, old_at, new_at, old_first.saturating_sub(old_at));
        let (old_len, new_len) = (old_end - old_first, new_end - new_first);
        match (old_len, new_len) {
            (0, 0) => {}
            (_, 0) => ops.push(DiffOp::Delete {
                old_index: old_first,
                old_len,
                new_index: new_first,
            }),
            (0, _) => ops.push(DiffOp::Insert {
                old_index: old_first,
                new_index: new_first,
                new_len,
            }),
            _ => ops.push(DiffOp::Replace {
                old_index: old_first,
                old_len,
                new_index: new_first,
                new_len,
            }),
        }
        (old_at, new_at) = (old_end, new_end);
    }
    equal(
        &mut ops,
        old_at,
        new_at,
        old_lines.count().saturating_sub(old_at),
    );
    ops
}

/// Where the lines of a text start, as a line diff splits it: after each
/// `\n`, with no empty line after a final one.
struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    fn of(text: &str) -> Self {
        let mut starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1))
            .collect();
        if starts.last().is_some_and(|last| *last >= text.len()) {
            starts.pop();
        }
        Self {
            starts,
            len: text.len(),
        }
    }

    fn count(&self) -> usize {
        self.starts.len()
    }

    /// The line holding `offset` (the last line for an offset at the end).
    fn index(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|start| *start <= offset)
            .saturating_sub(1)
    }

    /// The lines a span covers, as a range; an empty span covers the line
    /// it is on.
    fn covering(&self, span: Span) -> (usize, usize) {
        if self.starts.is_empty() {
            return (0, 0);
        }
        let first = self.index(span.start);
        let last = self.index(span.end.saturating_sub(1).max(span.start));
        (first, (last + 1).min(self.count()))
    }

    fn line<'t>(&self, text: &'t str, i: usize) -> &'t str {
        let start = self.starts.get(i).copied().unwrap_or(self.len);
        let end = self.starts.get(i + 1).copied().unwrap_or(self.len);
        text.get(start..end).unwrap_or_default()
    }
}

/// A line of a hunk, marked when it has no line break.
fn push_line(out: &mut String, sign: &str, line: &str) {
    out.push_str(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// A hunk's range of lines as unified diffs write it: `start,length`, or
/// just `start` for one line; an empty range starts at the line before.
struct HunkRange(usize, usize);

impl std::fmt::Display for HunkRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.1.saturating_sub(self.0);
        match len {
            1 => write!(f, "{}", self.0 + 1),
            0 => write!(f, "{},0", self.0),
            _ => write!(f, "{},{}", self.0 + 1, len),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Edit;

    /// The diff built from the edits, and the one `similar` computes from
    /// the two texts.
    fn both(text: &str, edits: Vec<Edit>) -> (String, String) {
        let file = Arc::new(SourceFile::new(
            "x.toml".into(),
            "x.toml".into(),
            text.to_owned(),
        ));
        let fixed_text = Remap::new(text, &edits).unwrap().text;
        let fixed = FixedFile {
            file,
            edits,
            text: fixed_text.clone(),
            fixes: 1,
            rules: vec!["r"],
        };
        let ours = file_diff(&fixed, true);
        let theirs = similar::TextDiff::from_lines(text, fixed_text.as_str())
            .unified_diff()
            .context_radius(CONTEXT)
            .header("x.toml", "x.toml")
            .to_string();
        (ours, theirs)
    }

    fn edit(text: &str, old: &str, new: &str) -> Edit {
        Edit {
            offset: text.find(old).unwrap(),
            length: old.len(),
            replacement: new.to_owned(),
        }
    }

    #[test]
    fn hunks_from_edits_read_as_a_line_diff() {
        let lines: Vec<String> = (0..30).map(|n| format!("key{n} = \"v{n}\"")).collect();
        let text = lines.join("\n") + "\n";
        let cases: Vec<Vec<(&str, &str)>> = vec![
            vec![("\"v0\"", "\"V0\"")],
            vec![("\"v29\"", "\"V29\"")],
            // Adjacent lines: one change; far apart: two hunks; close: one.
            vec![("\"v3\"", "\"V3\""), ("\"v4\"", "\"V4\"")],
            vec![("\"v3\"", "\"V3\""), ("\"v20\"", "\"V20\"")],
            vec![("\"v3\"", "\"V3\""), ("\"v9\"", "\"V9\"")],
            vec![("\"v3\"", "\"V3\""), ("\"v10\"", "\"V10\"")],
            // Two edits on one line, an edit over a line break.
            vec![("key5", "Key5"), ("\"v5\"", "\"V5\"")],
            vec![("\"v7\"\nkey8", "\"v7\" key8")],
        ];
        for case in cases {
            let edits = case
                .iter()
                .map(|(old, new)| edit(&text, old, new))
                .collect();
            let (ours, theirs) = both(&text, edits);
            assert_eq!(ours, theirs, "{case:?}");
        }
        // Without a final line break.
        let text = "a = 1\nb = 2";
        let (ours, theirs) = both(text, vec![edit(text, "2", "3")]);
        assert_eq!(ours, theirs);
        assert!(ours.contains("\\ No newline at end of file"), "{ours}");
    }
}
