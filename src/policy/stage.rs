//! The policy stage: levels, then suppressions, then the baseline, then the
//! rules selected. It judges findings as they come (each file's own as the
//! file is checked, on any core, then those across files), and once every
//! finding has been judged reports the suppressions and baseline entries
//! that allowed nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::baseline::{Baseline, Matcher};
use super::suppress::{self, Comment};
use crate::config::{Config, Level};
use crate::model::{Finding, Repository};
use crate::source::file_key;
use crate::text::hash::FnvBuild;

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
    /// Whether the findings the baseline holds are kept (to be fixed).
    keep_baselined: bool,
    /// Whether each `[[allow]]` entry has allowed a finding.
    allows_used: Vec<AtomicBool>,
}

impl<'a> Policy<'a> {
    /// The policy of `config` with `baseline`; `keep_baselined` when the
    /// findings the baseline holds are wanted (by `--fix`).
    pub fn new(config: &'a Config, baseline: Option<&'a Baseline>, keep_baselined: bool) -> Self {
        Self {
            config,
            baseline: baseline.map(Matcher::new),
            keep_baselined,
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
    /// own file), the `[[allow]]` entries and the baseline accept, and last
    /// the findings of rules not selected (so that a run that selects a few
    /// rules leaves no suppression unused and no baseline entry stale). Each
    /// finding must already know the field it is on. Returns the findings
    /// the baseline holds, when they are kept.
    pub fn judge(&self, findings: &mut Vec<Finding>, comments: &[Comment]) -> Vec<Finding> {
        apply_levels(self.config, findings);
        suppress::allow(self.config, findings, comments, &self.allows_used);
        let baselined = self.absorb(findings);
        self.select(findings);
        baselined
    }

    /// Takes the findings the baseline holds out of `findings`; returns
    /// them, of the rules selected, when they are kept.
    fn absorb(&self, findings: &mut Vec<Finding>) -> Vec<Finding> {
        let Some(baseline) = &self.baseline else {
            return Vec::new();
        };
        let mut baselined = baseline.absorb(findings);
        if self.keep_baselined {
            self.select(&mut baselined);
        } else {
            baselined.clear();
        }
        baselined
    }

    /// Drops the findings of the rules `--select`/`--ignore` leave out.
    fn select(&self, findings: &mut Vec<Finding>) {
        let config = self.config;
        if config.select.value.is_some() || !config.ignore.value.is_empty() {
            findings.retain(|finding| config.reports(finding.rule));
        }
    }

    /// Once every finding has been judged: the findings about suppressions
    /// that allow nothing or give no reason, and about baseline entries that
    /// matched nothing, at their configured levels (the first also taken
    /// away by the baseline), and the findings the baseline took, when they
    /// are kept.
    pub fn finish(
        self,
        repository: &Repository,
        coverage: &Coverage,
        comments: &[Comment],
        root: &Path,
    ) -> (Vec<Finding>, Vec<Finding>) {
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
        let baselined = self.absorb(&mut findings);
        if let Some(baseline) = self.baseline {
            let mut stale = baseline.stale(root, &coverage.files);
            apply_levels(self.config, &mut stale);
            findings.extend(stale);
        }
        let config = self.config;
        if config.select.value.is_some() || !config.ignore.value.is_empty() {
            findings.retain(|finding| config.reports(finding.rule));
        }
        (findings, baselined)
    }
}

/// Fills in the field each finding not yet on one is on, from the kept
/// fields of its file (the findings of a file's own rules learn theirs while
/// the whole file is loaded); `positions` gives a file's position in the
/// repository by [`file_key`].
pub fn locate_fields(
    repository: &Repository,
    positions: &HashMap<usize, u32, FnvBuild>,
    findings: &mut [Finding],
) {
    // Looked up file by file, in the order of their spans: a rule's findings
    // come in the order of its groups, which is random across files, and a
    // large repository's kept fields do not fit the processor's caches.
    let mut order: Vec<(u32, usize, usize)> = (findings.iter().enumerate())
        .filter(|(_, finding)| finding.field.is_none())
        .filter_map(|(at, finding)| {
            let position = positions.get(&file_key(&finding.file))?;
            Some((*position, finding.span.start, at))
        })
        .collect();
    order.sort_unstable();
    for same_file in order.chunk_by(|a, b| a.0 == b.0) {
        let file = (same_file.first())
            .and_then(|(position, ..)| usize::try_from(*position).ok())
            .and_then(|position| repository.files.get(position));
        let Some(file) = file else {
            continue;
        };
        let mut finder = file.field_finder();
        for (_, _, at) in same_file {
            if let Some(finding) = findings.get_mut(*at) {
                finding.field = finder.field_at(finding.span).map(str::to_owned);
            }
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
