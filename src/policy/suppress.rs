//! Suppressions: `# phonelint: allow(rule) reason` comments in TOML files and
//! `[[allow]]` entries in phonelint.toml. A suppression needs a reason; one
//! that allows nothing is reported, so suppressions do not outlive their
//! cause.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::Config;
use crate::load::{Document, Format};
use crate::model::Finding;
use crate::model::Repository;
use crate::rules::RuleMeta;
use crate::source::{SourceFile, Span};
use crate::text::suggest::closest;

const UNUSED: &RuleMeta = &crate::rules::UnusedSuppression::META;
const WITHOUT_REASON: &RuleMeta = &crate::rules::SuppressionWithoutReason::META;

/// A `# phonelint: allow(...)` comment.
#[derive(Debug)]
pub struct Comment {
    file: Arc<SourceFile>,
    /// From `#` to the end of the line.
    span: Span,
    /// Each rule name and where it is written.
    rules: Vec<(String, Span)>,
    reason: Option<String>,
    /// Findings starting in this byte range are covered.
    covers: Option<Span>,
    /// Whether each rule named has allowed a finding (findings are judged
    /// on several cores).
    used: Vec<AtomicBool>,
}

impl Comment {
    /// The same comment on another copy of its file (one whose text is no
    /// longer held, say): the file must be the same.
    pub fn in_file(mut self, file: &Arc<SourceFile>) -> Self {
        self.file = Arc::clone(file);
        self
    }
}

/// Removes the findings that suppressions allow: the comments among
/// `comments` in a finding's own file, and the `[[allow]]` entries of the
/// configuration. Every suppression that allows a finding counts as used
/// (not only the first): a comment in its `used`, an entry in `allows_used`
/// (one flag per entry); findings may be judged on several cores at once.
pub fn allow(
    config: &Config,
    findings: &mut Vec<Finding>,
    comments: &[Comment],
    allows_used: &[AtomicBool],
) {
    // The comments of each file, so that a finding is compared with its own
    // file's comments only.
    let mut by_file: std::collections::HashMap<usize, Vec<usize>> =
        std::collections::HashMap::new();
    for (position, comment) in comments.iter().enumerate() {
        by_file
            .entry(crate::source::file_key(&comment.file))
            .or_default()
            .push(position);
    }
    findings.retain(|finding| {
        let mut allowed = false;
        let in_file = by_file
            .get(&crate::source::file_key(&finding.file))
            .map_or(&[][..], Vec::as_slice);
        for &position in in_file {
            let Some(comment) = comments.get(position) else {
                continue;
            };
            let covers = comment
                .covers
                .is_some_and(|c| c.start <= finding.span.start && finding.span.start < c.end);
            if comment.reason.is_none() || !covers {
                continue;
            }
            if let Some(i) = comment.rules.iter().position(|(r, _)| r == finding.rule)
                && let Some(flag) = comment.used.get(i)
            {
                flag.store(true, Ordering::Relaxed);
                allowed = true;
            }
        }
        for (allow, used) in config.allow.iter().zip(allows_used) {
            let matches = allow.reason.is_some()
                && allow.rule == finding.rule
                && finding
                    .record
                    .as_ref()
                    .is_some_and(|r| r.key == allow.record)
                && allow
                    .path
                    .as_ref()
                    .is_none_or(|globs| globs.is_match(finding.file.relative()));
            if matches {
                used.store(true, Ordering::Relaxed);
                allowed = true;
            }
        }
        !allowed
    });
}

