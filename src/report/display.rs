//! What a terminal may be shown of a file: secret values masked as `****`,
//! and control characters, ANSI escapes and bidirectional overrides from the
//! file shown escaped (`\u{1b}`), never interpreted by the terminal.
//!
//! Masking and escaping change lengths, so spans of the original file are
//! mapped onto the display text.

use std::borrow::Cow;

use crate::finding::Finding;
use crate::source::{SourceFile, Span};

const MASK: &str = "****";

/// The longest line shown in a snippet, in bytes; the rest is [`ELISION`].
const MAX_LINE_BYTES: usize = 1000;
const ELISION: &str = "…";

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
        let text = &original.text;
        let mut out = String::with_capacity(text.len());
        let mut replacements = Vec::new();
        let mut secrets = if mask_secrets {
            &original.secrets[..]
        } else {
            &[]
        }
        .iter()
        .peekable();
        let mut chars = text.char_indices().peekable();
        // Where the current line starts in `out`: lines longer than
        // MAX_LINE_BYTES are cut short, so a 10 MB line is not printed whole.
        let mut line_start = 0;
        while let Some((at, c)) = chars.next() {
            if c == '\n' {
                line_start = out.len() + 1;
            } else if out.len() - line_start >= MAX_LINE_BYTES {
                let rest = text.get(at..).unwrap_or_default();
                let line_end = at + rest.find(['\r', '\n']).unwrap_or(rest.len());
                let display_start = out.len();
                out.push_str(ELISION);
                replacements.push(Replacement {
                    original: Span::new(at, line_end.max(at + c.len_utf8())),
                    display: Span::new(display_start, out.len()),
                });
                while chars.next_if(|(next, _)| *next < line_end).is_some() {}
                continue;
            }
            // Skip secrets that start before here (overlapping or already passed).
            while secrets.next_if(|s| s.start < at).is_some() {}
            if let Some(secret) = secrets.next_if(|s| s.start == at && s.end > at) {
                let display_start = out.len();
                let written = original.slice(*secret);
                // Keep the quotes of a string so the snippet still reads as TOML/JSON.
                if written.len() >= 2 && (written.starts_with('"') || written.starts_with('\'')) {
                    let quote = &written[..1];
                    out.push_str(quote);
                    out.push_str(MASK);
                    out.push_str(quote);
                } else {
                    out.push_str(MASK);
                }
                replacements.push(Replacement {
                    original: *secret,
                    display: Span::new(display_start, out.len()),
                });
                while chars.next_if(|(next, _)| *next < secret.end).is_some() {}
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

    pub fn map_span(&self, span: Span) -> Span {
        let start = self.map_offset(span.start);
        // An end inside or at the end of a replacement covers all of it.
        // Replacements are sorted and disjoint: the only candidate is the first
        // one ending at or after span.end (a binary search, where a scan made
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

/// Control characters other than newline and tab, and the bidirectional
/// controls that can make a terminal show text other than what is there.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// A message or label with control characters escaped.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c) || c == '\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) || c == '\n' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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

/// The files whose secrets a finding's texts are masked with: its own and
/// those of its related locations, each once (related locations are often
/// in the finding's own file).
pub fn finding_files(finding: &Finding) -> Vec<&SourceFile> {
    let mut files: Vec<&SourceFile> = vec![&finding.file];
    for related in &finding.related {
        if !files.iter().any(|file| std::ptr::eq(*file, &*related.file)) {
            files.push(&related.file);
        }
    }
    files
}

/// Characters that may end a line for some reader of a log, beyond CR and LF.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Whether a character must be shown escaped (see [`escape_controls`]).
pub fn must_escape(c: char) -> bool {
    needs_escape(c) || is_line_break(c)
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
        assert_eq!(escape_controls("a\nb\u{7}"), "a\\u{a}b\\u{7}");
        assert_eq!(escape_controls("plain"), "plain");
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
