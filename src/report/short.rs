//! `path:line:col: severity[rule] message`, one line per finding; related
//! locations in other places follow on the same line as
//! `(see also path:line:col, ...)`.

use std::fmt::Write;

use crate::model::Outcome;
use crate::text::escape::{escape_controls, escape_for_line};

pub(super) fn write(outcome: &Outcome, write: &mut dyn std::io::Write) -> std::io::Result<()> {
    outcome.chunks(&mut |chunk| write.write_all(render(chunk).as_bytes()))
}

fn render(findings: &[crate::model::Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        let at = finding.file.line_column(finding.span.start);
        let _ = write!(
            out,
            "{}:{}:{}: {}[{}] {}",
            escape_controls(&finding.file.name),
            at.line,
            at.column,
            finding.severity,
            finding.rule,
            escape_for_line(&finding.message)
        );
        for (position, related) in finding.related.iter().enumerate() {
            let at = related.file.line_column(related.span.start);
            let _ = write!(
                out,
                "{}{}:{}:{}",
                if position == 0 { " (see also " } else { ", " },
                escape_controls(&related.file.name),
                at.line,
                at.column
            );
        }
        if !finding.related.is_empty() {
            out.push(')');
        }
        out.push('\n');
    }
    out
}
