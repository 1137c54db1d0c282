//! The check itself: discover -> load -> rules, in parallel per file, then the
//! rules that look across the repository.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{DiscoveredFile, discover};
use crate::finding::{Finding, Severity};
use crate::load::{self, Document};
use crate::model::{LoadedFile, Repository};
use crate::rules::{FileContext, RULES, RecordContext};
use crate::source::SourceFile;

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

/// Everything a check produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by file, position and rule.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Problems of phonelint's own operation (unreadable paths): exit code 2.
    pub errors: Vec<String>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// Checks the files and directories in `paths`; names are shown relative to `cwd`.
pub fn check(paths: &[PathBuf], cwd: &Path) -> Outcome {
    let discovered = discover(paths, cwd);
    let mut errors: Vec<String> = discovered.errors.iter().map(ToString::to_string).collect();

    let results: Vec<Result<(LoadedFile, Vec<Finding>), String>> =
        discovered.files.par_iter().map(check_file).collect();

    let mut repository = Repository::default();
    let mut findings = Vec::new();
    for result in results {
        match result {
            Ok((file, file_findings)) => {
                findings.extend(file_findings);
                if file.document.is_definition {
                    repository.files.push(file);
                }
            }
            Err(error) => errors.push(error),
        }
    }
    for rule in RULES {
        rule.check_repository(&repository, &mut findings);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    let mut summary = Summary {
        files: repository.files.len(),
        records: repository
            .files
            .iter()
            .map(|f| f.document.records.len())
            .sum(),
        ..Summary::default()
    };
    for finding in &findings {
        match finding.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    // Freeing every record's small allocations was 5% of a check, on one
    // thread: spread it over the cores.
    repository.files.into_par_iter().for_each(drop);
    Outcome {
        findings,
        summary,
        errors,
    }
}

/// Reads, loads and checks one file on its own.
fn check_file(discovered: &DiscoveredFile) -> Result<(LoadedFile, Vec<Finding>), String> {
    let bytes = std::fs::read(&discovered.path)
        .map_err(|error| format!("{}: cannot read: {error}", discovered.name))?;
    let (text, document) = match load::decode(&bytes) {
        Ok(text) => {
            let document = load::load_str(text, discovered.format);
            (text.to_owned(), document)
        }
        Err(problem) => {
            // Keep what can be shown of the text for the snippet; binary is not shown.
            let text = match problem {
                load::Problem::Binary { .. } => String::new(),
                _ => String::from_utf8_lossy(&bytes).into_owned(),
            };
            (text, Document::from_problem(problem))
        }
    };
    let source = Arc::new(
        SourceFile::new(discovered.path.clone(), discovered.name.clone(), text)
            .with_secrets(crate::model::secret_spans(&document)),
    );
    let mut findings = Vec::new();
    let file_ctx = FileContext {
        file: &source,
        document: &document,
    };
    for rule in RULES {
        rule.check_file(&file_ctx, &mut findings);
    }
    if document.is_definition {
        for record in document.records.iter().filter(|record| !record.damaged) {
            let ctx = RecordContext::new(&source, record);
            for rule in RULES {
                rule.check_record(&ctx, &mut findings);
            }
        }
    }
    Ok((LoadedFile { source, document }, findings))
}
