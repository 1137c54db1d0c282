//! What a terminal may be shown of a file: secret values masked as `****`,
//! and control characters, ANSI escapes and bidirectional overrides from the
//! file shown escaped (`\u{1b}`), never interpreted by the terminal.
//!
//! Masking and escaping change lengths, so spans of the original file are
//! mapped onto the display text.

use std::borrow::Cow;

use miette::SourceCode;

use super::{SourceFile, Span};
use crate::text::escape::{escape_controls, needs_escape};

pub const MASK: &str = "****";

/// The longest line shown in a snippet, in bytes; the rest is [`ELISION`]
/// (or [`ASCII_ELISION`]).
const MAX_LINE_BYTES: usize = 1000;
const ELISION: &str = "…";
const ASCII_ELISION: &str = "...";

/// A replaced region: `original` bytes of the file are shown as `display`.
#[derive(Debug, Clone, Copy)]
struct Replacement {
    original: Span,
    display: Span,
}

/// A file's display text, with the map from original offsets.
#[derive(Debug)]
pub struct DisplayFile {
    pub file: SourceFile,
    replacements: Vec<Replacement>,
}

impl DisplayFile {
    pub fn new(original: &SourceFile, mask_secrets: bool) -> Self {
        Self::drawn(original, mask_secrets, false)
    }

    /// [`DisplayFile::new`], a line cut short ending in `...` rather than
    /// `…` when `ascii` (a terminal that shows no Unicode).
    pub fn drawn(original: &SourceFile, mask_secrets: bool, ascii: bool) -> Self {
        let elision = if ascii { ASCII_ELISION } else { ELISION };
        let text = &original.text;
        let mut out = String::with_capacity(text.len());
        let mut replacements = Vec::new();
        let secrets: &[Span] = if mask_secrets {
            original.secrets()
        } else {
            &[]
        };
        // The first secret that may still cover the current character
        // (secrets are sorted and do not overlap).
        let mut secret = 0;
        let mut chars = text.char_indices().peekable();
        // Where the current line starts in `out`: lines longer than
        // MAX_LINE_BYTES are cut short, so a 10 MB line is not printed whole.
        let mut line_start = 0;
        while let Some((at, c)) = chars.next() {
            // Line breaks are kept everywhere, inside a secret too, so that
            // every line of the display is the line of the file.
            if c == '\n' {
                out.push('\n');
                line_start = out.len();
                continue;
            }
            // A byte order mark is not shown (nor counted as a column).
            if at == 0 && c == '\u{FEFF}' {
                replacements.push(Replacement {
                    original: Span::new(0, c.len_utf8()),
                    display: Span::new(0, 0),
                });
                continue;
            }
            let line_end = || {
                let rest = text.get(at..).unwrap_or_default();
                at + rest.find(['\r', '\n']).unwrap_or(rest.len())
            };
            if out.len() - line_start >= MAX_LINE_BYTES {
                let line_end = line_end();
                let display_start = out.len();
                out.push_str(elision);
                replacements.push(Replacement {
                    original: Span::new(at, line_end.max(at + c.len_utf8())),
                    display: Span::new(display_start, out.len()),
                });
                while chars.next_if(|(next, _)| *next < line_end).is_some() {}
                continue;
            }
            while secrets.get(secret).is_some_and(|s| s.end <= at) {
                secret += 1;
            }
            if let Some(span) = secrets.get(secret).filter(|s| s.start <= at) {
                // The secret's part on this line is masked; its quotes are
                // kept so that the snippet still reads as TOML/JSON.
                let rest = text.get(at..span.end).unwrap_or_default();
                let segment_end = at + rest.find('\n').unwrap_or(rest.len());
                let written = original.slice(*span);
                let quote = written
                    .get(..1)
                    .filter(|q| written.len() >= 2 && matches!(*q, "\"" | "'"))
                    .unwrap_or("");
                let display_start = out.len();
                if at == span.start {
                    out.push_str(quote);
                }
                out.push_str(MASK);
                if segment_end == span.end {
                    out.push_str(quote);
                }
                replacements.push(Replacement {
                    original: Span::new(at, segment_end),
                    display: Span::new(display_start, out.len()),
                });
                while chars.next_if(|(next, _)| *next < segment_end).is_some() {}
                continue;
            }
            let crlf = c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n');
            if needs_escape(c) && !crlf {
                let display_start = out.len();
                out.push_str(&c.escape_unicode().to_string());
                replacements.push(Replacement {
                    original: Span::new(at, at + c.len_utf8()),
                    display: Span::new(display_start, out.len()),
                });
            } else {
                out.push(c);
            }
        }
        Self {
            // A file name from a pull request may hold an escape sequence too.
            file: SourceFile::new(
                original.path.clone(),
                escape_controls(&original.name).into_owned(),
                out,
            ),
            replacements,
        }
    }

    /// Where an original offset is in the display text.
    pub fn map_offset(&self, offset: usize) -> usize {
        let before = self
            .replacements
            .partition_point(|r| r.original.end <= offset);
        if let Some(inside) = self.replacements.get(before)
            && inside.original.start <= offset
        {
            return inside.display.start;
        }
        match before.checked_sub(1).and_then(|i| self.replacements.get(i)) {
            Some(last) => offset - last.original.end + last.display.end,
            None => offset,
        }
    }

    /// Where a display offset was in the original text (the start of what
    /// a replacement shows).
    pub fn original_offset(&self, offset: usize) -> usize {
        let before = self
            .replacements
            .partition_point(|r| r.display.end <= offset);
        if let Some(inside) = self.replacements.get(before)
            && inside.display.start <= offset
            && offset < inside.display.end
        {
            return inside.original.start;
        }
        match before.checked_sub(1).and_then(|i| self.replacements.get(i)) {
            Some(last) => offset - last.display.end + last.original.end,
            None => offset,
        }
    }

