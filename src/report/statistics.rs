//! `--statistics`: one line per rule that has findings, with how many and
//! how many `--fix` fixes, most frequent first (ruff's `--statistics`); or
//! the same as JSON. Not an output format of its own: it replaces the
//! findings of human, short and JSON output.

use std::collections::BTreeMap;

use serde::Serialize;

use super::RenderOptions;
use super::summary::{self, FIXABLE};
use crate::model::{Outcome, Summary};
use crate::text::words::count;

/// The counts of one rule's findings.
#[derive(Debug, Serialize)]
struct RuleCounts {
    rule: &'static str,
    count: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// With a safe fix (`--fix`).
    fixable: usize,
    /// With an unsafe fix (`--fix --unsafe-fixes`).
    unsafe_fixable: usize,
}

/// Every rule with findings, by count (most first), then name.
fn rules(outcome: &Outcome) -> Vec<RuleCounts> {
    let mut by_rule: BTreeMap<&'static str, Summary> = BTreeMap::new();
    let _ = outcome.chunks(&mut |chunk| {
        for finding in chunk {
            by_rule.entry(finding.rule).or_default().count_one(finding);
        }
        Ok(())
    });
    let mut rules: Vec<RuleCounts> = by_rule
        .into_iter()
        .map(|(rule, s)| RuleCounts {
            rule,
            count: s.errors + s.warnings + s.infos,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            fixable: s.fixable,
            unsafe_fixable: s.unsafe_fixable,
        })
        .collect();
    // Stable: equal counts stay in name order.
    rules.sort_by_key(|rule| std::cmp::Reverse(rule.count));
    rules
}

/// The severities a rule's findings have: `warning`, `error/info`.
fn severities(rule: &RuleCounts) -> String {
    [
        (rule.errors, "error"),
        (rule.warnings, "warning"),
        (rule.infos, "info"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(_, name)| *name)
    .collect::<Vec<_>>()
    .join("/")
}

/// The JSON document: the version of the JSON output, its summary, and the
/// rules.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: &'a Summary,
    statistics: Vec<RuleCounts>,
}

/// The statistics as text (closed by the summary, as human output is) or as
/// one JSON document.
pub fn render(outcome: &Outcome, json: bool, options: RenderOptions) -> String {
    let rules = rules(outcome);
    if json {
        let document = Document {
            version: super::json::VERSION,
            summary: &outcome.summary,
            statistics: rules,
        };
        return serde_json::to_string_pretty(&document)
            .map(|text| text + "\n")
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}\n"));
    }
    let count_width = rules.first().map_or(1, |r| r.count.to_string().len());
    let rule_width = rules.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let severities: Vec<String> = rules.iter().map(severities).collect();
    let severity_width = severities.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::new();
    for (rule, severities) in rules.iter().zip(&severities) {
        let mut fixes = Vec::new();
        if rule.fixable > 0 {
            fixes.push(format!("{FIXABLE} {} fixable", rule.fixable));
        }
        if rule.unsafe_fixable > 0 {
            fixes.push(count(rule.unsafe_fixable, "unsafe fix", "unsafe fixes"));
        }
        let line = format!(
            "{:>count_width$}  {:rule_width$}  {:severity_width$}  {}",
            rule.count,
            rule.rule,
            severities,
            fixes.join(", ")
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&summary::render(outcome, options));
    out
}
