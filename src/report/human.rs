//! miette graphical reports: the rule as the code, labels on the exact values,
//! related locations in other files, help, and a closing summary line.
//! Snippets come from a display copy of each file (secrets masked, control
//! characters escaped, see display.rs), never from the raw text.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;

use super::{RenderOptions, count};
use crate::model::Outcome;
use crate::model::{Finding, Severity};
use crate::source::display::{DisplayFile, Shown};
use crate::source::{SourceFile, Span, file_key};
use crate::text::escape::escape_controls;

/// Wide enough that messages are not wrapped in logs.
const WIDTH: usize = 120;

struct FindingReport<'a> {
    finding: &'a Finding,
    message: String,
    file: &'a DisplayFile,
    /// The display copy with the positions of the file itself.
    shown: Shown<'a>,
    related: Vec<RelatedReport<'a>>,
}

struct RelatedReport<'a> {
    message: String,
    file: &'a DisplayFile,
    shown: Shown<'a>,
    span: Span,
}

fn labeled(file: &DisplayFile, span: Span, label: &str, primary: bool) -> LabeledSpan {
    let span = file.map_span(span);
    let label = Some(escape_controls(label).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(label, span)
    } else {
        LabeledSpan::new_with_span(label, span)
    }
}

impl fmt::Debug for FindingReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingReport<'_> {}

impl Diagnostic for FindingReport<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_deref()
            .map(|help| Box::new(escape_controls(help)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        has_text(&self.file.file).then_some(&self.shown as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !has_text(&self.file.file) {
            return None;
        }
        let finding = self.finding;
        let label = if finding.label.is_empty() {
            finding.message.as_str()
        } else {
            &*finding.label
        };
        let primary = labeled(self.file, finding.span, label, true);
        let secondary = finding
            .labels
            .iter()
            .map(|label| labeled(self.file, label.span, &label.message, false));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A finding in an empty or binary file has nothing to show a snippet of.
fn has_text(file: &SourceFile) -> bool {
    !file.text.is_empty()
}

impl fmt::Debug for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.file.file.name)
    }
}

impl std::error::Error for RelatedReport<'_> {}

impl Diagnostic for RelatedReport<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.shown as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(labeled(
            self.file,
            self.span,
            &self.message,
            true,
        ))))
    }
}

/// One display copy per file that a finding shows, built in parallel.
fn display_files(outcome: &Outcome, mask_secrets: bool) -> HashMap<usize, DisplayFile> {
    let mut files: HashMap<usize, &Arc<SourceFile>> = HashMap::new();
    for finding in &outcome.findings {
        files.insert(file_key(&finding.file), &finding.file);
        for related in &finding.related {
            files.insert(file_key(&related.file), &related.file);
        }
    }
    let files: Vec<(usize, &Arc<SourceFile>)> = files.into_iter().collect();
    files
        .into_par_iter()
        .map(|(key, file)| (key, DisplayFile::new(file, mask_secrets)))
        .collect()
}

pub(super) fn render(outcome: &Outcome, options: RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    let displays = display_files(outcome, !options.show_secrets);
    // Rendering is independent per finding: spread it over the cores.
    let reports: Vec<String> = outcome
        .findings
        .par_iter()
        .map(|finding| {
            let mut out = String::new();
            let file = displays.get(&file_key(&finding.file));
            let related: Option<Vec<RelatedReport<'_>>> = finding
                .related
                .iter()
                .map(|related| {
                    let file = displays.get(&file_key(&related.file))?;
                    Some(RelatedReport {
                        message: escape_controls(&related.message).into_owned(),
                        file,
                        shown: Shown {
                            display: file,
                            original: &related.file,
                            labels: vec![(file.map_span(related.span).start, related.span.start)],
                        },
                        span: related.span,
                    })
                })
                .collect();
            let rendered = match (file, related) {
                (Some(file), Some(related)) => {
                    let report = FindingReport {
                        finding,
                        message: escape_controls(&finding.message).into_owned(),
                        file,
                        shown: Shown {
                            display: file,
                            original: &finding.file,
                            labels: std::iter::once(finding.span)
                                .chain(finding.labels.iter().map(|label| label.span))
                                .map(|span| (file.map_span(span).start, span.start))
                                .collect(),
                        },
                        related,
                    };
                    handler.render_report(&mut out, &report).is_ok()
                }
                _ => false,
            };
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
    let mut out = reports.concat();
    out.push_str(&summary_line(outcome));
    out
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
