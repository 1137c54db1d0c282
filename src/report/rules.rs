//! The rules as text: `phonelint rules` (one line each, or the README's
//! Markdown tables) and `phonelint explain RULE`.

use crate::model::{Applicability, Severity};
use crate::rules::{RULES, RuleMeta, Scope};

/// How `phonelint rules` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    /// One line per rule: name, default level, summary.
    #[default]
    Text,
    /// The README's tables: rules on one file or record, then rules across
    /// the repository.
    Markdown,
    /// One JSON array: every rule's metadata and documentation.
    Json,
}

/// Every rule, in registry order; as text, `drift`'s rules follow after a
/// blank line (they are not in the registry: no check reports them).
pub fn list(format: ListFormat, drift: &[&'static RuleMeta]) -> String {
    match format {
        ListFormat::Text => text(drift),
        ListFormat::Markdown => markdown(),
        ListFormat::Json => json(drift),
    }
}

/// A rule as `phonelint rules --format json` lists it.
#[derive(serde::Serialize)]
struct JsonRule<'a> {
    name: &'a str,
    /// The severity of its findings unless configured otherwise.
    severity: Severity,
    /// Other severities some of its findings take.
    also: &'a [Severity],
    /// `off` for a rule off unless configured, else its severity.
    default_level: &'a str,
    /// `file`, `record`, `repository`, `policy` or `drift`.
    scope: &'a str,
    summary: &'a str,
    /// The kinds of fix its findings may carry: `safe`, `unsafe`.
    fixes: &'a [Applicability],
    /// A JSON Schema expresses it (`phonelint schema`).
    in_schema: bool,
    documentation: String,
}

/// Every rule (the registry's, then `drift`'s) as one JSON array.
fn json(drift: &[&'static RuleMeta]) -> String {
    let rules: Vec<JsonRule<'_>> = RULES
        .iter()
        .map(|rule| rule.meta())
        .chain(drift.iter().copied())
        .map(|meta| JsonRule {
            name: meta.name,
            severity: meta.severity,
            also: meta.also,
            default_level: if meta.off_by_default {
                "off"
            } else {
                meta.severity.as_str()
            },
            scope: match meta.scope {
                Scope::File => "file",
                Scope::Record => "record",
                Scope::Repository => "repository",
                Scope::Policy => "policy",
                Scope::Drift => "drift",
            },
            summary: meta.summary,
            fixes: meta.fixes,
            in_schema: meta.in_schema,
            documentation: meta.docs(),
        })
        .collect();
    serde_json::to_string_pretty(&rules)
        .map(|text| text + "\n")
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}\n"))
}

/// A rule's documentation, as `phonelint explain` prints it.
pub fn explain(meta: &RuleMeta) -> String {
    let off = if meta.off_by_default {
        ", off by default"
    } else {
        ""
    };
    format!(
        "# {} ({}{off})\n\n{}\n\n{}\n",
        meta.name,
        meta.severity,
        meta.summary,
        meta.docs()
    )
}

fn text(drift: &[&'static RuleMeta]) -> String {
    let width = RULES
        .iter()
        .map(|r| r.meta())
        .chain(drift.iter().copied())
        .map(|meta| meta.name.len())
        .max()
        .unwrap_or(0);
    let line = |meta: &RuleMeta| {
        let level = if meta.off_by_default {
            "off".to_owned()
        } else {
            meta.severity.to_string()
        };
        format!("{:width$}  {:7}  {}\n", meta.name, level, meta.summary)
    };
    let mut out: String = RULES.iter().map(|rule| line(rule.meta())).collect();
    if !drift.is_empty() {
        out.push_str("\n# phonelint drift (`phonelint explain NAME` documents each)\n");
        out.extend(drift.iter().map(|meta| line(meta)));
    }
    out
}

fn markdown() -> String {
    let table = |across: bool| {
        let mut out = String::from("| rule | severity | catches |\n|---|---|---|\n");
        for rule in RULES {
            let meta = rule.meta();
            if (meta.scope == Scope::Repository) == across {
                out.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    meta.name,
                    severities(meta),
                    meta.catches
                ));
            }
        }
        out
    };
    format!(
        "On one file or record:\n\n{}\nAcross the repository:\n\n{}",
        table(false),
        table(true)
    )
}

/// `error`, `error / warning` (a rule some of whose findings take another
/// severity), `off (info)`.
fn severities(meta: &RuleMeta) -> String {
    if meta.off_by_default {
        return format!("off ({})", meta.severity);
    }
    std::iter::once(meta.severity)
        .chain(meta.also.iter().copied())
        .map(|severity| severity.as_str())
        .collect::<Vec<_>>()
        .join(" / ")
}
