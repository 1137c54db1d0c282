//! miette graphical reports: the rule as the code, labels on the exact values,
//! related locations in other files, help, and a closing summary line.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;

use super::{RenderOptions, count};
use crate::check::Outcome;
use crate::finding::{Finding, Related, Severity};

/// Wide enough that messages are not wrapped in logs.
const WIDTH: usize = 120;

struct FindingReport<'a> {
    finding: &'a Finding,
    related: Vec<RelatedReport<'a>>,
}

struct RelatedReport<'a> {
    related: &'a Related,
}

impl fmt::Debug for FindingReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
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
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        has_text(self.finding).then_some(&*self.finding.file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !has_text(self.finding) {
            return None;
        }
        let finding = self.finding;
        let primary = LabeledSpan::new_primary_with_span(
            Some(if finding.label.is_empty() {
                finding.message.clone()
            } else {
                finding.label.clone()
            }),
            finding.span,
        );
        let secondary = finding
            .labels
            .iter()
            .map(|label| LabeledSpan::new_with_span(Some(label.message.clone()), label.span));
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
fn has_text(finding: &Finding) -> bool {
    !finding.file.text.is_empty()
}

impl fmt::Debug for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.related.message)
    }
}

impl fmt::Display for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.related.message, self.related.file.name)
    }
}

impl std::error::Error for RelatedReport<'_> {}

impl Diagnostic for RelatedReport<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.related.file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.related.message.clone()),
                self.related.span,
            ),
        )))
    }
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
    // Rendering is independent per finding: spread it over the cores.
    let reports: Vec<String> = outcome
        .findings
        .par_iter()
        .map(|finding| {
            let report = FindingReport {
                finding,
                related: finding
                    .related
                    .iter()
                    .map(|related| RelatedReport { related })
                    .collect(),
            };
            let mut out = String::new();
            if handler.render_report(&mut out, &report).is_err() {
                out = format!(
                    "{}: {}[{}] {}\n",
                    finding.file.name, finding.severity, finding.rule, finding.message
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
