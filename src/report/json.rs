//! The JSON output: a versioned contract documented in the README.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use crate::source::display::mask_secrets;

use crate::model::Outcome;
#[cfg(test)]
use crate::model::Summary;
use crate::model::{Finding, Fix, RecordRef, Severity};
use crate::source::{LineColumn, SourceFile, Span};

/// Bumped on any change that could break a consumer.
pub const VERSION: u32 = 1;

/// The whole document as one value: what [`render`] writes piece by piece.
#[cfg(test)]
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<Diagnostic<'a>>,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    rule: &'static str,
    severity: Severity,
    message: Cow<'a, str>,
    path: &'a str,
    span: JsonSpan,
    record: Option<&'a RecordRef>,
    help: Option<Cow<'a, str>>,
    related: Vec<Related<'a>>,
    fix: Option<&'a Fix>,
}

#[derive(Serialize)]
struct JsonSpan {
    start: LineColumn,
    end: LineColumn,
    offset: usize,
    length: usize,
}

#[derive(Serialize)]
struct Related<'a> {
    path: &'a str,
    span: JsonSpan,
    message: Cow<'a, str>,
}

fn json_span(file: &SourceFile, span: Span) -> JsonSpan {
    let (start, end) = file.line_columns(span.start, span.end);
    JsonSpan {
        start,
        end,
        offset: span.start,
        length: span.len(),
    }
}

/// Messages are masked like annotations: rules never quote a credential,
/// and this keeps it so for a JSON report that leaves the machine.
fn diagnostic(finding: &Finding) -> Diagnostic<'_> {
    let files = finding.files();
    Diagnostic {
        rule: finding.rule,
        severity: finding.severity,
        message: mask_secrets(&finding.message, &files),
        path: &finding.file.name,
        span: json_span(&finding.file, finding.span),
        record: finding.record.as_ref(),
        help: finding
            .help
            .as_deref()
            .map(|help| mask_secrets(help, &files)),
        related: finding
            .related
            .iter()
            .map(|related| Related {
                path: &related.file.name,
                span: json_span(&related.file, related.span),
                message: mask_secrets(&related.message, &files),
            })
            .collect(),
        fix: finding.fix.as_ref(),
    }
}

/// Writes the report: the findings of a chunk are located, masked and
/// serialized on all cores, each put in place at the indentation serde_json's
/// pretty printer gives the whole document (the same bytes: strings never
/// hold a raw line break), and written before the next chunk is read.
pub(super) fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write!(
        out,
        "{{\n  \"version\": {VERSION},\n  \"summary\": {},\n  \"diagnostics\": ",
        pretty(&outcome.summary, "  ", false)
    )?;
    let mut any = false;
    outcome.chunks(&mut |chunk| {
        let pieces = elements(chunk, |finding, out| {
            write_pretty(out, &diagnostic(finding), "    ", true);
        });
        for piece in &pieces {
            any = write_elements(out, piece, any)?;
        }
        Ok(())
    })?;
    out.write_all(if any { b"\n  ]\n}\n" } else { b"[]\n}\n" })
}

/// Array elements written on all cores, a few dozen to a buffer, each
/// preceded by `,\n` (see [`write_elements`]).
pub(super) fn elements<T: Sync>(
    items: &[T],
    write: impl Fn(&T, &mut Vec<u8>) + Sync,
) -> Vec<Vec<u8>> {
    items
        .par_chunks(64)
        .map(|items| {
            let mut out = Vec::with_capacity(items.len() * 1024);
            for item in items {
                out.extend_from_slice(b",\n");
                write(item, &mut out);
            }
            out
        })
        .collect()
}

/// Writes a buffer of [`elements`]: the first element of the array opens it
/// (`[\n` rather than `,\n`). Whether an element was written, now or before.
pub(super) fn write_elements(
    out: &mut dyn std::io::Write,
    piece: &[u8],
    any: bool,
) -> std::io::Result<bool> {
    match piece.strip_prefix(b",\n") {
        Some(first) if !any => {
            out.write_all(b"[\n")?;
            out.write_all(first)?;
            Ok(true)
        }
        _ => {
            out.write_all(piece)?;
            Ok(any || !piece.is_empty())
        }
    }
}

/// serde_json's pretty printer (an indent of two spaces), with every line
/// after the first starting with `base`: a value put in place inside a
/// larger document (the same bytes: strings never hold a raw line break),
/// written straight into the output.
struct Indented<'b> {
    base: &'b [u8],
    current: usize,
    has_value: bool,
}

impl Indented<'_> {
    fn indent<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(self.base)?;
        for _ in 0..self.current {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    /// Opens an array or an object one level deeper.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.current += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// Closes it, on a line of its own when it held a value.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.current = self.current.saturating_sub(1);
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented<'_> {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Appends `value` pretty-printed with every line indented by `base`, the
/// first too when `indent_first` (an array element; not a value after its
/// key).
pub(super) fn write_pretty<T: Serialize>(
    out: &mut Vec<u8>,
    value: &T,
    base: &str,
    indent_first: bool,
) {
    if indent_first {
        out.extend_from_slice(base.as_bytes());
    }
    let formatter = Indented {
        base: base.as_bytes(),
        current: 0,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    if let Err(error) = value.serialize(&mut serializer) {
        // Writing to memory cannot fail, nor these values be refused.
        out.extend_from_slice(format!("{{\"error\": \"{error}\"}}").as_bytes());
    }
}

/// [`write_pretty`] as text.
pub(super) fn pretty<T: Serialize>(value: &T, indent: &str, indent_first: bool) -> String {
    let mut out = Vec::new();
    write_pretty(&mut out, value, indent, indent_first);
    String::from_utf8(out)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written in parallel pieces, the report is byte for byte what
    /// serde_json writes for the whole document.
    #[test]
    fn pieces_make_the_pretty_printed_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let example = root.join("fixtures/example");
        let workspace = crate::workspace::Workspace::isolated(root);
        let mut outcome = crate::check::check(&workspace, &[example], None);
        assert!(outcome.findings.len() > 10);
        for _ in 0..2 {
            let whole = Document {
                version: VERSION,
                summary: outcome.summary,
                diagnostics: outcome.findings.iter().map(diagnostic).collect(),
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(
                super::super::render(
                    super::super::OutputFormat::Json,
                    &outcome,
                    Default::default()
                ),
                expected
            );
            // And with no findings at all.
            outcome.findings.clear();
        }
    }
}
