//! The JSON output: a versioned contract documented in the README.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use super::display::mask_secrets;

use crate::check::Outcome;
#[cfg(test)]
use crate::check::Summary;
use crate::finding::{Finding, Fix, RecordRef, Severity};
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
    let mut files: Vec<&SourceFile> = vec![&finding.file];
    files.extend(finding.related.iter().map(|related| &*related.file));
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

pub(super) fn render(outcome: &Outcome) -> String {
    // Each diagnostic is located, masked and written on its own core, then
    // put in place at the indentation serde_json's pretty printer gives the
    // whole document (the same bytes: strings never hold a raw line break).
    let diagnostics: Vec<String> = outcome
        .findings
        .par_iter()
        .map(|finding| pretty(&diagnostic(finding), "    ", true))
        .collect();
    let mut text =
        String::with_capacity(diagnostics.iter().map(|d| d.len() + 6).sum::<usize>() + 256);
    text.push_str(&format!("{{\n  \"version\": {VERSION},\n  \"summary\": "));
    text.push_str(&pretty(&outcome.summary, "  ", false));
    text.push_str(",\n  \"diagnostics\": ");
    if diagnostics.is_empty() {
        text.push_str("[]");
    } else {
        text.push_str("[\n");
        // Each piece is freed as soon as it is copied: the report is held
        // once, not twice.
        for (position, diagnostic) in diagnostics.into_iter().enumerate() {
            if position > 0 {
                text.push_str(",\n");
            }
            text.push_str(&diagnostic);
        }
        text.push_str("\n  ]");
    }
    text.push_str("\n}\n");
    text
}

/// `value` pretty-printed with every line indented by `indent`, the first
/// too when `indent_first` (an array element; not a value after its key).
fn pretty<T: Serialize>(value: &T, indent: &str, indent_first: bool) -> String {
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
        let mut outcome = crate::check(&[example], root);
        assert!(outcome.findings.len() > 10);
        for _ in 0..2 {
            let whole = Document {
                version: VERSION,
                summary: outcome.summary,
                diagnostics: outcome.findings.iter().map(diagnostic).collect(),
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(render(&outcome), expected);
            // And with no findings at all.
            outcome.findings.clear();
        }
    }
}