    pub fn map_span(&self, span: Span) -> Span {
        let start = self.map_offset(span.start);
        // An end inside or at the end of a replacement covers all of it.
        // Replacements are sorted and disjoint: the only candidate is the first
        // one ending at or after span.end (a binary search: a scan would make
        // rendering quadratic in the secrets of a file).
        let inside = self
            .replacements
            .get(
                self.replacements
                    .partition_point(|r| r.original.end < span.end),
            )
            .filter(|r| r.original.start < span.end);
        let end = match inside {
            Some(r) => r.display.end,
            None => self.map_offset(span.end),
        };
        Span::new(start, end.max(start))
    }
}

/// A display copy as miette reads it, with the position miette prints in
/// each snippet's header (`[file:line:column]`) taken from the original
/// file: counted in characters, as every other format counts them, whatever
/// the display copy escaped, masked or cut. `labels` holds, for the report's
/// labels, where each starts in the display copy and in the file.
pub struct Shown<'a> {
    pub display: &'a DisplayFile,
    pub original: &'a SourceFile,
    pub labels: Vec<(usize, usize)>,
}

impl SourceCode for Shown<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        self.display.read_span_of(
            self.original,
            &self.labels,
            span,
            context_lines_before,
            context_lines_after,
        )
    }
}

impl DisplayFile {
    /// miette's `read_span` of the display copy, except that a span read
    /// without context (a label's, for the position miette prints in a
    /// snippet's header) has the line and column it has in `original`, the
    /// file this is a copy of: the label's own start when `labels` (display
    /// start, original start) knows it, else the start of what the display
    /// shows there.
    pub fn read_span_of<'a>(
        &'a self,
        original: &SourceFile,
        labels: &[(usize, usize)],
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self
            .file
            .read_span(span, context_lines_before, context_lines_after)?;
        if context_lines_before > 0 || context_lines_after > 0 {
            return Ok(contents);
        }
        let at = labels
            .iter()
            .find(|(display, _)| *display == span.offset())
            .map_or_else(|| self.original_offset(span.offset()), |(_, at)| *at);
        let at = original.line_column(at);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.file.name.clone(),
            contents.data(),
            *contents.span(),
            at.line.saturating_sub(1),
            at.column.saturating_sub(1),
            contents.line_count(),
        )))
    }
}

/// `text` with every secret value of `files` replaced by `****`: messages are
/// written by rules that never quote a credential, and this keeps it so for
/// outputs that leave the machine (annotations, SARIF uploads).
pub fn mask_secrets<'t>(text: &'t str, files: &[&SourceFile]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for file in files {
        if let Cow::Owned(masked) = file.mask_secret_values(&out, MASK) {
            out = Cow::Owned(masked);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, secrets: Vec<Span>) -> SourceFile {
        SourceFile::new("x.toml".into(), "x.toml".into(), text.to_owned()).with_secrets(secrets)
    }

    #[test]
    fn secrets_are_masked_and_spans_follow() {
        let text = "pass = \"Rr8xkq2Lw\"\nstatus = \"ADMIN\"\n";
        let secret = Span::new(7, 18);
        let original = file(text, vec![secret]);
        let display = DisplayFile::new(&original, true);
        assert_eq!(display.file.text, "pass = \"****\"\nstatus = \"ADMIN\"\n");
        let admin = Span::new(
            text.find("\"ADMIN\"").unwrap(),
            text.find("\"ADMIN\"").unwrap() + 7,
        );
        assert_eq!(display.file.slice(display.map_span(admin)), "\"ADMIN\"");
        assert_eq!(display.file.slice(display.map_span(secret)), "\"****\"");
        assert!(!display.file.text.contains("Rr8"));
        let shown = DisplayFile::new(&original, false);
        assert_eq!(shown.file.text, text);
    }

    #[test]
    fn control_characters_are_escaped() {
        let text = "fullname = \"\u{1b}[31mred\u{202e}\"\r\nx = 1\n";
        let display = DisplayFile::new(&file(text, vec![]), true);
        assert_eq!(
            display.file.text,
            "fullname = \"\\u{1b}[31mred\\u{202e}\"\r\nx = 1\n"
        );
        let x = text.find("x =").unwrap();
        assert_eq!(
            display.file.slice(display.map_span(Span::new(x, x + 1))),
            "x"
        );
    }

    #[test]
    fn many_secrets_are_masked_in_messages_alike() {
        // Enough values for the prefix index, with one a prefix of another.
        let mut text = String::new();
        let mut spans = Vec::new();
        for n in 0..20 {
            let line = format!("pass = \"Secret{n:02}\"\n");
            spans.push(Span::new(text.len() + 7, text.len() + line.len() - 1));
            text.push_str(&line);
        }
        text.push_str("conf_secret = \"Secret0\"\n");
        spans.push(Span::new(text.len() - 10, text.len() - 1));
        let f = file(&text, spans);
        assert_eq!(
            mask_secrets("`Secret07`, \"Secret19\", Secret0 and Secret20", &[&f]),
            "`****`, ****, **** and Secret20"
        );
        assert!(matches!(
            mask_secrets("nothing secret", &[&f]),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn secrets_are_masked_in_messages() {
        let text = "pass = \"Rr8xkq2Lw\"\nconf_secret = \"abc\"\n";
        let f = file(text, vec![Span::new(7, 18), Span::new(33, 38)]);
        assert_eq!(
            mask_secrets("`Rr8xkq2Lw` and \"Rr8xkq2Lw\" and abc", &[&f]),
            "`****` and **** and abc"
        );
    }
}
