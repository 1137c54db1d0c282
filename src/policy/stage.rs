//! The policy stage: levels, then suppressions, then the baseline. It judges
//! findings as they come (each file's own as the file is checked, on any
//! core, then those across files), and once every finding has been judged
//! reports the suppressions and baseline entries that allowed nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::baseline::{Baseline, Matcher};
use super::suppress::{self, Comment};
use crate::config::{Config, Level};
use crate::model::{FieldIndex, Finding, KeptFile, Repository};
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

/// The project's policy over one check's findings.
#[derive(Debug)]
pub struct Policy<'a> {
    config: &'a Config,
    baseline: Option<Matcher<'a>>,
    /// Whether each `[[allow]]` entry has allowed a finding.
    allows_used: Vec<AtomicBool>,
}

impl<'a> Policy<'a> {
    pub fn new(config: &'a Config, baseline: Option<&'a Baseline>) -> Self {
        Self {
            config,
            baseline: baseline.map(Matcher::new),
            allows_used: config
                .allow
                .iter()
                .map(|_| AtomicBool::new(false))
                .collect(),
        }
    }

    /// Gives each finding the severity the configuration gives its rule in
    /// its file (dropping those of rules that are off), then removes what the
    /// suppressions among `comments` (a finding is compared with those of its
    /// own file), the `[[allow]]` entries and the baseline accept. Each
    /// finding must already know the field it is on.
    pub fn judge(&self, findings: &mut Vec<Finding>, comments: &mut [Comment]) {
        apply_levels(self.config, findings);
        suppress::allow(self.config, findings, comments, &self.allows_used);
        if let Some(baseline) = &self.baseline {
            baseline.absorb(findings);
        }
    }

    /// Once every finding has been judged: the findings about suppressions
    /// that allow nothing or give no reason, and about baseline entries that
    /// matched nothing, at their configured levels (the first also taken
    /// away by the baseline).
    pub fn finish(
        self,
        repository: &Repository,
        coverage: &Coverage,
        comments: &[Comment],
        root: &Path,
    ) -> Vec<Finding> {
        let allows_used = (self.allows_used.iter())
            .map(|used| used.load(Ordering::Relaxed))
            .collect();
        let mut findings = suppress::reports(
            self.config,
            repository,
            coverage.whole_root,
            comments,
            allows_used,
        );
        apply_levels(self.config, &mut findings);
        if let Some(baseline) = self.baseline {
            baseline.absorb(&mut findings);
            let mut stale = baseline.stale(root, &coverage.files);
            apply_levels(self.config, &mut stale);
            findings.extend(stale);
        }
        findings
    }
}

/// Fills in the field each finding not yet on one is on, from the kept
/// fields of its file (the findings of a file's own rules learn theirs while
/// the whole file is loaded). A file's fields are indexed while its findings
/// are located, one file at a time on each core.
pub fn locate_fields(repository: &Repository, findings: &mut [Finding]) {
    let files: HashMap<usize, &KeptFile> = repository
        .files
        .iter()
        .map(|file| (file_key(&file.source), file))
        .collect();
    // The findings to locate, by file.
    let mut wanted: Vec<(usize, usize)> = findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| finding.field.is_none())
        .map(|(position, finding)| (file_key(&finding.file), position))
        .collect();
    wanted.sort_unstable();
    let located: Vec<(usize, Option<String>)> = wanted
        .chunk_by(|a, b| a.0 == b.0)
        .par_bridge()
        .flat_map_iter(|run| {
            let fields = run
                .first()
                .and_then(|(key, _)| files.get(key))
                .map(|file| FieldIndex::of_kept(file));
            run.iter()
                .filter_map(|(_, position)| {
                    let span = findings.get(*position)?.span;
                    let field = fields.as_ref().and_then(|fields| fields.field_at(span));
                    Some((*position, field))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (position, field) in located {
        if let Some(finding) = findings.get_mut(position) {
            finding.field = field;
        }
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
