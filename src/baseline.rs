//! Baselines: today's findings, frozen so that only new ones are reported.
//! A finding is identified by [`Finding::fingerprint_at`]: rule, file (relative
//! to the project root), record key and field, never its line, so unrelated
//! edits keep it matched. Entries that match nothing any more are reported
//! (`stale-baseline-entry`) so the baseline only shrinks.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::finding::Finding;
use crate::rules::RuleMeta;
use crate::source::{SourceFile, Span};

/// The file `phonelint baseline` writes by default.
pub const DEFAULT_FILE: &str = "phonelint-baseline.json";
/// The format of the file; changes whenever an older phonelint would misread it.
pub const VERSION: u64 = 1;

const STALE: &RuleMeta = &crate::rules::StaleBaselineEntry::META;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    /// Relative to the project root, `/` separators.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Document {
    version: u64,
    findings: Vec<Entry>,
}

/// A baseline read from disk.
#[derive(Debug)]
pub struct Baseline {
    pub file: Arc<SourceFile>,
    pub entries: Vec<Entry>,
}

impl Entry {
    fn of(finding: &Finding, config: &Config) -> Self {
        let path = config.relative(&finding.file.path);
        Self {
            fingerprint: finding.fingerprint_at(&path),
            rule: finding.rule.to_owned(),
            path,
            record: finding.record.as_ref().map(|r| r.key.clone()),
            field: finding.field.clone(),
        }
    }
}

/// The baseline file for `findings`: one entry per line, sorted, so that a
/// change to it reads well in review.
pub fn render(findings: &[Finding], config: &Config) -> String {
    let mut entries: Vec<Entry> = findings.iter().map(|f| Entry::of(f, config)).collect();
    entries.sort_by(|a, b| {
        (&a.path, &a.record, &a.rule, &a.field).cmp(&(&b.path, &b.record, &b.rule, &b.field))
    });
    let lines: Vec<String> = entries
        .iter()
        .filter_map(|entry| serde_json::to_string(entry).ok())
        .map(|line| format!("    {line}"))
        .collect();
    let body = if lines.is_empty() {
        String::new()
    } else {
        format!("\n{}\n  ", lines.join(",\n"))
    };
    format!("{{\n  \"version\": {VERSION},\n  \"findings\": [{body}]\n}}\n")
}

impl Baseline {
    /// Reads a baseline; `cwd` resolves a relative path and names the file.
    pub fn load(path: &Path, cwd: &Path) -> Result<Self, String> {
        let name = crate::discover::display_name(path, cwd);
        let text = std::fs::read_to_string(cwd.join(path))
            .map_err(|error| format!("{name}: cannot read the baseline: {error}"))?;
        let document: Document = serde_json::from_str(&text)
            .map_err(|error| format!("{name}: not a phonelint baseline: {error}"))?;
        if document.version != VERSION {
            return Err(format!(
                "{name}: baseline version {} is not {VERSION}; write it again with `phonelint baseline`",
                document.version
            ));
        }
        Ok(Self {
            file: Arc::new(SourceFile::new(cwd.join(path), name, text)),
            entries: document.findings,
        })
    }

    /// Where each entry is written: the n-th occurrence of its fingerprint.
    fn spans(&self) -> Vec<Span> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        self.entries
            .iter()
            .map(|entry| {
                let n = seen.entry(entry.fingerprint.as_str()).or_default();
                let quoted = format!("\"{}\"", entry.fingerprint);
                let found = self.file.text.match_indices(&quoted).nth(*n);
                *n += 1;
                found.map_or(Span::new(0, 0), |(at, _)| Span::new(at, at + quoted.len()))
            })
            .collect()
    }
}

/// Removes the findings in the baseline (each entry matches one finding) and
/// returns a `stale-baseline-entry` finding for every entry that matched
/// nothing, if its file was checked or no longer exists.
pub fn apply(
    baseline: &Baseline,
    config: &Config,
    checked: &HashSet<String>,
    findings: &mut Vec<Finding>,
) -> Vec<Finding> {
    let mut open: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, entry) in baseline.entries.iter().enumerate().rev() {
        open.entry(entry.fingerprint.as_str()).or_default().push(i);
    }
    findings.retain(|finding| {
        let fingerprint = finding.fingerprint_at(&config.relative(&finding.file.path));
        open.get_mut(fingerprint.as_str())
            .and_then(Vec::pop)
            .is_none()
    });
    let mut unmatched: Vec<usize> = open.into_values().flatten().collect();
    unmatched.sort_unstable();
    let spans = baseline.spans();
    unmatched
        .into_iter()
        .filter_map(|i| Some((baseline.entries.get(i)?, spans.get(i).copied()?)))
        .filter(|(entry, _)| {
            checked.contains(&entry.path) || !config.root.join(&entry.path).exists()
        })
        .map(|(entry, span)| {
            let place = match (&entry.record, &entry.field) {
                (Some(record), Some(field)) => format!(" on `{record}` field `{field}`"),
                (Some(record), None) => format!(" on `{record}`"),
                _ => String::new(),
            };
            Finding::new(
                STALE.name,
                STALE.severity,
                &baseline.file,
                span,
                format!(
                    "stale baseline entry: `{}` no longer reported in {}{place}",
                    entry.rule, entry.path
                ),
            )
            .with_label("matches no finding")
            .with_help("run `phonelint baseline` again to drop it: the baseline only shrinks")
        })
        .collect()
}
