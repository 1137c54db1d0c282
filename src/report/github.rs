//! GitHub Actions workflow commands, one per finding:
//! `::error file=PATH,line=L,endLine=EL,col=C,endColumn=EC,title=phonelint RULE::MESSAGE`,
//! and the Markdown job summary.
//!
//! Nothing taken from a definition file can start a workflow command of its
//! own: every command is one line that phonelint starts, and CR, LF and the
//! other line breaks inside it are escaped (`%0D`, `%0A`, `\u{2028}`, ...).
//! GitHub shows only 10 error and 10 warning annotations per step, so errors
//! come first.

use rayon::prelude::*;
use std::fmt::Write;

use crate::model::Outcome;
use crate::model::{Finding, Severity};
use crate::source::display::mask_secrets;
use crate::source::{LineColumn, SourceFile, Span};
use crate::text::escape::{escape_controls, must_escape, url_path};
use crate::text::words::count;

/// Escapes a workflow command's message: `%`, CR and LF as GitHub requires,
/// and other control characters and line breaks shown as `\u{..}`.
pub fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// Escapes a workflow command's property value: as [`escape_data`], and also
/// `:` and `,`, which end a property.
pub fn escape_property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if must_escape(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Start and end of a span as GitHub wants them: 1-based, the end column
/// just after the last character (exclusive, as in SARIF), and the end line
/// the line of the last character, so a span ending in a newline stays on its
/// line. GitHub rejects an end before the start, which this never gives.
pub(super) fn start_end(file: &SourceFile, span: Span) -> (LineColumn, LineColumn) {
    if span.is_empty() {
        let start = file.line_column(span.start);
        return (start, start);
    }
    let (start, last) = file.line_columns(span.start, span.end.saturating_sub(1));
    let end = LineColumn {
        line: last.line,
        column: last.column + 1,
    };
    if end.line < start.line || (end.line == start.line && end.column < start.column) {
        (start, start)
    } else {
        (start, end)
    }
}

/// Calls `each` with the findings in the order GitHub should see them:
/// errors, then warnings, then notices, each in file order (a pass over the
/// findings per severity), a chunk at a time.
fn errors_first(
    outcome: &Outcome,
    each: &mut dyn FnMut(&[&Finding]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let severities = [Severity::Error, Severity::Warning, Severity::Info];
    for severity in severities {
        let counted = match severity {
            Severity::Error => outcome.summary.errors,
            Severity::Warning => outcome.summary.warnings,
            Severity::Info => outcome.summary.infos,
        };
        // A pass finds nothing the summary does not count.
        if counted == 0 && outcome.counts_every_finding() {
            continue;
        }
        outcome.chunks(&mut |chunk| {
            let of_severity: Vec<&Finding> = chunk
                .iter()
                .filter(|finding| finding.severity == severity)
                .collect();
            if of_severity.is_empty() {
                return Ok(());
            }
            each(&of_severity)
        })?;
    }
    Ok(())
}

/// The message shown for a finding: secrets masked, and the help appended.
fn message(outcome: &Outcome, finding: &Finding) -> String {
    let files = finding.files();
    let mut text = mask_secrets(&finding.message, &files).into_owned();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(&mask_secrets(help, &files));
    }
    for related in &finding.related {
        let at = related.file.line_column(related.span.start);
        let _ = write!(
            text,
            "\nsee {}:{}: {}",
            outcome.checkout_path(&related.file),
            at.line,
            mask_secrets(&related.message, &files)
        );
    }
    text
}

pub(super) fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    errors_first(outcome, &mut |findings| {
        // One line per finding, built in parallel (locating and masking are
        // most of the work), written in order.
        let lines: Vec<String> = findings
            .par_iter()
            .map(|finding| annotation(outcome, finding))
            .collect();
        lines
            .iter()
            .try_for_each(|line| out.write_all(line.as_bytes()))
    })
}

/// The workflow command that annotates one finding, with its newline.
fn annotation(outcome: &Outcome, finding: &Finding) -> String {
    let (start, end) = start_end(&finding.file, finding.span);
    let mut properties = format!(
        "file={},line={},endLine={}",
        escape_property(&outcome.checkout_path(&finding.file)),
        start.line,
        end.line
    );
    if start.line == end.line {
        let _ = write!(properties, ",col={},endColumn={}", start.column, end.column);
    }
    format!(
        "::{} {properties},title={}::{}\n",
        command(finding.severity),
        escape_property(&format!("phonelint {}", finding.rule)),
        escape_data(&message(outcome, finding))
    )
}

/// Rows of the job summary's table: GitHub refuses a step summary over 1 MiB,
/// and past a few hundred rows the annotations and SARIF serve better.
pub const SUMMARY_MAX_ROWS: usize = 500;

/// Where the summary's links point: `{server}/{repository}/blob/{sha}/PATH#LN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkBase {
    /// e.g. `https://github.com/owner/repo/blob/0123abc`
    pub blob_url: String,
}

