//! What a check produced: the findings, their counts, and what went wrong
//! in phonelint's own operation.

use std::path::PathBuf;

use super::finding::{Finding, Severity};
use super::repository::LoadedFile;

/// Counts for the closing summary line and the JSON `summary`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Definition files read (files that are not definitions are skipped).
    pub files: usize,
    pub records: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    /// The counts for the files reported on and the findings kept.
    pub fn of<'a>(files: impl Iterator<Item = &'a LoadedFile>, findings: &[Finding]) -> Self {
        let mut summary = Summary::default();
        for file in files {
            summary.files += 1;
            summary.records += file.document.records.len();
        }
        for finding in findings {
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}

/// Everything a check produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by file, position and rule.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Problems of phonelint's own operation (unreadable paths): exit code 2.
    pub errors: Vec<String>,
    /// Definition-named paths not read (symbolic links, FIFOs, devices), and
    /// what else the walk has to say: notes on stderr that do not change the
    /// exit code.
    pub skipped: Vec<String>,
    /// The repository root the check indexed, if one was found or given.
    pub root: Option<PathBuf>,
}

impl Outcome {
    /// Whether a finding at `threshold` or above was reported (`fail-on`).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}
