//! The check itself: discover -> load -> rules, in parallel per file (which
//! also takes each file's index keys, suppression comments and finding
//! fields, then keeps of its records only what the rules across files read),
//! then the index and the rules that look across the repository, then the
//! project's policy (levels, suppressions, baseline), then the filter that
//! keeps what the user asked about. `PHONELINT_TIMINGS=1` times each stage.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, SiteFacts};
use crate::discover::{DiscoveredFile, discover, discover_pruned};
use crate::filter::only_reported;
use crate::finding::{Finding, Severity};
use crate::load::{self, Document};
use crate::model::{LoadedFile, RecordKeys, Repository};
use crate::rules::{FileContext, RULES, RecordContext, RuleMeta};
use crate::scope;
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

impl Summary {
    /// The counts for the files reported on and the findings kept.
    fn of<'a>(files: impl Iterator<Item = &'a LoadedFile>, findings: &[Finding]) -> Self {
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
    /// Rules outside the registry whose findings this outcome holds (those
    /// of `phonelint drift`): SARIF describes them after the registry's.
    pub other_rules: &'static [&'static RuleMeta],
}

impl Outcome {
    /// Whether a finding at `threshold` or above was reported (`fail-on`).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}

/// Checks the files and directories in `paths`, and nothing else, with
/// default settings; names are shown relative to `cwd`.
pub fn check(paths: &[PathBuf], cwd: &Path) -> Outcome {
    check_with(paths, cwd, &Config::defaults(cwd))
}

/// Checks the files and directories in `paths`, and nothing else, with a
/// configuration: include/exclude pick the files walked, the policy stage
/// applies levels, suppressions and the baseline to the findings.
pub fn check_with(paths: &[PathBuf], cwd: &Path, config: &Config) -> Outcome {
    let mut timings = crate::timings::Timings::start();
    let discovered = discover(paths, cwd);
    timings.mark("discover");
    check_discovered(discovered, paths, cwd, config)
}

/// [`check_with`] on files already discovered from `paths`: a file may have
/// changed or gone since (each is then an error of its own, the others are
/// checked).
pub fn check_discovered(
    mut discovered: crate::discover::Discovered,
    paths: &[PathBuf],
    cwd: &Path,
    config: &Config,
) -> Outcome {
    select(&mut discovered.files, paths, config);
    let errors = discovered.errors.iter().map(ToString::to_string).collect();
    let files = Target::all(discovered.files, true).collect();
    let mut outcome = run(files, errors, paths, cwd, None, config);
    outcome.skipped = discovered.skipped.iter().map(ToString::to_string).collect();
    outcome.skipped.extend(discovered.notes);
    outcome
}

/// Keeps the files `config` selects; a file named explicitly is always read.
fn select(files: &mut Vec<DiscoveredFile>, paths: &[PathBuf], config: &Config) {
    files.retain(|file| paths.contains(&file.path) || config.selects(&file.path));
}

/// Checks the repository that `paths` belong to and reports on `paths` only.
///
/// The root is `root` when given, else the nearest directory above the first
/// path that holds `phonelint.toml` or `.git` (see [`crate::scope`]). Every
/// definition under the root is read so that rules looking across files see
/// the whole repository; findings are kept only when they are located in a
/// file named in `paths` or under a directory named there. Without a root,
/// this is [`check`].
pub fn check_repository(
    paths: &[PathBuf],
    cwd: &Path,
    root: Option<&Path>,
    config: &Config,
) -> Outcome {
    let root = match root {
        Some(root) => Some(scope::absolute(root, cwd)),
        None => paths
            .first()
            .and_then(|first| scope::find_root(&scope::absolute(first, cwd))),
    };
    let Some(root) = root else {
        return check_with(paths, cwd, config);
    };
    let mut timings = crate::timings::Timings::start();
    let mut targets = discover(paths, cwd);
    select(&mut targets.files, paths, config);
    let mut errors: Vec<String> = targets.errors.iter().map(ToString::to_string).collect();
    // The directories asked about were walked already: the repository walk
    // skips them, and is not needed at all when one of them holds the root.
    // Files named one by one may be met again by the repository walk.
    let mut asked_dirs: Vec<PathBuf> = Vec::new();
    let mut asked_files: HashSet<PathBuf> = HashSet::new();
    for path in paths {
        let absolute = scope::absolute(path, cwd);
        if path.is_dir() {
            asked_dirs.push(absolute);
        } else {
            asked_files.insert(absolute);
        }
    }
    let mut index = if asked_dirs.iter().any(|dir| root.starts_with(dir)) {
        crate::discover::Discovered::default()
    } else {
        discover_pruned(std::slice::from_ref(&root), cwd, &asked_dirs)
    };
    select(&mut index.files, &[], config);
    for error in &index.errors {
        let error = error.to_string();
        if !errors.contains(&error) {
            errors.push(error);
        }
    }
    let mut files: Vec<Target> = Target::all(targets.files, true).collect();
    let unasked = index.files.into_iter().filter(|file| {
        asked_files.is_empty() || !asked_files.contains(&scope::absolute(&file.path, cwd))
    });
    files.extend(Target::all(unasked, false));
    let mut skipped: Vec<String> = targets.skipped.iter().map(ToString::to_string).collect();
    skipped.extend(index.skipped.iter().map(ToString::to_string));
    skipped.extend(targets.notes);
    skipped.extend(index.notes);
    skipped.sort();
    skipped.dedup();
    timings.mark("discover");
    let mut outcome = run(files, errors, paths, cwd, Some(root), config);
    outcome.skipped = skipped;
    outcome
}

/// A file to check, and whether its findings are reported (the file was
/// asked about) or it is only read for the rules across files.
struct Target {
    file: DiscoveredFile,
    reported: bool,
}

impl Target {
    fn all(
        files: impl IntoIterator<Item = DiscoveredFile>,
        reported: bool,
    ) -> impl Iterator<Item = Target> {
        files.into_iter().map(move |file| Target { file, reported })
    }
}

/// Checks `files` as one repository and keeps the findings of the files
/// reported on.
fn run(
    files: Vec<Target>,
    mut errors: Vec<String>,
    paths: &[PathBuf],
    cwd: &Path,
    root: Option<PathBuf>,
    config: &Config,
) -> Outcome {
    let mut timings = crate::timings::Timings::start();
    let base = root.as_deref().unwrap_or(cwd);
    let site = config.site.value;
    // Only a baseline needs the names of the files reported on.
    let reported_names: HashSet<String> = if config.baseline.is_some() {
        files
            .iter()
            .filter(|target| target.reported)
            .map(|target| config.relative(&target.file.path))
            .collect()
    } else {
        HashSet::new()
    };
    let results: Vec<Result<Checked, String>> = files
        .par_iter()
        .map(|target| {
            let repo_path = scope::relative_name(&scope::absolute(&target.file.path, cwd), base);
            check_file(&target.file, repo_path, target.reported, site)
        })
        .collect();
    // Each file's path and name live on in its `SourceFile`: free these copies
    // before the repository-wide stages, which hold the peak of memory.
    drop(files);
    timings.mark("per file");

    let mut repository = Repository::default();
    repository.site = site;
    let mut keys = Vec::new();
    let mut comments = Vec::new();
    // Sized once: the findings of every file, then those across files.
    let mut findings = Vec::with_capacity(
        results
            .iter()
            .flatten()
            .map(|checked| checked.findings.len())
            .sum(),
    );
    repository.files.reserve_exact(results.len());
    keys.reserve_exact(results.len());
    for result in results {
        match result {
            Ok(checked) => {
                findings.extend(checked.findings);
                if checked.file.document.is_definition {
                    repository.files.push(checked.file);
                    keys.push(checked.keys);
                    comments.extend(checked.comments);
                }
            }
            Err(error) => errors.push(error),
        }
    }
    repository.set_index_keys(keys);
    timings.mark("index");
    // The rules across files share the index; each rule runs on its own
    // core, its findings kept in rule order.
    let across: Vec<Vec<Finding>> = RULES
        .par_iter()
        .map(|rule| {
            let mut out = Vec::new();
            rule.check_repository(&repository, &mut out);
            out
        })
        .collect();
    findings.reserve_exact(across.iter().map(Vec::len).sum());
    findings.extend(across.into_iter().flatten());
    timings.mark("across files");
    // Policy before the filter: a suppression in a file not reported on may
    // still cover a finding there, and its own findings are filtered away.
    let checked = crate::policy::Checked {
        files: reported_names,
        whole_root: paths.iter().any(|path| config.holds_root(path)),
    };
    let mut findings = crate::policy::apply(config, &repository, &checked, findings, comments);
    timings.mark("policy");
    only_reported(&mut findings);
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let asked = repository.files.iter().filter(|f| f.source.reported);
    let summary = Summary::of(asked, &findings);
    timings.mark("filter and sort");
    // Freeing every file's small allocations, on all cores: done before the
    // report is written, so that it can reuse the memory (and the cores).
    repository.files.into_par_iter().for_each(drop);
    timings.mark("free");
    Outcome {
        findings,
        summary,
        errors,
        skipped: Vec::new(),
        root,
        other_rules: &[],
    }
}

/// Checks one file's bytes in memory: every rule, those across the
/// repository included, as if the file were the whole repository, with
/// default settings and no policy stage. For property tests and fuzzing; the
/// CLI reads files through [`check_with`].
pub fn check_bytes(name: &str, format: load::Format, bytes: &[u8]) -> Outcome {
    let discovered = DiscoveredFile {
        path: PathBuf::from(name),
        name: name.to_owned(),
        format,
    };
    let Checked {
        file, mut findings, ..
    } = check_loaded(
        &discovered,
        Ok(bytes.to_vec()),
        name.to_owned(),
        true,
        SiteFacts::default(),
    );
    let mut repository = Repository::default();
    if file.document.is_definition {
        repository.files.push(file);
    }
    for rule in RULES {
        rule.check_repository(&repository, &mut findings);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let summary = Summary::of(repository.files.iter(), &findings);
    Outcome {
        findings,
        summary,
        ..Outcome::default()
    }
}

/// Reads a definition file, refusing what is not a regular file and what is
/// over [`load::MAX_FILE_SIZE`]: the type and size come from the metadata of
/// the opened file, before any byte is read.
fn read_definition(discovered: &DiscoveredFile) -> Result<Result<Vec<u8>, load::Problem>, String> {
    let cannot = |error: std::io::Error| format!("{}: cannot read: {error}", discovered.name);
    match load::read_regular(&discovered.path, load::MAX_FILE_SIZE) {
        Ok(bytes) => Ok(Ok(bytes)),
        Err(load::ReadError::TooLarge { size, limit }) => {
            Ok(Err(load::Problem::TooLarge { size, limit }))
        }
        Err(load::ReadError::Link) => Err(format!(
            "{}: cannot read: no longer a regular file",
            discovered.name
        )),
        Err(load::ReadError::NotRegular) => Err(format!(
            "{}: cannot read: not a regular file",
            discovered.name
        )),
        Err(load::ReadError::Io(error)) => Err(cannot(error)),
    }
}

/// One file, loaded and checked on its own.
struct Checked {
    file: LoadedFile,
    findings: Vec<Finding>,
    /// The keys of its records, for the repository's index.
    keys: Vec<RecordKeys>,
    /// Its suppression comments.
    comments: Vec<crate::suppress::Comment>,
}

/// Reads, loads and checks one file on its own.
fn check_file(
    discovered: &DiscoveredFile,
    repo_path: String,
    reported: bool,
    site: SiteFacts,
) -> Result<Checked, String> {
    let content = read_definition(discovered)?;
    Ok(check_loaded(discovered, content, repo_path, reported, site))
}

/// Reads and loads one definition file without judging it: its source, with
/// its credentials marked for masking, and every record whole. For commands
/// that compare a repository's records rather than check them (`drift`).
pub fn load_file(discovered: &DiscoveredFile, repo_path: String) -> Result<LoadedFile, String> {
    let content = read_definition(discovered)?;
    let (source, document) = load_source(discovered, content, repo_path, true);
    Ok(LoadedFile { source, document })
}

/// Decodes and loads one file's bytes; `content` is the problem instead when
/// the file was not read (too large). The source marks the credentials of
/// the document and of the text.
fn load_source(
    discovered: &DiscoveredFile,
    content: Result<Vec<u8>, load::Problem>,
    repo_path: String,
    reported: bool,
) -> (Arc<SourceFile>, Document) {
    let decoded = content
        .map_err(|problem| (problem, Vec::new()))
        .and_then(load::decode_owned);
    let (text, document) = match decoded {
        Ok(text) => {
            let document = load::load_str(&text, discovered.format);
            (text, document)
        }
        // Keep what can be shown of the text for the snippet.
        Err((problem @ load::Problem::NotUtf8 { .. }, bytes)) => (
            String::from_utf8_lossy(&bytes).into_owned(),
            Document::from_problem(problem),
        ),
        // Binary is not shown (nor a file too large to be read).
        Err((problem, _)) => (String::new(), Document::from_problem(problem)),
    };
    let mut secrets = crate::model::secret_spans(&document);
    secrets.extend(crate::model::textual_secret_spans(&text));
    let source = Arc::new(
        SourceFile::new(discovered.path.clone(), discovered.name.clone(), text)
            .with_secrets(secrets)
            .with_repo_path(repo_path)
            .with_reported(reported)
            .with_parsed(!document.problems.iter().any(|problem| {
                matches!(
                    problem,
                    load::Problem::Syntax { .. }
                        | load::Problem::NotUtf8 { .. }
                        | load::Problem::Binary { .. }
                        | load::Problem::GitCrypt
                )
            })),
    );
    (source, document)
}

/// Loads and checks one file's bytes on their own; `content` is the
/// problem instead when the file was not read (too large).
fn check_loaded(
    discovered: &DiscoveredFile,
    content: Result<Vec<u8>, load::Problem>,
    repo_path: String,
    reported: bool,
    site: SiteFacts,
) -> Checked {
    let (source, mut document) = load_source(discovered, content, repo_path, reported);
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
            let ctx = RecordContext::new(&source, record).with_site(site);
            for rule in RULES {
                rule.check_record(&ctx, &mut findings);
            }
        }
    }
    let (keys, comments) = if document.is_definition {
        // What the stages after this one need of the whole document, taken
        // now: the fields findings are on, the suppression comments and the
        // keys of the index. Then only the columns the rules across files
        // read are kept.
        if findings.iter().any(|f| f.field.is_none()) {
            let fields = crate::model::FieldIndex::new(&document);
            for finding in findings.iter_mut().filter(|f| f.field.is_none()) {
                finding.field = fields.field_at(finding.span);
            }
        }
        let comments = crate::suppress::comments_of(&source, &document);
        let keys = RecordKeys::of_file(&source, &document.records);
        crate::model::keep_cross_file_columns(&mut document);
        (keys, comments)
    } else {
        (Vec::new(), Vec::new())
    };
    Checked {
        file: LoadedFile { source, document },
        findings,
        keys,
        comments,
    }
}
