//! The check, one entry point: discover -> load -> rules, in parallel per
//! file (which also takes each file's index keys, suppression comments and
//! finding fields, then keeps of its records only what the rules across
//! files read), then the index and the rules across the repository, then
//! the project's policy (levels, suppressions, baseline), then the filter
//! that keeps what the user asked about. `PHONELINT_TIMINGS=1` times each
//! stage. [`check_bytes`] checks one file in memory, for fuzzers.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{Discovered, DiscoveredFile, discover, named};
use crate::files::paths::absolute;
use crate::files::read::{MAX_FILE_SIZE, ReadError, read_regular};
use crate::load::{self, Document};
use crate::model::{
    Finding, LoadedFile, Outcome, ReadFailure, RecordKeys, Repository, RunError, SiteFacts, Summary,
};
use crate::policy::baseline::Baseline;
use crate::policy::suppress::{Comment, comments_of};
use crate::policy::{Coverage, Judged, apply};
use crate::rules::{FileContext, RULES, RecordContext, record_rules, repository_rules};
use crate::source::SourceFile;
use crate::workspace::Workspace;

/// Checks the repository that `paths` belong to and reports on `paths`
/// only, with the workspace's configuration and, when given, a baseline.
///
/// When the workspace's root is a repository (found or given), every
/// definition under it is read so that rules looking across files see the
/// whole repository; findings are kept only when they are located in a file
/// named in `paths` or under a directory named there.
pub fn check(workspace: &Workspace, paths: &[PathBuf], baseline: Option<&Baseline>) -> Outcome {
    let mut timings = crate::timings::Timings::start();
    let targets = discover(workspace, paths, &[]);
    timings.mark("discover");
    check_discovered(workspace, paths, baseline, targets, None)
}

