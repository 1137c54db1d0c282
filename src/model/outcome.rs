//! What a check produced: the findings, their counts, what went wrong in
//! phonelint's own operation and what else the user should know.

use super::finding::{Applicability, Finding, Severity};

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
    /// The counts for the files reported on (the number of records of
    /// each) and the findings kept.
    pub fn of(files: impl Iterator<Item = usize>, findings: &[Finding]) -> Self {
        let mut summary = Summary::default();
        for records in files {
            summary.files += 1;
            summary.records += records;
        }
        summary.count(findings);
        summary
    }

    /// Counts `findings` too.
    pub fn count(&mut self, findings: &[Finding]) {
        for finding in findings {
            self.count_one(finding);
        }
    }

    /// Counts `finding`: its severity, and its fix if it has one.
    pub fn count_one(&mut self, finding: &Finding) {
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

    /// Adds the findings `other` counted (not its files and records).
    pub fn add_findings(&mut self, other: Summary) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.fixable += other.fixable;
        self.unsafe_fixable += other.unsafe_fixable;
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
    /// A file changed between the check and the report: its findings are
    /// not shown, since they may not fit what it holds now.
    #[error(
        "{path}: changed while it was being checked, so its findings are not shown; check it again"
    )]
    Changed { path: String },
    /// A file's findings, set aside while the check ran, could not be read
    /// back (the temporary file was damaged).
    #[error(
        "{path}: its findings could not be read back from the temporary file phonelint set them aside in"
    )]
    Spill { path: String },
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

/// Findings that come a chunk at a time from elsewhere than memory: a
/// check's files' own findings, set aside while it ran.
pub trait FindingStream: std::fmt::Debug + Send + Sync {
    /// Calls `each` with the findings in report order, a chunk at a time.
    fn chunks(
        &self,
        each: &mut dyn FnMut(&[Finding]) -> std::io::Result<()>,
    ) -> std::io::Result<()>;

    /// What went wrong reading them back (a file changed since it was
    /// checked), each said once.
    fn take_errors(&self) -> Vec<RunError>;
}

/// Everything a check produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by file, position and rule. Empty when they are streamed.
    pub findings: Vec<Finding>,
    /// The findings, when they are read back a chunk at a time rather than
    /// held in `findings` (see [`Outcome::chunks`]).
    pub stream: Option<Box<dyn FindingStream>>,
    /// The findings the baseline holds, in the files reported on: neither
    /// reported nor counted, but fixed by `--fix` (a baseline says "do not
    /// fail on these", not "do not touch them"). Not kept by a streamed
    /// check, which only reports.
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

/// How many findings [`Outcome::chunks`] gives at a time, at most, from
/// findings held whole.
pub const CHUNK: usize = 1024;

impl Outcome {
    /// Whether a finding at `threshold` or above was reported (`fail-on`).
    pub fn fails(&self, threshold: Severity) -> bool {
        if self.stream.is_some() {
            let s = self.summary;
            return match threshold {
                Severity::Error => s.errors > 0,
                Severity::Warning => s.errors + s.warnings > 0,
                Severity::Info => s.errors + s.warnings + s.infos > 0,
            };
        }
        self.findings.iter().any(|f| f.severity >= threshold)
    }

    /// What went wrong reading streamed findings back, each said once.
    pub fn take_stream_errors(&self) -> Vec<RunError> {
        self.stream
            .as_ref()
            .map(|stream| stream.take_errors())
            .unwrap_or_default()
    }

    /// The findings held in memory: a streamed outcome's read back whole
    /// (what goes wrong meanwhile joins its errors).
    pub fn collected(mut self) -> Self {
        if let Some(stream) = self.stream.take() {
            let mut findings = Vec::new();
            let _ = stream.chunks(&mut |chunk| {
                findings.extend_from_slice(chunk);
                Ok(())
            });
            self.errors.extend(stream.take_errors());
            self.findings = findings;
        }
        self
    }

    /// Whether the summary counts every finding [`Outcome::chunks`] gives,
    /// so that a pass over them for a severity the summary counts none of
    /// can be skipped (outcomes made by hand need not keep it so).
    pub fn counts_every_finding(&self) -> bool {
        self.stream.is_some()
    }

    /// Calls `each` with the findings in report order, a chunk at a time:
    /// renderers write as they go and never need every finding at once.
    pub fn chunks(
        &self,
        each: &mut dyn FnMut(&[Finding]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match &self.stream {
            Some(stream) => stream.chunks(each),
            None => self.findings.chunks(CHUNK).try_for_each(each),
        }
    }

    /// The findings whose fixes `--fix` applies: those reported and those
    /// the baseline holds (of an outcome held in memory).
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