impl LinkBase {
    /// From GitHub's GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let server = get("GITHUB_SERVER_URL").filter(|v| !v.is_empty())?;
        let repository = get("GITHUB_REPOSITORY").filter(|v| !v.is_empty())?;
        let sha = get("GITHUB_SHA").filter(|v| !v.is_empty())?;
        Some(Self {
            blob_url: format!("{}/{repository}/blob/{sha}", server.trim_end_matches('/')),
        })
    }
}

/// Text safe in a Markdown table cell: no HTML, no line breaks, no `|`, and
/// Markdown punctuation shown as written.
fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_controls(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if must_escape(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// The job summary: counts per rule, and a table of every finding with a
/// `file:line` link (to the commit's blob when `links` is known).
pub fn step_summary(outcome: &Outcome, links: Option<&LinkBase>) -> String {
    let s = outcome.summary;
    let mut out = String::from("## phonelint\n\n");
    let _ = writeln!(
        out,
        "Checked {} ({}): {}, {}, {}.\n",
        count(s.files, "file", "files"),
        count(s.records, "record", "records"),
        count(s.errors, "error", "errors"),
        count(s.warnings, "warning", "warnings"),
        count(s.infos, "info", "infos")
    );
    let mut per_rule: Vec<(&str, Severity, usize)> = Vec::new();
    let mut total = 0;
    let _ = outcome.chunks(&mut |chunk| {
        for finding in chunk {
            total += 1;
            match per_rule.iter_mut().find(|(rule, ..)| *rule == finding.rule) {
                Some(entry) => entry.2 += 1,
                None => per_rule.push((finding.rule, finding.severity, 1)),
            }
        }
        Ok(())
    });
    if total == 0 {
        out.push_str("No problems found.\n");
        return out;
    }
    per_rule.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    out.push_str("| rule | severity | findings |\n|---|---|---:|\n");
    for (rule, severity, n) in per_rule {
        let _ = writeln!(out, "| `{rule}` | {severity} | {n} |");
    }
    out.push_str("\n| severity | location | rule | message |\n|---|---|---|---|\n");
    let mut rows = 0;
    let _ = errors_first(outcome, &mut |findings| {
        for finding in findings {
            if rows < SUMMARY_MAX_ROWS {
                row(&mut out, outcome, links, finding);
            }
            rows += 1;
        }
        Ok(())
    });
    if let Some(rest) = rows.checked_sub(SUMMARY_MAX_ROWS).filter(|n| *n > 0) {
        let _ = writeln!(
            out,
            "\n... and {rest} more {}: see the annotations in the log, or the SARIF output.",
            if rest == 1 { "finding" } else { "findings" }
        );
    }
    out
}

/// One row of the job summary's table of findings.
fn row(out: &mut String, outcome: &Outcome, links: Option<&LinkBase>, finding: &Finding) {
    let (start, _) = start_end(&finding.file, finding.span);
    let path = outcome.checkout_path(&finding.file);
    let label = markdown_cell(&format!("{path}:{}", start.line));
    let location = match links {
        Some(base) => format!(
            "[{label}]({}/{}#L{})",
            base.blob_url,
            url_path(&path),
            start.line
        ),
        None => label,
    };
    let files = [&*finding.file];
    let _ = writeln!(
        out,
        "| {} | {location} | `{}` | {} |",
        finding.severity,
        finding.rule,
        markdown_cell(&mask_secrets(&finding.message, &files))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_github() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
        // Other line breaks and controls cannot end the command line either.
        assert_eq!(
            escape_data("x\u{2028}::add-mask::y\u{85}\u{1b}"),
            "x\\u{2028}::add-mask::y\\u{85}\\u{1b}"
        );
        // An escape already written in a value is not decoded by GitHub.
        assert_eq!(escape_data("%0A::set-output"), "%250A::set-output");
    }

    #[test]
    fn end_columns_are_exclusive_and_stay_on_the_last_line() {
        let file = SourceFile::new("x".into(), "x".into(), "a = \"é\"\nb\n".into());
        let value = Span::new(4, 8); // "é" with its quotes
        let (start, end) = start_end(&file, value);
        assert_eq!(
            (start.line, start.column, end.line, end.column),
            (1, 5, 1, 8)
        );
        // A span ending with its newline ends on its own line.
        let (_, end) = start_end(&file, Span::new(0, 9));
        assert_eq!((end.line, end.column), (1, 9));
        let (start, end) = start_end(&file, Span::new(9, 9));
        assert_eq!(start, end);
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(
            markdown_cell("a|b\n<script>`x`"),
            "a\\|b\\\\u{a}&lt;script&gt;\\`x\\`"
        );
        assert_eq!(url_path("a b/c#.toml"), "a%20b/c%23.toml");
    }

    #[test]
    fn links_need_all_three_variables() {
        let env = |name: &str| match name {
            "GITHUB_SERVER_URL" => Some("https://github.com/".to_owned()),
            "GITHUB_REPOSITORY" => Some("o/r".to_owned()),
            "GITHUB_SHA" => Some("abc".to_owned()),
            _ => None,
        };
        assert_eq!(
            LinkBase::from_env(env).unwrap().blob_url,
            "https://github.com/o/r/blob/abc"
        );
        assert_eq!(LinkBase::from_env(|_| None), None);
    }
}
