//! Between the rules and the report: keep only the findings located in the
//! files the user asked about. The rules saw the whole repository, so a
//! cross-file finding between an asked-about file and an untouched one is kept
//! on the asked-about side (each side of a cross-file finding is its own
//! finding, located in its own file, with the other side as related).

use std::collections::HashSet;
use std::path::PathBuf;

use crate::finding::Finding;

/// Keeps the findings whose primary location is one of `reported` (paths as
/// the files were discovered).
pub fn only_reported(findings: &mut Vec<Finding>, reported: &HashSet<PathBuf>) {
    findings.retain(|finding| reported.contains(&finding.file.path));
}
