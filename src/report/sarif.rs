//! SARIF 2.1.0, as GitHub code scanning accepts it: the tool with every rule,
//! and one result per finding located relative to the repository root, with
//! partial fingerprints that do not depend on line numbers.

use serde::Serialize;
use serde_json::{Value, json};

use super::json::{elements, pretty, write_elements, write_pretty};
use crate::model::Outcome;
use crate::model::{Finding, Severity};
use crate::rules::{RULES, RuleMeta};
use crate::source::display::mask_secrets;
use crate::source::{SourceFile, Span};
use crate::text::escape::{escape_controls, url_path};
use crate::text::hash::Fnv;

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

/// Every rule of the registry, then `others`: rules outside it whose
/// findings the outcome holds (those of `phonelint drift`).
fn metas(others: &'static [&'static RuleMeta]) -> impl Iterator<Item = &'static RuleMeta> {
    RULES
        .iter()
        .map(|rule| rule.meta())
        .chain(others.iter().copied())
}

fn rules(others: &'static [&'static RuleMeta]) -> Vec<Value> {
    metas(others)
        .map(|meta| {
            let docs = meta.docs();
            json!({
                "id": meta.name,
                "name": meta.name,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {
                    "text": what_it_catches(&docs).unwrap_or_else(|| meta.summary.to_owned())
                },
                "help": {"text": docs, "markdown": docs},
                "defaultConfiguration": {
                    "level": level(meta.severity),
                    "enabled": !meta.off_by_default,
                },
            })
        })
        .collect()
}

// The document is written through these types rather than a `serde_json`
// value: a tree of maps for every result costs several times what writing
// them does. Fields are declared in alphabetical order, the order SARIF
// consumers have always seen from phonelint.

/// The whole document as one value: what [`write`] writes piece by piece.
#[cfg(test)]
#[derive(Serialize)]
struct Document {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run; 1],
    version: &'static str,
}

#[cfg(test)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    column_kind: &'static str,
    results: Vec<SarifResult>,
    tool: Tool,
}

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const COLUMN_KIND: &str = "unicodeCodePoints";
const SARIF_VERSION: &str = "2.1.0";

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Value>,
    semantic_version: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    level: &'static str,
    locations: [Location; 1],
    message: Message,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

/// `{FINGERPRINT_KEY: fingerprint}`.
struct Fingerprints {
    v1: String,
}

impl Serialize for Fingerprints {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(FINGERPRINT_KEY, &self.v1)?;
        map.end()
    }
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    message: Message,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

fn region(file: &SourceFile, span: Span) -> Region {
    // SARIF's end column is the one just after the region (exclusive).
    let (start, end) = file.line_columns(span.start, span.end.max(span.start));
    Region {
        end_column: end.column,
        end_line: end.line,
        start_column: start.column,
        start_line: start.line,
    }
}

fn physical(outcome: &Outcome, file: &SourceFile, span: Span) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: url_path(&outcome.checkout_path(file)),
        },
        region: region(file, span),
    }
}

/// FNV-1a over the parts (each ended by 0xff), from two offset bases: 128
/// stable bits.
fn fingerprint(parts: &[&str]) -> String {
    use std::hash::Hasher;
    let hash = |mut hasher: Fnv| {
        for part in parts {
            hasher.write(part.as_bytes());
            hasher.write(&[0xff]);
        }
        hasher.finish()
    };
    format!(
        "{:016x}{:016x}",
        hash(Fnv::default()),
        hash(Fnv::with_basis(0x6c62_272e_07bb_0142))
    )
}

/// `text` masked with the finding's files, control characters escaped.
fn message(files: &[&SourceFile], text: &str) -> String {
    escape_controls(&mask_secrets(text, files)).into_owned()
}

fn result(
    outcome: &Outcome,
    others: &'static [&'static RuleMeta],
    finding: &Finding,
) -> SarifResult {
    let rule_index = metas(others).position(|meta| meta.name == finding.rule);
    let files = finding.files();
    let mut text = message(&files, &finding.message);
    let masked_message_len = text.len();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(&message(&files, help));
    }
    // The record, not the line, identifies a finding across edits above it; the
    // message tells apart findings about different fields of one record.
    let record = finding
        .record
        .as_ref()
        .map(|r| format!("{}:{}", r.kind.singular(), r.key))
        .unwrap_or_default();
    let masked = text.get(..masked_message_len).unwrap_or(&text);
    let path = outcome.checkout_path(&finding.file);
    let fingerprint = fingerprint(&[finding.rule, &path, &record, masked]);
    // Related locations are listed only for a finding of a known rule.
    let related: Vec<RelatedLocation> = if rule_index.is_some() {
        finding
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
            .map(|(id, (file, span, text))| RelatedLocation {
                id: id + 1,
                message: Message {
                    text: message(&files, text),
                },
                physical_location: physical(outcome, file, span),
            })
            .collect()
    } else {
        Vec::new()
    };
    SarifResult {
        level: level(finding.severity),
        locations: [Location {
            physical_location: physical(outcome, &finding.file, finding.span),
        }],
        message: Message { text },
        partial_fingerprints: Fingerprints { v1: fingerprint },
        related_locations: related,
        rule_id: finding.rule,
        rule_index,
    }
}

fn tool(others: &'static [&'static RuleMeta]) -> Tool {
    Tool {
        driver: Driver {
            information_uri: INFORMATION_URI,
            name: "phonelint",
            rules: rules(others),
            semantic_version: env!("CARGO_PKG_VERSION"),
            version: env!("CARGO_PKG_VERSION"),
        },
    }
}

/// Writes the document a chunk of results at a time, each result put in
/// place at the indentation serde_json's pretty printer gives the whole
/// document (the same bytes, as for JSON).
pub(super) fn write(
    outcome: &Outcome,
    others: &'static [&'static RuleMeta],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write!(
        out,
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"runs\": [\n    {{\n      \"columnKind\": \"{COLUMN_KIND}\",\n      \"results\": "
    )?;
    let mut any = false;
    outcome.chunks(&mut |chunk| {
        // Locating and masking every finding is most of the work: in parallel.
        let pieces = elements(chunk, |finding, out| {
            write_pretty(out, &result(outcome, others, finding), 8, true);
        });
        for piece in &pieces {
            any = write_elements(out, piece, any)?;
        }
        Ok(())
    })?;
    out.write_all(if any { b"\n      ],\n" } else { b"[],\n" })?;
    write!(
        out,
        "      \"tool\": {}\n    }}\n  ],\n  \"version\": \"{SARIF_VERSION}\"\n}}\n",
        pretty(&tool(others), 6, false)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written in pieces, the document is byte for byte what serde_json
    /// writes for the whole.
    #[test]
    fn pieces_make_the_pretty_printed_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let example = root.join("fixtures/example");
        let workspace = crate::workspace::Workspace::isolated(root);
        let mut outcome = crate::check::check(&workspace, &[example], None);
        assert!(outcome.findings.len() > 10);
        for _ in 0..2 {
            let whole = Document {
                schema: SCHEMA,
                runs: [Run {
                    column_kind: COLUMN_KIND,
                    results: (outcome.findings.iter())
                        .map(|finding| result(&outcome, &[], finding))
                        .collect(),
                    tool: tool(&[]),
                }],
                version: SARIF_VERSION,
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            let mut written = Vec::new();
            write(&outcome, &[], &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), expected);
            outcome.findings.clear();
        }
    }

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
