//! miette graphical reports: the rule as the code, labels on the exact values,
//! related locations in other files, help, and a closing summary line.
//! Snippets come from a display copy of each file (secrets masked, control
//! characters escaped, see source/display.rs), never from the raw text; miette.rs
//! is the adapter.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::RenderOptions;
use super::miette::{Report, handler, label};
use crate::model::Outcome;
use crate::model::{Finding, Severity};
use crate::source::display::{DisplayFile, Shown};
use crate::source::{SourceFile, file_key};
use crate::text::escape::escape_controls;
use crate::text::words::count;

fn severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Display copies of files, by [`file_key`], each with the file it is a
/// copy of (which keeps the key from naming another file while it is here).
type Displays = HashMap<usize, (Arc<SourceFile>, DisplayFile)>;

/// The report of a finding whose file and related files all have display
/// copies in `displays`.
fn report<'a>(finding: &'a Finding, displays: &'a Displays) -> Option<Report<'a>> {
    let (_, display) = displays.get(&file_key(&finding.file))?;
    let related = finding
        .related
        .iter()
        .map(|related| {
            let (_, display) = displays.get(&file_key(&related.file))?;
            Some(Report {
                title: format!(
                    "{} ({})",
                    escape_controls(&related.message),
                    display.file.name
                ),
                code: None,
                severity: Some(miette::Severity::Advice),
                help: None,
                source: Some(Shown {
                    display,
                    original: &related.file,
                    labels: vec![(display.map_span(related.span).start, related.span.start)],
                }),
                labels: vec![label(display, related.span, &related.message, true)],
                related: Vec::new(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    // A finding in an empty or binary file has nothing to show a snippet of.
    let has_text = !display.file.text.is_empty();
    let primary = if finding.label.is_empty() {
        finding.message.as_str()
    } else {
        &*finding.label
    };
    Some(Report {
        title: escape_controls(&finding.message).into_owned(),
        code: Some(finding.rule),
        severity: Some(severity(finding.severity)),
        help: finding.help.as_deref(),
        source: has_text.then(|| Shown {
            display,
            original: &finding.file,
            labels: std::iter::once(finding.span)
                .chain(finding.labels.iter().map(|label| label.span))
                .map(|span| (display.map_span(span).start, span.start))
                .collect(),
        }),
        labels: std::iter::once(label(display, finding.span, primary, true))
            .chain(
                finding
                    .labels
                    .iter()
                    .map(|l| label(display, l.span, &l.message, false)),
            )
            .collect(),
        related,
    })
}

/// Adds a display copy of every file the findings of `chunk` show that
/// `displays` lacks, built in parallel.
fn add_display_files(displays: &mut Displays, chunk: &[Finding], mask_secrets: bool) {
    let mut files: HashMap<usize, &Arc<SourceFile>> = HashMap::new();
    for finding in chunk {
        files.insert(file_key(&finding.file), &finding.file);
        for related in &finding.related {
            files.insert(file_key(&related.file), &related.file);
        }
    }
    let files: Vec<(usize, &Arc<SourceFile>)> = files
        .into_iter()
        .filter(|(key, _)| !displays.contains_key(key))
        .collect();
    let made: Vec<_> = files
        .into_par_iter()
        .map(|(key, file)| {
            let display = DisplayFile::new(file, mask_secrets);
            (key, (Arc::clone(file), display))
        })
        .collect();
    displays.extend(made);
}

pub(super) fn write(
    outcome: &Outcome,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let handler = handler(options.color);
    let mut displays = Displays::new();
    outcome.chunks(&mut |chunk| {
        add_display_files(&mut displays, chunk, !options.show_secrets);
        // Rendering is independent per finding: spread it over the cores.
        let reports: Vec<String> = chunk
            .par_iter()
            .map(|finding| {
                let mut out = String::new();
                let rendered = report(finding, &displays)
                    .is_some_and(|report| handler.render_report(&mut out, &report).is_ok());
                if !rendered {
                    out = format!(
                        "{}: {}[{}] {}\n",
                        escape_controls(&finding.file.name),
                        finding.severity,
                        finding.rule,
                        escape_controls(&finding.message)
                    );
                }
                out.push('\n');
                out
            })
            .collect();
        for report in &reports {
            out.write_all(report.as_bytes())?;
        }
        // A copy is kept while something besides it holds its file (findings
        // still to come hold theirs).
        displays.retain(|_, (file, _)| Arc::strong_count(file) > 1);
        Ok(())
    })?;
    out.write_all(summary_line(outcome).as_bytes())
}

fn summary_line(outcome: &Outcome) -> String {
    let s = outcome.summary;
    let checked = format!(
        "{} ({})",
        count(s.files, "file", "files"),
        count(s.records, "record", "records")
    );
    if s.errors + s.warnings + s.infos == 0 {
        format!("Checked {checked}: no problems found.\n")
    } else {
        format!(
            "Checked {checked}: {}, {}, {}.\n",
            count(s.errors, "error", "errors"),
            count(s.warnings, "warning", "warnings"),
            count(s.infos, "info", "infos")
        )
    }
}
