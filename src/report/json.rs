//! The JSON output: a versioned contract documented in the README.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use super::display::mask_secrets;

use crate::check::{Outcome, Summary};
use crate::finding::{Finding, Fix, RecordRef, Severity};
use crate::source::{LineColumn, SourceFile, Span};

/// Bumped on any change that could break a consumer.
pub const VERSION: u32 = 1;

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
    let document = Document {
        version: VERSION,
        summary: outcome.summary,
        // Locating and masking every finding is most of the work: in parallel.
        diagnostics: outcome.findings.par_iter().map(diagnostic).collect(),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}