/// Text checked as if it were the file at `path` (standard input, for
/// editors and scripts): the file need not exist, and when it does, the
/// buffer takes its place.
#[derive(Debug)]
pub struct Buffer {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// [`check`] of `buffer.path` with the buffer in its place: the repository
/// around it is read as for a check of that file, so the rules across files
/// see the rest of the repository, and only the buffer is reported on.
pub fn check_buffer(workspace: &Workspace, buffer: Buffer, baseline: Option<&Baseline>) -> Outcome {
    let mut targets = Discovered::default();
    match named(workspace, &buffer.path) {
        Some(file) => targets.files.push(file),
        None => targets.errors.push(RunError::UnknownFormat {
            path: crate::files::paths::relative_name(&buffer.path, &workspace.cwd),
        }),
    }
    let paths = [buffer.path];
    check_discovered(workspace, &paths, baseline, targets, Some(buffer.bytes))
}

/// [`check`] of the files already discovered from `paths`: a file may have
/// changed or gone since (each is then an error of its own, the others are
/// checked). `buffer` is the text of the one file asked about, when it is
/// not read from disk.
fn check_discovered(
    workspace: &Workspace,
    paths: &[PathBuf],
    baseline: Option<&Baseline>,
    mut targets: Discovered,
    buffer: Option<Vec<u8>>,
) -> Outcome {
    let mut timings = crate::timings::Timings::start();
    let config = &workspace.config;
    let select = |files: &mut Vec<DiscoveredFile>, asked: &[PathBuf]| {
        // A file named explicitly is always read.
        files.retain(|file| asked.contains(&file.path) || config.selects(file.relative()));
    };
    select(&mut targets.files, paths);
    let mut errors = targets.errors;
    let mut notes = targets.notes;
    let mut files: Vec<Target> = Target::all(targets.files, true).collect();
    if let (Some(bytes), Some(asked)) = (buffer, files.first_mut()) {
        asked.content = Some(bytes);
    }
    if workspace.is_repository {
        // The directories asked about were walked already: the repository
        // walk skips them, and is not needed at all when one of them holds
        // the root. Files named one by one may be met again by it.
        let mut asked_dirs: Vec<PathBuf> = Vec::new();
        let mut asked_files: HashSet<PathBuf> = HashSet::new();
        for path in paths {
            let absolute = absolute(path, &workspace.cwd);
            if path.is_dir() {
                asked_dirs.push(absolute);
            } else {
                asked_files.insert(absolute);
            }
        }
        if !asked_dirs.iter().any(|dir| workspace.root.starts_with(dir)) {
            let mut index = discover(
                workspace,
                std::slice::from_ref(&workspace.root),
                &asked_dirs,
            );
            select(&mut index.files, &[]);
            let known: HashSet<String> = errors.iter().map(ToString::to_string).collect();
            errors.extend(
                index
                    .errors
                    .into_iter()
                    .filter(|error| !known.contains(&error.to_string())),
            );
            let unasked = index.files.into_iter().filter(|file| {
                asked_files.is_empty()
                    || !asked_files.contains(&absolute(&file.path, &workspace.cwd))
            });
            files.extend(Target::all(unasked, false));
            notes.extend(index.notes);
        }
    }
    notes.sort();
    notes.dedup();
    timings.mark("discover");
    let mut outcome = run(files, errors, workspace, paths, baseline);
    outcome.notes = notes;
    outcome
}

/// A file to check, and whether its findings are reported (the file was
/// asked about) or it is only read for the rules across files.
struct Target {
    file: DiscoveredFile,
    reported: bool,
    /// Its text, when it is not read from disk (a [`Buffer`]).
    content: Option<Vec<u8>>,
}

impl Target {
    fn all(
        files: impl IntoIterator<Item = DiscoveredFile>,
        reported: bool,
    ) -> impl Iterator<Item = Target> {
        files.into_iter().map(move |file| Target {
            file,
            reported,
            content: None,
        })
    }
}

/// Checks `files` as one repository and keeps the findings of the files
/// reported on.
fn run(
    files: Vec<Target>,
    mut errors: Vec<RunError>,
    workspace: &Workspace,
    paths: &[PathBuf],
    baseline: Option<&Baseline>,
) -> Outcome {
    let mut timings = crate::timings::Timings::start();
    let config = &workspace.config;
    let site = config.site.value;
    // Only a baseline needs the names of the files reported on.
    let reported_names: HashSet<String> = if baseline.is_some() {
        files
            .iter()
            .filter(|target| target.reported)
            .map(|target| target.file.relative().to_owned())
            .collect()
    } else {
        HashSet::new()
    };
    let results: Vec<Result<CheckedFile, RunError>> = files
        .into_par_iter()
        .map(|target| {
            let meant = meant_as_definition(config, target.file.relative());
            check_file(target, meant, site)
        })
        .collect();
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
    let across: Vec<Vec<Finding>> = repository_rules()
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
    let coverage = Coverage {
        files: reported_names,
        whole_root: paths.iter().any(|path| workspace.holds_root(path)),
    };
    let Judged {
        mut findings,
        mut baselined,
    } = apply(
        config,
        &repository,
        &coverage,
        findings,
        comments,
        baseline,
        &workspace.root,
    );
    timings.mark("policy");
    only_reported(&mut findings);
    only_reported(&mut baselined);
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
        baselined,
        summary,
        errors,
        notes: Vec::new(),
        checkout_prefix: workspace.checkout_prefix.clone(),
    }
}

/// Whether the configuration's `include` says definitions live at
/// `relative`: it sets patterns, and the file matches them (and no
/// `exclude`).
fn meant_as_definition(config: &crate::config::Config, relative: &str) -> bool {
    !config.include.value.patterns.is_empty() && config.selects(relative)
}