/// The findings about suppressions that allow nothing or give no reason,
/// once [`allow`] has seen every finding.
pub fn reports(
    config: &Config,
    repository: &Repository,
    whole_root: bool,
    comments: &[Comment],
    allows_used: Vec<bool>,
) -> Vec<Finding> {
    let mut reports = Vec::new();
    for comment in comments {
        let used: Vec<bool> = (comment.used.iter())
            .map(|used| used.load(Ordering::Relaxed))
            .collect();
        if comment.reason.is_none() {
            reports.push(
                Finding::new(
                    WITHOUT_REASON.name,
                    WITHOUT_REASON.severity,
                    &comment.file,
                    comment.span,
                    format!(
                        "suppression of `{}` without a reason: rejected, so it allows nothing",
                        names(&comment.rules)
                    ),
                )
                .with_label("no reason after allow(...)")
                .with_help(
                    "say why the finding is accepted: `# phonelint: allow(rule-name) the reason`",
                ),
            );
            continue;
        }
        if comment.rules.is_empty() {
            reports.push(unused(
                &comment.file,
                comment.span,
                "suppression names no rule".to_owned(),
                "write `# phonelint: allow(rule-name) reason`".to_owned(),
            ));
        }
        for ((rule, span), used) in comment.rules.iter().zip(used) {
            if !used {
                reports.push(unused_rule(
                    &comment.file,
                    *span,
                    rule,
                    comment.covers.is_some(),
                ));
            }
        }
    }
    // Every record read, by path and key: an [[allow]] whose record was not
    // read in a partial run may well be in use elsewhere.
    let records: Vec<(&str, String)> = if config.allow.is_empty() || whole_root {
        Vec::new()
    } else {
        repository
            .files
            .iter()
            .flat_map(|file| {
                let path = file.source.relative();
                file.records()
                    .iter()
                    .map(move |record| (path, file.view(record).key()))
            })
            .collect()
    };
    let was_read = |allow: &crate::config::Allow| {
        whole_root
            || records.iter().any(|(path, key)| {
                *key == allow.record && allow.path.as_ref().is_none_or(|globs| globs.is_match(path))
            })
    };
    if let Some(file) = &config.file {
        for (allow, used) in config.allow.iter().zip(allows_used) {
            if allow.reason.is_none() {
                reports.push(
                    Finding::new(
                        WITHOUT_REASON.name,
                        WITHOUT_REASON.severity,
                        file,
                        allow.span,
                        format!(
                            "[[allow]] of `{}` without a reason: rejected, so it allows nothing",
                            allow.rule
                        ),
                    )
                    .with_label("no `reason`")
                    .with_help("add reason = \"why the finding is accepted\""),
                );
            } else if !used && was_read(allow) {
                reports.push(unused(
                    file,
                    allow.record_span,
                    format!(
                        "unused suppression: no `{}` finding on record `{}`",
                        allow.rule, allow.record
                    ),
                    "remove the [[allow]] entry: what it allowed is gone (or the record key changed)"
                        .to_owned(),
                ));
            }
        }
    }
    reports
}

/// `a`, `b` -> "a`, `b" (for a message that quotes the list).
fn names(rules: &[(String, Span)]) -> String {
    let names: Vec<&str> = rules.iter().map(|(r, _)| r.as_str()).collect();
    names.join("`, `")
}

fn unused(file: &Arc<SourceFile>, span: Span, message: String, help: String) -> Finding {
    Finding::new(UNUSED.name, UNUSED.severity, file, span, message)
        .with_label("allows nothing")
        .with_help(help)
}

fn unused_rule(file: &Arc<SourceFile>, span: Span, rule: &str, covers: bool) -> Finding {
    let names = crate::rules::names();
    if crate::rules::find(rule).is_none() {
        let help = match closest(rule, names) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "`phonelint rules` lists every rule".to_owned(),
        };
        return unused(
            file,
            span,
            format!("suppression of unknown rule `{rule}`"),
            help,
        );
    }
    let message = if covers {
        format!("unused suppression: no `{rule}` finding here")
    } else {
        format!("unused suppression: `{rule}` stands above nothing it could allow")
    };
    unused(
        file,
        span,
        message,
        "remove it: the problem it allowed is gone; a comment on its own line allows the key or [[phones]] header directly below it".to_owned(),
    )
}

/// The suppression comments of a TOML file.
/// The suppression comments of a definition file, read while its document
/// is whole (JSON has no comments).
pub fn comments_of(file: &Arc<SourceFile>, document: &Document) -> Vec<Comment> {
    if Format::from_path(&file.path) == Some(Format::Toml) {
        scan(file, document)
    } else {
        Vec::new()
    }
}

fn scan(file: &Arc<SourceFile>, document: &Document) -> Vec<Comment> {
    let text = &file.text;
    // Nearly every file has no suppression: one search tells.
    if !text.contains("phonelint:") {
        return Vec::new();
    }
    let mut taken: Vec<Span> = document
        .records
        .iter()
        .flat_map(|r| &r.fields)
        .flat_map(|e| [e.key_span, e.value.span])
        .collect();
    taken.sort_unstable();
    let inside_value = |offset: usize| {
        taken
            .iter()
            .any(|span| span.start <= offset && offset < span.end)
    };
    let lines: Vec<(usize, &str)> = line_offsets(text);
    let mut comments = Vec::new();
    for (index, &(start, line)) in lines.iter().enumerate() {
        let Some(hash) = line
            .match_indices('#')
            .map(|(i, _)| i)
            .find(|&i| !inside_value(start + i))
        else {
            continue;
        };
        let Some(directive) = line
            .get(hash + 1..)
            .and_then(|rest| rest.trim_start().strip_prefix("phonelint:"))
        else {
            continue;
        };
        let span = Span::new(start + hash, start + line.trim_end().len());
        let directive_start = start + line.len() - directive.len();
        let (rules, reason) = parse_directive(directive, directive_start);
        let own_line = line.get(..hash).is_some_and(|code| code.trim().is_empty());
        let covers = if own_line {
            lines
                .get(index + 1..)
                .unwrap_or_default()
                .iter()
                .find(|(_, l)| !l.trim_start().starts_with('#'))
                .and_then(|&(below, l)| target(document, below, l))
        } else {
            Some(Span::new(start, start + line.len()))
        };
        comments.push(Comment {
            file: Arc::clone(file),
            span,
            used: rules.iter().map(|_| AtomicBool::new(false)).collect(),
            rules,
            reason,
            covers,
        });
    }
    comments
}

