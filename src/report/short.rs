//! `path:line:col: severity[rule] message`, one line per finding.

use std::fmt::Write;

use super::display::escape_controls;
use crate::check::Outcome;

pub(super) fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for finding in &outcome.findings {
        let at = finding.file.line_column(finding.span.start);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            escape_controls(&finding.file.name),
            at.line,
            at.column,
            finding.severity,
            finding.rule,
            escape_controls(&finding.message)
        );
    }
    out
}