/// Keeps the findings located in a file reported on (see
/// [`SourceFile::reported`]): the files asked about, and the files that are
/// not definitions (the baseline file, phonelint.toml), whose findings are
/// about the run itself. The rules saw the whole repository, so a cross-file
/// finding between an asked-about file and an untouched one is kept on the
/// asked-about side (each side of a cross-file finding is its own finding,
/// located in its own file, with the other side as related).
fn only_reported(findings: &mut Vec<Finding>) {
    findings.retain(|finding| finding.file.reported);
}

/// Checks one file's bytes in memory: every rule, those across the
/// repository included, as if the file were the whole repository, with
/// default settings and no policy stage. For property tests and fuzzing; the
/// binary reads files through [`check`].
pub fn check_bytes(name: &str, format: load::Format, bytes: &[u8]) -> Outcome {
    let discovered = DiscoveredFile {
        path: PathBuf::from(name),
        name: name.to_owned(),
        relative: None,
        format,
    };
    let CheckedFile {
        file, mut findings, ..
    } = check_loaded(
        discovered,
        Ok(bytes.to_vec()),
        true,
        false,
        SiteFacts::default(),
    );
    let mut repository = Repository::default();
    if file.document.is_definition {
        repository.files.push(file);
    }
    for rule in repository_rules() {
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
/// over [`MAX_FILE_SIZE`]: the type and size come from the metadata of the
/// opened file, before any byte is read.
fn read_definition(
    discovered: &DiscoveredFile,
) -> Result<Result<Vec<u8>, load::Problem>, RunError> {
    let why = match read_regular(&discovered.path, MAX_FILE_SIZE) {
        Ok(bytes) => return Ok(Ok(bytes)),
        Err(ReadError::TooLarge { size, limit }) => {
            return Ok(Err(load::Problem::TooLarge { size, limit }));
        }
        Err(ReadError::Link) => ReadFailure::NoLongerRegular,
        Err(ReadError::NotRegular) => ReadFailure::NotRegular,
        Err(ReadError::Io(error)) => ReadFailure::Io(error),
    };
    Err(RunError::Read {
        path: discovered.name.clone(),
        why,
    })
}

/// One file, loaded and checked on its own.
struct CheckedFile {
    file: LoadedFile,
    findings: Vec<Finding>,
    /// The keys of its records, for the repository's index.
    keys: Vec<RecordKeys>,
    /// Its suppression comments.
    comments: Vec<Comment>,
}

/// Reads (unless its text is given), loads and checks one file on its own.
fn check_file(
    target: Target,
    meant_as_definition: bool,
    site: SiteFacts,
) -> Result<CheckedFile, RunError> {
    let content = match target.content {
        Some(bytes) if bytes.len() as u64 > MAX_FILE_SIZE => Err(load::Problem::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_SIZE,
        }),
        Some(bytes) => Ok(bytes),
        None => read_definition(&target.file)?,
    };
    Ok(check_loaded(
        target.file,
        content,
        target.reported,
        meant_as_definition,
        site,
    ))
}

/// Reads and loads one definition file without judging it: its source, with
/// its credentials marked for masking, and every record whole. For commands
/// that compare a repository's records rather than check them (`drift`).
pub fn load_file(discovered: DiscoveredFile) -> Result<LoadedFile, RunError> {
    let content = read_definition(&discovered)?;
    let (source, document) = load_source(discovered, content, true);
    Ok(LoadedFile { source, document })
}

/// Decodes and loads one file's bytes; `content` is the problem instead when
/// the file was not read (too large). The source marks the credentials of
/// the document and of the text.
fn load_source(
    discovered: DiscoveredFile,
    content: Result<Vec<u8>, load::Problem>,
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
    let DiscoveredFile {
        path,
        name,
        relative,
        ..
    } = discovered;
    let source = Arc::new(
        SourceFile::new(path, name, text)
            .with_secrets(secrets)
            .with_relative(relative)
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
    discovered: DiscoveredFile,
    content: Result<Vec<u8>, load::Problem>,
    reported: bool,
    meant_as_definition: bool,
    site: SiteFacts,
) -> CheckedFile {
    let (source, mut document) = load_source(discovered, content, reported);
    let mut findings = Vec::new();
    let file_ctx = FileContext {
        file: &source,
        document: &document,
        meant_as_definition,
    };
    for rule in RULES {
        rule.check_file(&file_ctx, &mut findings);
    }
    if document.is_definition {
        for record in document.records.iter().filter(|record| !record.damaged) {
            let ctx = RecordContext::new(&source, record).with_site(site);
            for rule in record_rules() {
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
        let comments = comments_of(&source, &document);
        let keys = RecordKeys::of_file(&source, &document.records);
        crate::model::keep_cross_file_columns(&mut document);
        (keys, comments)
    } else {
        (Vec::new(), Vec::new())
    };
    CheckedFile {
        file: LoadedFile { source, document },
        findings,
        keys,
        comments,
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::model::Severity;
    use crate::source::Span;

    #[test]
    fn a_cross_file_finding_stays_on_the_side_asked_about() {
        let file = |name: &str, reported: bool| {
            Arc::new(
                SourceFile::new(name.into(), name.into(), "login = \"a\"\n".into())
                    .with_reported(reported),
            )
        };
        let (changed, untouched) = (file("changed.toml", true), file("untouched.toml", false));
        let span = Span::new(8, 11);
        // A duplicate reported once per record, each side pointing at the other.
        let on_changed = Finding::new("dup", Severity::Error, &changed, span, "dup").with_related(
            &untouched,
            span,
            "also here",
        );
        let on_untouched = Finding::new("dup", Severity::Error, &untouched, span, "dup")
            .with_related(&changed, span, "also here");
        let baseline = Arc::new(SourceFile::new(
            "phonelint-baseline.json".into(),
            "phonelint-baseline.json".into(),
            "[]".into(),
        ));
        let stale = Finding::new("stale", Severity::Info, &baseline, span, "stale");
        let mut findings = vec![on_untouched, on_changed, stale];
        only_reported(&mut findings);
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].file.name, "changed.toml");
        assert_eq!(findings[0].related[0].file.name, "untouched.toml");
        // Not a file of the repository: about the run, kept.
        assert_eq!(findings[1].file.name, "phonelint-baseline.json");
    }

    const PHONE: &str = "[[phones]]\nextension = \"cc100\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\nserver_ip = \"10.10.10.15\"\nlogin = \"cc100\"\npass = \"Rr8xkq2Lw\"\nconf_secret = \"Vb7mWq3Lp9\"\nstatus = \"ACTIVE\"\nactive = \"Y\"\nprotocol = \"SIP\"\n";

    /// A file gone between the walk and the read (also the read error that
    /// root, which mode 000 does not stop, can still meet).
    #[test]
    fn a_file_deleted_after_discovery_is_an_error_the_others_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("phonelint.toml"), "").unwrap();
        fs::write(root.join("gone.toml"), PHONE).unwrap();
        fs::write(
            root.join("stays.toml"),
            PHONE.replace("\"ACTIVE\"", "\"Admin\""),
        )
        .unwrap();
        let workspace = Workspace::new(root, None, &Default::default()).unwrap();
        let paths = [root.to_path_buf()];
        let discovered = discover(&workspace, &paths, &[]);
        let names: Vec<&str> = discovered.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["gone.toml", "phonelint.toml", "stays.toml"]);
        fs::remove_file(root.join("gone.toml")).unwrap();
        let outcome = check_discovered(&workspace, &paths, None, discovered, None);
        let errors: Vec<String> = outcome.errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("gone.toml: cannot read: "),
            "{errors:?}"
        );
        assert_eq!(outcome.findings.len(), 1);
        assert_eq!(outcome.findings[0].rule, "unknown-status");
        // stays.toml (phonelint.toml is read too, and is not a definition).
        assert_eq!(outcome.summary.files, 1);
    }
}
