//! `path:line:col: severity[rule] message`, one line per finding (`[*]`
//! before the message when `--fix` fixes it); related locations in other
//! places follow on the same line as `(see also path:line:col, ...)`. The
//! summary of human output closes it, on stdout as ruff's concise output
//! does: a tool reading `path:line:col:` lines passes over it, and the
//! report stays whole when it is written to a file.

use std::fmt::Write;

use super::RenderOptions;
use super::summary::{self, FIXABLE};
use crate::model::Outcome;
use crate::text::escape::{escape_controls, escape_for_line};

pub(super) fn write(
    outcome: &Outcome,
    options: RenderOptions,
    write: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    outcome.chunks(&mut |chunk| write.write_all(render(chunk).as_bytes()))?;
    write.write_all(summary::render(outcome, options).as_bytes())
}

fn render(findings: &[crate::model::Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        let at = finding.file.line_column(finding.span.start);
        let _ = write!(
            out,
            "{}:{}:{}: {}[{}] ",
            escape_controls(&finding.file.name),
            at.line,
            at.column,
            finding.severity,
            finding.rule,
        );
        if finding.is_fixable() {
            out.push_str(FIXABLE);
            out.push(' ');
        }
        out.push_str(&escape_for_line(&finding.message));
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