/// What a comment on its own line covers: the record whose header, or the
/// key (and its value, however many lines it takes) on the line below.
fn target(document: &Document, start: usize, line: &str) -> Option<Span> {
    let end = start + line.len();
    if line.trim().is_empty() {
        return None;
    }
    if let Some(record) = document
        .records
        .iter()
        .find(|r| start <= r.span.start && r.span.start < end)
    {
        return Some(record.span);
    }
    let field = document
        .records
        .iter()
        .flat_map(|r| &r.fields)
        .find(|e| start <= e.key_span.start && e.key_span.start < end);
    Some(field.map_or(Span::new(start, end), |e| {
        Span::new(start, e.value.span.end.max(end))
    }))
}

/// `allow(a, b) reason` -> the rule names with their spans, and the reason.
fn parse_directive(directive: &str, offset: usize) -> (Vec<(String, Span)>, Option<String>) {
    let trimmed = directive.trim_start();
    let base = offset + directive.len() - trimmed.len();
    let Some(inner) = trimmed.strip_prefix("allow(") else {
        return (
            Vec::new(),
            Some(trimmed.trim().to_owned()).filter(|r| !r.is_empty()),
        );
    };
    let inner_start = base + "allow(".len();
    let (list, reason) = match inner.split_once(')') {
        Some((list, reason)) => (list, reason.trim()),
        None => (inner, ""),
    };
    let mut rules = Vec::new();
    let mut at = inner_start;
    for name in list.split(',') {
        let leading = name.len() - name.trim_start().len();
        let trimmed = name.trim();
        if !trimmed.is_empty() {
            let start = at + leading;
            rules.push((trimmed.to_owned(), Span::new(start, start + trimmed.len())));
        }
        at += name.len() + 1;
    }
    let reason = Some(reason.to_owned()).filter(|r| !r.is_empty());
    (rules, reason)
}

/// Each line's byte offset and text, without its line ending.
fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let at = start;
            start += line.len();
            (at, line.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let (rules, reason) = parse_directive(" allow(a, b-c) lab phone", 10);
        assert_eq!(
            rules,
            [
                ("a".to_owned(), Span::new(17, 18)),
                ("b-c".to_owned(), Span::new(20, 23))
            ]
        );
        assert_eq!(reason.as_deref(), Some("lab phone"));
        assert_eq!(parse_directive(" allow(a)  ", 0).1, None);
    }

    fn comments(text: &str) -> Vec<(String, Option<String>)> {
        let file = Arc::new(SourceFile::new(
            "x.toml".into(),
            "x.toml".into(),
            text.into(),
        ));
        let document = crate::load::load_str(text, Format::Toml);
        scan(&file, &document)
            .into_iter()
            .map(|c| {
                let rules: Vec<_> = c.rules.iter().map(|(r, _)| r.as_str()).collect();
                (rules.join(","), c.covers.map(|s| file.slice(s).to_owned()))
            })
            .collect()
    }

    #[test]
    fn what_each_form_covers() {
        let text = "# phonelint: allow(a) whole record\n[[phones]]\nx = \"#1\" # phonelint: allow(b) r\n# phonelint: allow(c) r\n# another comment\ny = [\n  1,\n]\n# phonelint: allow(d) r\n\nz = 1\n";
        let found = comments(text);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, "a");
        assert!(found[0].1.as_deref().unwrap().starts_with("[[phones]]\nx"));
        assert_eq!(
            found[1],
            (
                "b".into(),
                Some("x = \"#1\" # phonelint: allow(b) r".into())
            )
        );
        assert_eq!(found[2], ("c".into(), Some("y = [\n  1,\n]".into())));
        // A blank line below: the comment covers nothing.
        assert_eq!(found[3], ("d".into(), None));
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        assert!(comments("[[phones]]\nx = \"# phonelint: allow(a) r\"\n").is_empty());
    }
}
