//! The policy stage: levels, then suppressions, then the baseline. It judges
//! findings as they come (each file's own as the file is checked, on any
//! core, then those across files), and once every finding has been judged
//! reports the suppressions and baseline entries that allowed nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::baseline::{Baseline, Matcher};
use super::suppress::{self, Comment};
use crate::config::{Config, Level};
use crate::model::{Finding, Repository};
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
    pub fn judge(&self, findings: &mut Vec<Finding>, comments: &[Comment]) {
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
/// the whole file is loaded); `positions` gives a file's position in the
/// repository by [`file_key`].
pub fn locate_fields(
    repository: &Repository,
    positions: &HashMap<usize, u32>,
    findings: &mut [Finding],
) {
    for finding in findings
        .iter_mut()
        .filter(|finding| finding.field.is_none())
    {
        let file = (positions.get(&file_key(&finding.file)))
            .and_then(|position| repository.files.get(usize::try_from(*position).ok()?));
        if let Some(file) = file {
            finding.field = file.field_at(finding.span).map(str::to_owned);
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
