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
    JsonSpan {
        start: file.line_column(span.start),
        end: file.line_column(span.end),
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
        let pieces: Vec<String> = chunk
            .par_iter()
            .map(|finding| pretty(&diagnostic(finding), "    ", true))
            .collect();
        for piece in &pieces {
            out.write_all(if any { b",\n" } else { b"[\n" })?;
            any = true;
            out.write_all(piece.as_bytes())?;
        }
        Ok(())
    })?;
    out.write_all(if any { b"\n  ]\n}\n" } else { b"[]\n}\n" })
}

/// `value` pretty-printed with every line indented by `indent`, the first
/// too when `indent_first` (an array element; not a value after its key).
pub(super) fn pretty<T: Serialize>(value: &T, indent: &str, indent_first: bool) -> String {
    let text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (position, line) in text.split('\n').enumerate() {
        if position > 0 {
            out.push('\n');
        }
        if position > 0 || indent_first {
            out.push_str(indent);
        }
        out.push_str(line);
    }
    out
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
