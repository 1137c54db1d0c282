//! What a check produced: the findings, their counts, what went wrong in
//! phonelint's own operation and what else the user should know.

use super::finding::{Applicability, Finding, Severity};
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
    /// Findings with a safe fix, which `--fix` applies.
    pub fixable: usize,
    /// Findings with an unsafe fix, which `--fix --unsafe-fixes` applies.
    pub unsafe_fixable: usize,
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
            summary.count(finding);
        }
        summary
    }

    /// Counts `finding`: its severity, and its fix if it has one.
    pub fn count(&mut self, finding: &Finding) {
        match finding.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        match finding.fix.as_ref().map(|fix| fix.applicability) {
            Some(Applicability::Safe) => self.fixable += 1,
            Some(Applicability::Unsafe) => self.unsafe_fixable += 1,
            None => {}
        }
    }
}

/// A problem of phonelint's own operation (exit code 2): a path that does
/// not exist or cannot be read, an output that cannot be written. Not a
/// finding; turned into text only where it is printed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{path}: no such file or directory{}", near.as_ref().map(|near| format!("; did you mean `{near}`?")).unwrap_or_default())]
    NotFound {
        path: String,
        /// A path close to it that exists (a likely typo).
        near: Option<String>,
    },
    #[error("{path}: not a .toml or .json file, so its format is unknown")]
    UnknownFormat { path: String },
    /// What the directory walker could not read, in its words.
    #[error("{0}")]
    Walk(String),
    #[error("{path}: cannot read: {why}")]
    Read { path: String, why: ReadFailure },
    #[error("{path}: cannot write: {error}")]
    Write { path: String, error: std::io::Error },
    #[error("GITHUB_STEP_SUMMARY: cannot append: {0}")]
    StepSummary(std::io::Error),
    /// A definition `phonelint drift` cannot compare whole: `at` is where,
    /// `what` the problem.
    #[error("{at}: {what}; its records are not all compared (`phonelint check {path}` shows why)")]
    NotComparedWhole {
        at: String,
        what: String,
        path: String,
    },
}

/// Why a definition found by the walk could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadFailure {
    /// It became a symbolic link since the walk.
    #[error("no longer a regular file")]
    NoLongerRegular,
    #[error("not a regular file")]
    NotRegular,
    #[error("{0}")]
    Io(std::io::Error),
}

/// What the user should know that changes nothing: a note on stderr.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
pub enum Note {
    /// git could not list the files it tracks under `dir`.
    #[error(
        "cannot list the files git tracks under {dir} ({why}): a tracked file that .gitignore, .ignore or git's exclude file matches, or a hidden one, is not checked"
    )]
    Untracked { dir: String, why: String },
    /// A definition-named path that is not read.
    #[error("skipped {name}: {reason}")]
    Skipped { name: String, reason: SkipReason },
}

/// Why a definition-named path is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
pub enum SkipReason {
    /// A symbolic link: never followed, wherever it points.
    #[error("a symbolic link (phonelint does not follow links)")]
    Symlink,
    /// A FIFO, socket or device: opening it could block or read without end.
    #[error("not a regular file (a FIFO, socket or device)")]
    NotRegular,
}

/// Everything a check produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by file, position and rule.
    pub findings: Vec<Finding>,
    /// The findings the baseline holds, in the files reported on: neither
    /// reported nor counted, but fixed by `--fix` (a baseline says "do not
    /// fail on these", not "do not touch them").
    pub baselined: Vec<Finding>,
    pub summary: Summary,
    /// Problems of phonelint's own operation: exit code 2.
    pub errors: Vec<RunError>,
    /// Notes for stderr, sorted: they do not change the exit code.
    pub notes: Vec<Note>,
    /// Where the project root is in its git checkout (`defs/`, or empty):
    /// github and SARIF name files from the top of the checkout.
    pub checkout_prefix: String,
}

impl Outcome {
    /// Whether a finding at `threshold` or above was reported (`fail-on`).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }

    /// The findings whose fixes `--fix` applies: those reported and those
    /// the baseline holds.
    pub fn fixable(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().chain(&self.baselined)
    }

    /// The path of `file` from the top of the git checkout.
    pub fn checkout_path<'f>(
        &self,
        file: &'f crate::source::SourceFile,
    ) -> std::borrow::Cow<'f, str> {
        if self.checkout_prefix.is_empty() {
            std::borrow::Cow::Borrowed(file.relative())
        } else {
            std::borrow::Cow::Owned(crate::files::paths::join_slashed(
                &self.checkout_prefix,
                file.relative(),
            ))
        }
    }
}
