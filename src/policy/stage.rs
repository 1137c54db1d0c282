//! The policy stage: levels, then suppressions, then the baseline, then
//! the rules selected.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::baseline::{self, Baseline};
use super::suppress::{self, Comment};
use crate::config::{Config, Level};
use crate::model::Finding;
use crate::model::{FieldIndex, Repository};
use crate::source::file_key;

/// What a check read.
#[derive(Debug, Default)]
pub struct Coverage {
    /// The files read, relative to the project root.
    pub files: HashSet<String>,
    /// One of the paths checked is the project root or holds it: everything
    /// the project has was read (so a suppression of a record that was not
    /// found is unused, not merely out of this run's reach).
    pub whole_root: bool,
}

/// The findings of a check once the policy is applied.
#[derive(Debug, Default)]
pub struct Judged {
    /// What is reported.
    pub findings: Vec<Finding>,
    /// What the baseline holds: not reported, but still there to be fixed.
    pub baselined: Vec<Finding>,
}

/// Applies the configuration, suppressions and baseline to the findings of a
/// check.
pub fn apply(
    config: &Config,
    repository: &Repository,
    coverage: &Coverage,
    mut findings: Vec<Finding>,
    comments: Vec<Comment>,
    baseline: Option<&Baseline>,
    root: &Path,
) -> Judged {
    // The fields of the files that have findings not yet on a field.
    let wanted: HashSet<usize> = findings
        .iter()
        .filter(|finding| finding.field.is_none())
        .map(|finding| file_key(&finding.file))
        .collect();
    let fields: HashMap<usize, FieldIndex<'_>> = repository
        .files
        .iter()
        .filter(|file| wanted.contains(&file_key(&file.source)))
        .map(|file| (file_key(&file.source), FieldIndex::new(&file.document)))
        .collect();
    findings.par_iter_mut().for_each(|finding| {
        if finding.field.is_none()
            && let Some(fields) = fields.get(&file_key(&finding.file))
        {
            finding.field = fields.field_at(finding.span);
        }
    });
    apply_levels(config, &mut findings);
    // The suppressions' own findings, at their configured levels.
    let mut reported = suppress::apply(
        config,
        repository,
        coverage.whole_root,
        &mut findings,
        comments,
    );
    apply_levels(config, &mut reported);
    findings.extend(reported);
    let mut baselined = Vec::new();
    if let Some(baseline) = baseline {
        let mut stale = baseline::apply(
            baseline,
            root,
            &coverage.files,
            &mut findings,
            &mut baselined,
        );
        apply_levels(config, &mut stale);
        findings.extend(stale);
    }
    // Last: suppressions and the baseline matched every finding, so a run
    // that selects a few rules leaves none of them unused or stale.
    if config.select.value.is_some() || !config.ignore.value.is_empty() {
        findings.retain(|finding| config.reports(finding.rule));
        baselined.retain(|finding| config.reports(finding.rule));
    }
    Judged {
        findings,
        baselined,
    }
}

/// The configured severity of each finding's rule in its file; findings of
/// rules that are off are dropped.
fn apply_levels(config: &Config, findings: &mut Vec<Finding>) {
    findings.retain_mut(|finding| {
        match config.level(finding.rule, finding.severity, finding.file.relative()) {
            Level::On(severity) => {
                finding.severity = severity;
                true
            }
            Level::Off => false,
        }
    });
}
