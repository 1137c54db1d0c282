//! miette graphical reports: `severity[rule]` as the header, labels on the
//! exact values, help, the other places that take part as notes, and the
//! closing summary.
//! Snippets come from a display copy of each file (secrets masked, control
//! characters escaped, see source/display.rs), never from the raw text; miette.rs
//! is the adapter.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::RenderOptions;
use super::miette::{Look, Report, handler, label, note_handler};
use super::summary::{self, FIXABLE};
use crate::model::Outcome;
use crate::model::{Applicability, Finding, Severity};
use crate::source::display::{DisplayFile, MASK, Shown, mask_secrets};
use crate::source::{SourceFile, Span, file_key};
use crate::text::escape::{escape_controls, escape_for_line};

fn severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// `error[rule]`, as in short output and in rustc's and clippy's, then the
/// fixable marker when `--fix` fixes the finding.
fn header(finding: &Finding) -> String {
    let mut header = format!("{}[{}]", finding.severity, finding.rule);
    if finding.is_fixable() {
        header.push(' ');
        header.push_str(FIXABLE);
    }
    header
}

/// Display copies of files, by [`file_key`], each with the file it is a
/// copy of (which keeps the key from naming another file while it is here).
type Displays = HashMap<usize, (Arc<SourceFile>, DisplayFile)>;

/// The report of a finding whose file has a display copy in `displays`.
fn report<'a>(finding: &'a Finding, displays: &'a Displays) -> Option<Report<'a>> {
    let (_, display) = displays.get(&file_key(&finding.file))?;
    // A finding in an empty or binary file has nothing to show a snippet of.
    let has_text = !display.file.text.is_empty();
    let primary = if finding.label.is_empty() {
        finding.message.as_str()
    } else {
        &*finding.label
    };
    Some(Report {
        title: escape_controls(&finding.message).into_owned(),
        code: Some(header(finding)),
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
    })
}

/// The notes of a finding: each other place that takes part in it, its
/// message as the note and its snippet underlined.
fn notes<'a>(finding: &'a Finding, displays: &'a Displays) -> Option<Vec<Report<'a>>> {
    finding
        .related
        .iter()
        .map(|related| {
            let (_, display) = displays.get(&file_key(&related.file))?;
            Some(Report {
                title: escape_controls(&related.message).into_owned(),
                code: None,
                severity: Some(miette::Severity::Advice),
                help: None,
                source: (!display.file.text.is_empty()).then(|| Shown {
                    display,
                    original: &related.file,
                    labels: vec![(display.map_span(related.span).start, related.span.start)],
                }),
                labels: vec![label(display, related.span, "", true)],
            })
        })
        .collect()
}

/// `  fix (safe): `"Active"` -> `"ACTIVE"` at 95:10`: what the finding's fix
/// replaces, with what, and where; a credential value is masked on both
/// sides unless `show_secrets`.
fn fix_line(finding: &Finding, show_secrets: bool) -> Option<String> {
    let fix = finding.fix.as_ref()?;
    let file = &finding.file;
    let edits: Vec<String> = fix
        .edits
        .iter()
        .map(|edit| {
            let span = Span::new(edit.offset, edit.offset.saturating_add(edit.length));
            let (old, new) = if !show_secrets && touches_secret(file, span) {
                (MASK.into(), MASK.into())
            } else {
                let files = [&**file];
                let shown = |text: &str| {
                    let text = if show_secrets {
                        std::borrow::Cow::Borrowed(text)
                    } else {
                        mask_secrets(text, &files)
                    };
                    escape_for_line(&text).into_owned()
                };
                (shown(file.slice(span)), shown(&edit.replacement))
            };
            let at = file.line_column(edit.offset);
            format!("`{old}` -> `{new}` at {}:{}", at.line, at.column)
        })
        .collect();
    let kind = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe, with --unsafe-fixes",
    };
    Some(format!("  fix ({kind}): {}\n", edits.join("; ")))
}

/// Whether `span` touches a credential value of `file` (its secret spans are
/// sorted and disjoint: one binary search).
fn touches_secret(file: &SourceFile, span: Span) -> bool {
    let secrets = file.secrets();
    let first = secrets.partition_point(|secret| secret.end < span.start);
    secrets
        .get(first)
        .is_some_and(|secret| secret.start <= span.end)
}

/// Adds a display copy of every file the findings of `chunk` show that
/// `displays` lacks, built in parallel.
fn add_display_files(displays: &mut Displays, chunk: &[Finding], mask_secrets: bool, ascii: bool) {
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
            let display = DisplayFile::drawn(file, mask_secrets, ascii);
            (key, (Arc::clone(file), display))
        })
        .collect();
    displays.extend(made);
}

/// Writes the reports a chunk of findings at a time (see
/// [`Outcome::chunks`]), then the summary.
pub(super) fn write(
    outcome: &Outcome,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let look = Look {
        color: options.color,
        ascii: options.ascii,
    };
    let (handler, note_handler) = (handler(look), note_handler(look));
    let mut displays = Displays::new();
    outcome.chunks(&mut |chunk| {
        add_display_files(&mut displays, chunk, !options.show_secrets, options.ascii);
        // Rendering is independent per finding: spread it over the cores.
        let reports: Vec<String> = chunk
            .par_iter()
            .map(|finding| {
                let mut out = String::new();
                let rendered = report(finding, &displays)
                    .is_some_and(|report| handler.render_report(&mut out, &report).is_ok())
                    && notes(finding, &displays).is_some_and(|notes| {
                        notes.iter().all(|note| {
                            out.push('\n');
                            note_handler.render_report(&mut out, note).is_ok()
                        })
                    });
                if rendered
                    && options.show_fixes
                    && let Some(fix) = fix_line(finding, options.show_secrets)
                {
                    out.push_str(&fix);
                }
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
    out.write_all(summary::render(outcome, options).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edit, Fix};

    /// A fix whose edit touches a credential value shows neither side; the
    /// other edits are shown, escaped.
    #[test]
    fn a_fix_line_masks_credential_values() {
        let text = "pass = 48213977\nstatus = \"act\\tive\"\n";
        let secret = Span::new(7, 15);
        let file = Arc::new(
            SourceFile::new("a.toml".into(), "a.toml".into(), text.to_owned())
                .with_secrets(vec![secret]),
        );
        let finding = Finding::new("invalid-value", Severity::Error, &file, secret, "m")
            .with_fix(Fix::safe(Edit::replace(secret, "\"48213977\"")));
        assert_eq!(
            fix_line(&finding, false).unwrap(),
            "  fix (safe): `****` -> `****` at 1:8\n"
        );
        assert_eq!(
            fix_line(&finding, true).unwrap(),
            "  fix (safe): `48213977` -> `\"48213977\"` at 1:8\n"
        );
        let status = Span::new(25, 35);
        let finding = Finding::new("unknown-status", Severity::Error, &file, status, "m")
            .with_fix(Fix::unsafe_(Edit::replace(status, "\"ACTIVE\"")));
        assert_eq!(
            fix_line(&finding, false).unwrap(),
            "  fix (unsafe, with --unsafe-fixes): `\"act\\tive\"` -> `\"ACTIVE\"` at 2:10\n"
        );
        // Next to a secret, not on it.
        assert!(!touches_secret(&file, Span::new(16, 20)));
        assert!(touches_secret(&file, Span::new(14, 14)));
        assert!(!touches_secret(&file, Span::new(0, 4)));
    }
}
