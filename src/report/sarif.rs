//! SARIF 2.1.0, as GitHub code scanning accepts it: the tool with every rule,
//! and one result per finding located relative to the repository root, with
//! partial fingerprints that do not depend on line numbers.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::display::{escape_controls, mask_secrets};
use super::url_path;
use crate::check::Outcome;
use crate::finding::{Finding, Severity};
use crate::rules::RULES;
use crate::source::{SourceFile, Span};

/// `informationUri` of the tool: the package's `repository` from Cargo.toml
/// when one is set, else this placeholder (documented in the README), since
/// phonelint has no public home yet. A URN is a valid URI that points nowhere.
pub const INFORMATION_URI: &str = match option_env!("CARGO_PKG_REPOSITORY") {
    Some(uri) if !uri.is_empty() => uri,
    _ => "urn:phonelint",
};

/// The key under `partialFingerprints`; bump the version if the inputs change.
pub const FINGERPRINT_KEY: &str = "phonelint/v1";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The "What it catches" section of a rule's documentation, on one line.
fn what_it_catches(docs: &str) -> Option<String> {
    let (_, after) = docs.split_once("## What it catches")?;
    let section = after.split("\n## ").next().unwrap_or("");
    let text = section.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn rules() -> Vec<Value> {
    RULES
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            let docs = meta.docs();
            json!({
                "id": meta.name,
                "name": meta.name,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {
                    "text": what_it_catches(&docs).unwrap_or_else(|| meta.summary.to_owned())
                },
                "help": {"text": docs, "markdown": docs},
                "defaultConfiguration": {"level": level(meta.severity)},
            })
        })
        .collect()
}

fn region(file: &SourceFile, span: Span) -> Value {
    // SARIF's end column is the one just after the region (exclusive).
    let start = file.line_column(span.start);
    let end = file.line_column(span.end.max(span.start));
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn physical(file: &SourceFile, span: Span) -> Value {
    json!({
        "artifactLocation": {"uri": url_path(&file.repo_path)},
        "region": region(file, span),
    })
}

/// FNV-1a over the parts, twice with different offsets: 128 stable bits
/// (std's hashers are not guaranteed stable across Rust releases).
fn fingerprint(parts: &[&str]) -> String {
    let hash = |offset: u64| {
        let mut h = offset;
        for part in parts {
            for byte in part.bytes().chain(std::iter::once(0xff)) {
                h ^= u64::from(byte);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    };
    format!(
        "{:016x}{:016x}",
        hash(0xcbf2_9ce4_8422_2325),
        hash(0x6c62_272e_07bb_0142)
    )
}

fn message(finding: &Finding, text: &str) -> String {
    let mut files = vec![&*finding.file];
    files.extend(finding.related.iter().map(|r| &*r.file));
    escape_controls(&mask_secrets(text, &files)).into_owned()
}

fn result(finding: &Finding) -> Value {
    let rule_index = RULES.iter().position(|r| r.meta().name == finding.rule);
    let mut text = message(finding, &finding.message);
    let masked_message_len = text.len();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(&message(finding, help));
    }
    // The record, not the line, identifies a finding across edits above it; the
    // message tells apart findings about different fields of one record.
    let record = finding
        .record
        .as_ref()
        .map(|r| format!("{}:{}", r.kind.singular(), r.key))
        .unwrap_or_default();
    let masked = text.get(..masked_message_len).unwrap_or(&text);
    let fingerprint = fingerprint(&[finding.rule, &finding.file.repo_path, &record, masked]);
    let mut related: Vec<Value> = finding
        .labels
        .iter()
        .map(|label| (&*finding.file, label.span, &label.message))
        .chain(
            finding
                .related
                .iter()
                .map(|r| (&*r.file, r.span, &r.message)),
        )
        .enumerate()
        .map(|(id, (file, span, text))| {
            json!({
                "id": id + 1,
                "physicalLocation": physical(file, span),
                "message": {"text": message(finding, text)},
            })
        })
        .collect();
    let mut value = json!({
        "ruleId": finding.rule,
        "level": level(finding.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical(&finding.file, finding.span)}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    });
    if let (Some(index), Some(object)) = (rule_index, value.as_object_mut()) {
        object.insert("ruleIndex".into(), json!(index));
        if !related.is_empty() {
            object.insert(
                "relatedLocations".into(),
                Value::Array(std::mem::take(&mut related)),
            );
        }
    }
    value
}

pub(super) fn render(outcome: &Outcome) -> String {
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "phonelint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules(),
            }},
            "columnKind": "unicodeCodePoints",
            // Locating and masking every finding is most of the work: in parallel.
            "results": outcome.findings.par_iter().map(result).collect::<Vec<_>>(),
        }],
    });
    let mut text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_description_is_what_the_rule_catches() {
        let docs = "Intro\n\n## What it catches\nA phone\nwith `x`.\n\n## Why it matters\nBecause.";
        assert_eq!(what_it_catches(docs).as_deref(), Some("A phone with `x`."));
        assert_eq!(what_it_catches("no sections"), None);
    }

    #[test]
    fn fingerprints_are_stable_and_separate_parts() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
        assert_eq!(fingerprint(&["x"]).len(), 32);
    }
}
