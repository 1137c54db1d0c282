//! The check, one entry point: discover -> load -> rules, in parallel per
//! file (which also takes each file's index keys, suppression comments and
//! finding fields, then keeps of its records only what the rules across
//! files read), then the index and the rules across the repository, then
//! the project's policy (levels, suppressions, baseline), then the filter
//! that keeps what the user asked about. `PHONELINT_TIMINGS=1` times each
//! stage. [`check_bytes`] checks one file in memory, for fuzzers.

mod cached;
mod codec;
mod secrets;
mod spill;
mod stream;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{Cache, Seen, Stamp};
use crate::discover::{Discovered, DiscoveredFile, discover, named};
use crate::files::paths::{absolute, split_name};
use crate::files::read::{ByDirectory, MAX_FILE_SIZE, ReadError};
use crate::load::{self, Document};
use crate::model::{
    Finding, KeptFile, LoadedFile, Outcome, ReadFailure, RecordKeys, Repository, RunError,
    SiteFacts, Summary,
};
use crate::policy::baseline::Baseline;
use crate::policy::suppress::{Comment, comments_of};
use crate::policy::{Coverage, Policy, locate_fields};
use crate::rules::{FileContext, RULES, RecordContext, Related, record_rules, repository_rules};
use crate::source::{DocumentSecrets, SourceFile, file_key};
use crate::text::hash::{DigestKey, FnvBuild};
use crate::workspace::Workspace;
use secrets::secret_spans;
use spill::Spill;
use stream::{Across, Part, SetAside, Streamed};

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
    check_discovered(workspace, paths, baseline, targets, Run::collected()).collected()
}

/// [`check`] with its findings streamed (see [`Outcome::chunks`]): each
/// file's own findings wait set aside, and its text is let go, until they
/// are reported, so that the memory a check needs grows with what the rules
/// across files read, not with the findings or the text. For reporting: the
/// findings the baseline holds are not kept (see [`Outcome::baselined`]).
pub fn check_streamed(
    workspace: &Workspace,
    paths: &[PathBuf],
    baseline: Option<&Baseline>,
) -> Outcome {
    let mut timings = crate::timings::Timings::start();
    let targets = discover(workspace, paths, &[]);
    timings.mark("discover");
    check_discovered(workspace, paths, baseline, targets, Run::streamed())
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
    let run = Run {
        buffer: Some(buffer.bytes),
        ..Run::collected()
    };
    check_discovered(workspace, &paths, baseline, targets, run).collected()
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
    mut run: Run,
) -> Outcome {
    let mut timings = crate::timings::Timings::start();
    let config = &workspace.config;
    let select = |files: &mut Vec<DiscoveredFile>, asked: &[PathBuf]| {
        // A file named explicitly is always read. Only a file of the name of
        // one asked about may be it: names are compared first, which spares
        // comparing paths component by component.
        let names: Vec<Option<&std::ffi::OsStr>> = asked.iter().map(|p| p.file_name()).collect();
        files.retain(|file| {
            let named = split_name(&file.path).is_none_or(|(_, name)| names.contains(&Some(name)));
            (named && asked.contains(&file.path)) || config.selects(file.relative())
        });
    };
    select(&mut targets.files, paths);
    let mut errors = targets.errors;
    let mut notes = targets.notes;
    let mut files: Vec<Target> = Target::all(targets.files, true).collect();
    if let (Some(bytes), Some(asked)) = (run.buffer.take(), files.first_mut()) {
        asked.content = Some(bytes);
    }
    // The cache, when opened while the repository is walked.
    let mut opened: Option<Result<Cache, String>> = None;
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
            // A run that walks the repository beside what it asks about
            // mostly reads files it does not judge (see below): their cache
            // is opened meanwhile, on another core.
            let speculate = workspace.config.allow.is_empty();
            let mut index = std::thread::scope(|scope| {
                let opening = (workspace.cache.as_deref())
                    .filter(|_| speculate)
                    .map(|dir| scope.spawn(|| Cache::open(dir, &workspace.root)));
                let index = discover(
                    workspace,
                    std::slice::from_ref(&workspace.root),
                    &asked_dirs,
                );
                opened = opening.map(|opening| {
                    opening
                        .join()
                        .unwrap_or_else(|_| Err("opening it failed".to_owned()))
                });
                index
            });
            select(&mut index.files, &[]);
            let known: HashSet<String> = errors.iter().map(ToString::to_string).collect();
            errors.extend(
                index
                    .errors
                    .into_iter()
                    .filter(|error| !known.contains(&error.to_string())),
            );
            // Only a file of the name of one asked about may be it: the
            // others are not made absolute to tell.
            let asked_names: HashSet<&std::ffi::OsStr, FnvBuild> = asked_files
                .iter()
                .filter_map(|path| path.file_name())
                .collect();
            files.reserve(index.files.len());
            let unasked = index.files.into_iter().filter(|file| {
                split_name(&file.path)
                    .is_none_or(|(_, name)| asked_names.contains(name))
                    .then(|| absolute(&file.path, &workspace.cwd))
                    .is_none_or(|path| !asked_files.contains(&path))
            });
            files.extend(Target::all(unasked, false));
            notes.extend(index.notes);
            // After "discover", the paths asked about (marked by the caller).
            timings.mark("walk the repository");
        }
    }
    notes.sort();
    notes.dedup();
    // The cache serves the files read only for the rules across files: a
    // run that judges every file (the whole root, or [[allow]] entries that
    // any file may use up) reads them all, and neither reads nor writes it.
    let judges_all = !workspace.config.allow.is_empty();
    let unjudged = !judges_all && files.iter().any(|target| !target.reported);
    let cache = (workspace.cache.as_deref())
        .filter(|_| unjudged)
        .and_then(
            |dir| match opened.unwrap_or_else(|| Cache::open(dir, &workspace.root)) {
                Ok(cache) => Some(cache),
                Err(why) => {
                    crate::timings::note(&format!("no cache: {why}"));
                    None
                }
            },
        );
    timings.mark("open the cache");
    let mut outcome = check_targets(
        files,
        errors,
        workspace,
        paths,
        baseline,
        &run,
        cache.as_ref(),
    );
    outcome.notes = notes;
    outcome
}

/// How many files the per-file stage checks before it gathers what they
/// gave back.
const FILES_AT_ONCE: usize = 4096;

/// How many findings of a rule across files are encoded in one piece: a
/// rule with a hundred thousand findings is encoded on every core, not
/// only on the one that ran it.
const ENCODED_AT_ONCE: usize = 4096;

/// How a check keeps what it found.
#[derive(Debug)]
struct Run {
    /// Encoded findings held in memory before they spill to a temporary file.
    budget: usize,
    /// Keep the findings the baseline holds, for `--fix` and `--diff`.
    keep_baselined: bool,
    /// The text of the one file asked about, when it is not read from disk.
    buffer: Option<Vec<u8>>,
}

impl Run {
    fn streamed() -> Self {
        Self {
            budget: spill::DEFAULT_BUDGET,
            keep_baselined: false,
            buffer: None,
        }
    }

    fn collected() -> Self {
        Self {
            keep_baselined: true,
            ..Self::streamed()
        }
    }
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
/// reported on, streamed (see [`Streamed`]); each file's own findings wait
/// in a spill that keeps up to `budget` bytes in memory. A file not judged
/// is taken from the `cache` when it has it as it is, and the cache is
/// written again when this run read what it did not have.
fn check_targets(
    files: Vec<Target>,
    mut errors: Vec<RunError>,
    workspace: &Workspace,
    paths: &[PathBuf],
    baseline: Option<&Baseline>,
    run: &Run,
    cache: Option<&Cache>,
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
    let policy = Policy::new(config, baseline, run.keep_baselined);
    let spill = Spill::new(run.budget);
    // A file not reported on is judged by its own rules only when an
    // [[allow]] entry may be used up by one of its findings; otherwise they
    // would all be dropped.
    let judge_all = !config.allow.is_empty();
    // One key for the digests of every file's credentials: the cache's,
    // whose entries hold them.
    let key = cache.map_or_else(DigestKey::default, |cache| *cache.key());
    // Each file's own findings are judged, those of files not reported on
    // dropped and the rest set aside, and its text let go, as the file is
    // checked.
    let check_one = |target: Target,
                     directories: &mut ByDirectory|
     -> Result<(SetDown, Option<Seen>), RunError> {
        let judged = target.reported || judge_all;
        let meant = meant_as_definition(config, target.file.relative());
        let relative = cache.map(|_| target.file.relative().to_owned());
        let mut checked = check_file(target, judged, meant, site, &key, directories)?;
        let seen = match (cache, checked.stamp, relative) {
            (Some(cache), Some(stamp), Some(relative)) if checked.text_read => cached::entry(
                cache,
                &relative,
                stamp,
                &checked.source,
                checked.kept.as_ref(),
                &checked.keys,
            ),
            _ => None,
        };
        let baselined = policy.judge(&mut checked.findings, &checked.comments);
        only_reported(&mut checked.findings);
        Ok((set_down(checked, baselined, &spill), seen))
    };

    let mut kept = Vec::new();
    let mut keys = Vec::new();
    let mut comments = Vec::new();
    let mut set_aside = Vec::new();
    let mut held = Vec::new();
    let mut baselined = Vec::new();
    let mut summary = Summary::default();
    kept.reserve_exact(files.len());
    keys.reserve_exact(files.len());
    let mut seen = Vec::with_capacity(if cache.is_some() { files.len() } else { 0 });
    // Where each kept file is in the order of discovery (the repository's
    // order: rules pick "the first phone with a login"), and which of them
    // are reported on.
    let mut kept_at: Vec<usize> = Vec::with_capacity(files.len());
    let mut reported_kept: Vec<usize> = Vec::new();
    // Files not judged that the cache has: only the keys of their records
    // read yet, with their places.
    let mut cached_entries: Vec<(usize, Box<cached::Entry<'_>>)> = Vec::new();
    // A batch of files at a time: what the check of a file gives back is a
    // few hundred bytes, most of it empty lists, which a hundred thousand
    // files would hold all at once.
    let mut files = files.into_iter().enumerate();
    loop {
        let batch: Vec<(usize, Target)> = files.by_ref().take(FILES_AT_ONCE).collect();
        if batch.is_empty() {
            break;
        }
        let results: Vec<(usize, Result<PerFile<'_>, RunError>)> = batch
            .into_par_iter()
            .map_init(ByDirectory::default, |directories, (position, target)| {
                let judged = target.reported || judge_all;
                let on_disk = target.content.is_none();
                let reported = target.reported;
                let mut target = target;
                if let Some(cache) = cache.filter(|_| !judged && on_disk) {
                    match cached::lookup(cache, target.file, directories) {
                        Ok(entry) => return (position, Ok(PerFile::Cached(Box::new(entry)))),
                        Err(file) => target.file = file,
                    }
                }
                let done = check_one(target, directories).map(|(down, seen)| PerFile::Done {
                    down: Box::new(down),
                    seen,
                    reported,
                });
                (position, done)
            })
            .collect();
        for (position, result) in results {
            match result {
                Ok(PerFile::Cached(entry)) => cached_entries.push((position, entry)),
                Ok(PerFile::Unread(seen_here)) => seen.push(seen_here),
                Ok(PerFile::Done {
                    down,
                    seen: seen_here,
                    reported,
                }) => {
                    seen.extend(seen_here);
                    summary.add_findings(down.counts);
                    set_aside.extend(down.set_aside);
                    held.extend(down.held);
                    baselined.extend(down.baselined);
                    if let Some(file) = down.kept {
                        if reported {
                            reported_kept.push(kept.len());
                        }
                        kept.push(file);
                        keys.push(down.keys);
                        kept_at.push(position);
                        comments.extend(down.comments);
                    }
                }
                Err(error) => errors.push(error),
            }
        }
    }
    drop(files);
    timings.mark("per file");
    if cache.is_some() {
        // Of the files the cache has, only those whose records the rules
        // across files may read to judge the files reported on are read
        // further, and put back in their places.
        let related = Related::new(
            reported_kept
                .iter()
                .filter_map(|at| keys.get(*at))
                .map(Vec::as_slice),
            (keys.iter().map(Vec::as_slice)).chain(
                cached_entries
                    .iter()
                    .map(|(_, entry)| entry.keys.as_slice()),
            ),
            site,
        );
        let read: Vec<(usize, Result<PerFile<'_>, RunError>)> = cached_entries
            .into_par_iter()
            .map(|(position, entry)| {
                if !related.needs(&entry.keys) {
                    return (position, Ok(PerFile::Unread(entry.unread())));
                }
                let read = match entry.read() {
                    Ok(found) => Ok((SetDown::kept(found.kept, found.keys), Some(found.seen))),
                    Err(file) => check_one(
                        Target {
                            file,
                            reported: false,
                            content: None,
                        },
                        &mut ByDirectory::default(),
                    ),
                };
                let done = read.map(|(down, seen)| PerFile::Done {
                    down: Box::new(down),
                    seen,
                    reported: false,
                });
                (position, done)
            })
            .collect();
        let mut unread = 0;
        let mut found: Vec<(usize, KeptFile, Vec<RecordKeys>)> = Vec::new();
        for (position, result) in read {
            match result {
                Ok(PerFile::Unread(seen_here)) => {
                    unread += 1;
                    seen.push(seen_here);
                }
                Ok(PerFile::Done {
                    down,
                    seen: seen_here,
                    ..
                }) => {
                    seen.extend(seen_here);
                    summary.add_findings(down.counts);
                    if let Some(file) = down.kept {
                        found.push((position, file, down.keys));
                    }
                }
                Ok(PerFile::Cached(_)) => {}
                Err(error) => errors.push(error),
            }
        }
        if !found.is_empty() {
            (kept, keys) = in_order(kept, keys, &kept_at, found);
        }
        crate::timings::note(&format!(
            "related: the records of {unread} files from the cache not needed"
        ));
        timings.mark("related entries");
    }
    drop(kept_at);
    if let Some(cache) = cache {
        save(cache, seen);
        timings.mark("write the cache");
    }
    let repository = Repository::new(kept, keys).with_site(site);
    timings.mark("index");
    // The rules across files share the index; each rule is a task of its
    // own (rayon's halves of the list would leave the heaviest rules to one
    // core while the other waits), its findings located, judged (policy
    // before the filter: a suppression in a file not reported on may still
    // cover a finding there, and its own findings are filtered away) and
    // encoded as it ends, a piece at a time on any core.
    let positions: HashMap<usize, u32, FnvBuild> = (repository.files.iter().enumerate())
        .map(|(position, file)| {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            (file_key(&file.source), position)
        })
        .collect();
    let (parts, baselined_across): (Vec<Vec<Part>>, Vec<Vec<Finding>>) = repository_rules()
        .par_iter()
        .with_max_len(1)
        .map(|rule| {
            let mut out = Vec::new();
            rule.check_repository(&repository, &mut out);
            locate_fields(&repository, &positions, &mut out);
            let mut baselined = policy.judge(&mut out, &comments);
            only_reported(&mut out);
            only_reported(&mut baselined);
            let parts = (out.into_par_iter().chunks(ENCODED_AT_ONCE))
                .map(|findings| Across::part(findings, &positions))
                .collect();
            (parts, baselined)
        })
        .collect();
    let mut parts: Vec<Part> = parts.into_iter().flatten().collect();
    let mut across = Across::new(
        (repository.files.iter())
            .map(|file| Arc::clone(&file.source))
            .collect(),
    );
    for part in &mut parts {
        summary.add_findings(part.counts);
        held.append(&mut part.whole);
    }
    baselined.extend(baselined_across.into_iter().flatten());
    across.extend(parts);
    timings.mark("across files");
    let coverage = Coverage {
        files: reported_names,
        whole_root: paths.iter().any(|path| workspace.holds_root(path)),
    };
    let (reports, mut baselined_reports) =
        policy.finish(&repository, &coverage, &comments, &workspace.root);
    held.extend(reports);
    only_reported(&mut held);
    only_reported(&mut baselined_reports);
    baselined.extend(baselined_reports);
    timings.mark("policy");
    held.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary.count(&held);
    for file in repository.files.iter().filter(|file| file.source.reported) {
        summary.files += 1;
        summary.records += file.records().len();
    }
    timings.mark("filter and sort");
    // Freeing every file's small allocations, on all cores: done before the
    // report is written, so that it can reuse the memory (and the cores).
    // The allocator keeps the pages for it: the report's own memory (the
    // texts read back) comes out of them.
    drop(comments);
    repository.files.into_par_iter().for_each(drop);
    timings.mark("free");
    let stream = Streamed::new(set_aside, across, held, spill);
    timings.mark("read back");
    Outcome {
        findings: Vec::new(),
        stream: Some(Box::new(stream)),
        baselined,
        summary,
        errors,
        notes: Vec::new(),
        checkout_prefix: workspace.checkout_prefix.clone(),
    }
}

/// Writes the cache of the files this run saw, if it changed; says what it
/// did when stages are timed.
fn save(cache: &Cache, seen: Vec<Seen>) {
    let count = |which: fn(&Seen) -> bool| seen.iter().filter(|seen| which(seen)).count();
    let used = count(|seen| matches!(seen, Seen::Used(_)));
    let fresh = count(|seen| matches!(seen, Seen::Read(_)));
    let written = match cache.save(seen) {
        Ok(true) => "written again".to_owned(),
        Ok(false) => "unchanged".to_owned(),
        Err(why) => format!("not written: {why}"),
    };
    crate::timings::note(&format!(
        "cache: {} entries; {used} files from the cache, {fresh} new entries; {written}",
        cache.len()
    ));
}

/// One file after the stage of each file on its own. Small, its parts
/// boxed: a run gathers one of these a file, twice, and a one-file run of a
/// large repository spends more time moving them than using them.
enum PerFile<'c> {
    /// Checked (or taken from the cache whole): what is kept of it, and its
    /// entry in the cache; whether it is reported on.
    Done {
        down: Box<SetDown>,
        seen: Option<Seen>,
        reported: bool,
    },
    /// Not judged, and in the cache: only the keys of its records read yet.
    Cached(Box<cached::Entry<'c>>),
    /// Not judged, and in the cache, and not needed: its entry is kept.
    Unread(Seen),
}

/// The files checked and those read from the cache after them, in the order
/// of discovery: `kept_at` gives the place of each of `kept` (and `keys`),
/// `found` its own, both in that order already.
fn in_order(
    kept: Vec<KeptFile>,
    keys: Vec<Vec<RecordKeys>>,
    kept_at: &[usize],
    found: Vec<(usize, KeptFile, Vec<RecordKeys>)>,
) -> (Vec<KeptFile>, Vec<Vec<RecordKeys>>) {
    let total = kept.len() + found.len();
    let (mut all_kept, mut all_keys) = (Vec::with_capacity(total), Vec::with_capacity(total));
    let mut checked = kept_at.iter().zip(kept.into_iter().zip(keys)).peekable();
    for (position, file, file_keys) in found {
        while let Some((_, (earlier, earlier_keys))) = checked.next_if(|(at, _)| **at < position) {
            all_kept.push(earlier);
            all_keys.push(earlier_keys);
        }
        all_kept.push(file);
        all_keys.push(file_keys);
    }
    for (_, (file, file_keys)) in checked {
        all_kept.push(file);
        all_keys.push(file_keys);
    }
    (all_kept, all_keys)
}

/// What the check keeps of one file once its own findings are set aside.
struct SetDown {
    kept: Option<KeptFile>,
    keys: Vec<RecordKeys>,
    comments: Vec<Comment>,
    /// Its own findings, encoded in the spill.
    set_aside: Option<SetAside>,
    /// Its own findings that could not be set aside.
    held: Vec<Finding>,
    /// Its own findings, counted.
    counts: Summary,
    /// Its own findings the baseline holds, when they are kept.
    baselined: Vec<Finding>,
}

impl SetDown {
    /// A file not judged: only what the rules across files read of it.
    fn kept(kept: Option<KeptFile>, keys: Vec<RecordKeys>) -> Self {
        SetDown {
            kept,
            keys,
            comments: Vec::new(),
            set_aside: None,
            held: Vec::new(),
            counts: Summary::default(),
            baselined: Vec::new(),
        }
    }
}

/// Sets a checked file's own findings (judged, sorted here) aside in
/// `spill`, and lets go of its text: what stays refers to a copy of the file
/// without it, read again when a finding in it is shown. A text that did not
/// come whole from the file (not UTF-8, binary) is held.
fn set_down(checked: CheckedFile, mut baselined: Vec<Finding>, spill: &Spill) -> SetDown {
    let CheckedFile {
        source,
        kept,
        mut findings,
        keys,
        comments,
        text_read,
        ..
    } = checked;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    only_reported(&mut baselined);
    let mut counts = Summary::default();
    counts.count(&findings);
    let count = findings.len();
    let mut encoded = codec::Encoded::with_room(count);
    let mut held = codec::encode_own(&source, findings, &mut encoded);
    let bytes = encoded.bytes;
    let released = if text_read && held.is_empty() {
        Arc::new(source.released())
    } else {
        Arc::clone(&source)
    };
    let set_aside = if bytes.is_empty() {
        None
    } else {
        match spill.put(&bytes) {
            Ok(piece) => Some(SetAside {
                file: Arc::clone(&released),
                piece,
                count: count - held.len(),
            }),
            // Nowhere to set them aside: held whole.
            Err(_) => {
                held = codec::decode_all(&source, &bytes, count - held.len()).unwrap_or_default();
                None
            }
        }
    };
    let kept = kept.map(|mut kept| {
        kept.source = Arc::clone(&released);
        kept
    });
    let comments = (comments.into_iter())
        .map(|comment| comment.in_file(&released))
        .collect();
    SetDown {
        kept,
        keys,
        comments,
        set_aside,
        held,
        counts,
        baselined,
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
        kept,
        mut findings,
        keys,
        ..
    } = check_loaded(
        discovered,
        Ok(bytes.to_vec()),
        Judging {
            reported: true,
            judged: true,
            from_disk: false,
            meant_as_definition: false,
            site: SiteFacts::default(),
            key: &DigestKey::default(),
        },
    );
    let repository = Repository::new(kept.into_iter().collect(), vec![keys]);
    for rule in repository_rules() {
        rule.check_repository(&repository, &mut findings);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let files = repository.files.iter().map(|file| file.records().len());
    let summary = Summary::of(files, &findings);
    Outcome {
        findings,
        summary,
        ..Outcome::default()
    }
}

/// What was read of a definition file: its bytes and its stamp as it was
/// opened, or the problem that kept it from being read.
type Read = Result<(Vec<u8>, Option<Stamp>), load::Problem>;

/// Reads a definition file, refusing what is not a regular file and what is
/// over [`MAX_FILE_SIZE`]: the type and size come from the metadata of the
/// opened file, before any byte is read.
fn read_definition(
    discovered: &DiscoveredFile,
    directories: &mut ByDirectory,
) -> Result<Read, RunError> {
    let why = match directories.read_regular_with_metadata(&discovered.path, MAX_FILE_SIZE) {
        Ok((bytes, meta)) => return Ok(Ok((bytes, Stamp::of(&meta)))),
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
    source: Arc<SourceFile>,
    /// Its text is what was read from it, UTF-8 as it was (not a lossy or
    /// empty stand-in): it can be read back.
    text_read: bool,
    /// What the rules across files read of it, when it is a definition.
    kept: Option<KeptFile>,
    findings: Vec<Finding>,
    /// The keys of its records, for the repository's index.
    keys: Vec<RecordKeys>,
    /// Its suppression comments.
    comments: Vec<Comment>,
    /// Its stamp when it was read from disk.
    stamp: Option<Stamp>,
}

/// How a file is judged, and its credentials kept.
#[derive(Clone, Copy)]
struct Judging<'k> {
    reported: bool,
    judged: bool,
    /// The text is the file's on disk, which can be read again.
    from_disk: bool,
    meant_as_definition: bool,
    site: SiteFacts,
    key: &'k DigestKey,
}

/// Reads (unless its text is given), loads and checks one file on its own.
fn check_file(
    target: Target,
    judged: bool,
    meant_as_definition: bool,
    site: SiteFacts,
    key: &DigestKey,
    directories: &mut ByDirectory,
) -> Result<CheckedFile, RunError> {
    let from_disk = target.content.is_none();
    let mut stamp = None;
    let content = match target.content {
        Some(bytes) if bytes.len() as u64 > MAX_FILE_SIZE => Err(load::Problem::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_SIZE,
        }),
        Some(bytes) => Ok(bytes),
        None => read_definition(&target.file, directories)?.map(|(bytes, read)| {
            stamp = read;
            bytes
        }),
    };
    let judging = Judging {
        reported: target.reported,
        judged,
        from_disk,
        meant_as_definition,
        site,
        key,
    };
    let mut checked = check_loaded(target.file, content, judging);
    // A text not read from disk cannot be read back from it.
    checked.text_read &= from_disk;
    checked.stamp = stamp;
    Ok(checked)
}

/// Reads and loads one definition file without judging it: its source, with
/// its credentials marked for masking, and every record whole. For commands
/// that compare a repository's records rather than check them (`drift`).
pub fn load_file(discovered: DiscoveredFile) -> Result<LoadedFile, RunError> {
    let content =
        read_definition(&discovered, &mut ByDirectory::default())?.map(|(bytes, _)| bytes);
    let (source, document, _) = load_source(discovered, content, true, true);
    Ok(LoadedFile { source, document })
}

/// Decodes and loads one file's bytes; `content` is the problem instead when
/// the file was not read (too large). The source marks the credentials of
/// the document and of the text, unless `secrets` is false and the text is
/// the file's bytes as they were (see [`secrets::find_secrets`]). Also whether it is
/// (not a lossy or empty stand-in).
fn load_source(
    discovered: DiscoveredFile,
    content: Result<Vec<u8>, load::Problem>,
    reported: bool,
    secrets: bool,
) -> (Arc<SourceFile>, Document, bool) {
    let decoded = content
        .map_err(|problem| (problem, Vec::new()))
        .and_then(load::decode_owned);
    let (text, document, text_read) = match decoded {
        Ok(text) => {
            let document = load::load_str(&text, discovered.format);
            (text, document, true)
        }
        // Keep what can be shown of the text for the snippet.
        Err((problem @ load::Problem::NotUtf8 { .. }, bytes)) => (
            String::from_utf8_lossy(&bytes).into_owned(),
            Document::from_problem(problem),
            false,
        ),
        // Binary is not shown (nor a file too large to be read).
        Err((problem, _)) => (String::new(), Document::from_problem(problem), false),
    };
    let secrets = (secrets || !text_read).then(|| secret_spans(&document, &text));
    let DiscoveredFile {
        path,
        name,
        relative,
        ..
    } = discovered;
    let source = SourceFile::new(path, name, text);
    let source = match secrets {
        Some(secrets) => source.with_secrets(secrets),
        None => {
            let mut kept = DocumentSecrets::default();
            crate::model::each_secret_span(&document, |span| kept.push(span));
            source.with_secrets_unknown().with_document_secrets(kept)
        }
    };
    let source = Arc::new(
        source
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
    (source, document, text_read)
}

/// Loads and checks one file's bytes on their own; `content` is the
/// problem instead when the file was not read (too large).
///
/// A file not `judged` is only read for the rules across files: its own
/// rules do not run, nor are its suppression comments or its secrets looked
/// for (its findings would all be dropped; a finding across files that
/// shows it finds its secrets when it is read back). Nor are the secrets of
/// a judged file read from disk that has neither findings nor suppression
/// comments (the policy could add findings only on those): it is read back
/// like one not judged if a finding across files shows it.
fn check_loaded(
    discovered: DiscoveredFile,
    content: Result<Vec<u8>, load::Problem>,
    judging: Judging<'_>,
) -> CheckedFile {
    let Judging {
        reported,
        judged,
        from_disk,
        meant_as_definition,
        site,
        key,
    } = judging;
    let (source, document, text_read) =
        load_source(discovered, content, reported, judged && !from_disk);
    let mut findings = Vec::new();
    let file_ctx = FileContext {
        file: &source,
        document: &document,
        meant_as_definition,
    };
    for rule in RULES.iter().filter(|_| judged) {
        rule.check_file(&file_ctx, &mut findings);
    }
    if judged && document.is_definition {
        for record in document.records.iter().filter(|record| !record.damaged) {
            let ctx = RecordContext::new(&source, record).with_site(site);
            for rule in record_rules() {
                rule.check_record(&ctx, &mut findings);
            }
        }
    }
    let comments = if judged && document.is_definition {
        comments_of(&source, &document)
    } else {
        Vec::new()
    };
    if judged && (!findings.is_empty() || !comments.is_empty()) {
        source.know_secrets(secret_spans(&document, &source.text));
    }
    if !document.is_definition {
        return CheckedFile {
            source,
            text_read,
            kept: None,
            findings,
            keys: Vec::new(),
            comments,
            stamp: None,
        };
    }
    // What the stages after this one need of the whole document, taken now:
    // the fields findings are on, the suppression comments, the keys of the
    // index and the columns the rules across files read.
    if findings.iter().any(|f| f.field.is_none()) {
        let fields = crate::model::FieldIndex::new(&document);
        for finding in findings.iter_mut().filter(|f| f.field.is_none()) {
            finding.field = fields.field_at(finding.span);
        }
    }
    let kept = KeptFile::with_key(Arc::clone(&source), &document, key);
    let keys = RecordKeys::of_file(&source, &document.records);
    document.recycle();
    CheckedFile {
        kept: Some(kept),
        comments,
        keys,
        findings,
        source,
        text_read,
        stamp: None,
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
        let run = Run {
            budget: 0,
            ..Run::collected()
        };
        let outcome = check_discovered(&workspace, &paths, None, discovered, run).collected();
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

    /// A checked repository of `phones` files (each a phone, every other one
    /// with findings, pairs of them clashing across files) and a servers file.
    fn repository(phones: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("phonelint.toml"), "").unwrap();
        fs::write(
            root.join("servers.toml"),
            "[[servers]]\nserver_id = \"s1\"\nserver_ip = \"10.10.10.15\"\nactive = \"N\"\n",
        )
        .unwrap();
        for n in 0..phones {
            let phone = PHONE.replace("cc100", &format!("cc{}", n / 2)).replace(
                "\"ACTIVE\"",
                if n % 2 == 0 {
                    "\"Admin\""
                } else {
                    "\"ACTIVE\""
                },
            );
            fs::write(root.join(format!("p{n:03}.toml")), phone).unwrap();
        }
        dir
    }

    /// Every finding of `outcome`, as the chunks give them, in order.
    fn listed(outcome: &Outcome) -> Vec<String> {
        let mut listed = Vec::new();
        outcome
            .chunks(&mut |chunk| {
                listed.extend(chunk.iter().map(|finding| format!("{finding:?}")));
                Ok(())
            })
            .unwrap();
        listed
    }

    /// Findings set aside on disk and read back come out as they went in,
    /// as do those set aside in memory and those collected whole.
    #[test]
    fn findings_spilled_to_disk_come_back_as_they_went() {
        let dir = repository(40);
        let root = dir.path();
        let workspace = Workspace::new(root, None, &Default::default()).unwrap();
        let paths = [root.to_path_buf()];
        let run = |budget: usize| {
            let discovered = discover(&workspace, &paths, &[]);
            let run = Run {
                budget,
                ..Run::streamed()
            };
            check_discovered(&workspace, &paths, None, discovered, run)
        };
        let (on_disk, in_memory) = (run(0), run(usize::MAX));
        let collected = run(0).collected();
        assert!(collected.findings.len() > 40, "{:?}", collected.findings);
        assert!(collected.errors.is_empty());
        let listed_on_disk = listed(&on_disk);
        assert_eq!(listed_on_disk, listed(&in_memory));
        assert_eq!(listed_on_disk, listed(&collected));
        // Read twice, the same.
        assert_eq!(listed_on_disk, listed(&on_disk));
        assert!(on_disk.take_stream_errors().is_empty());
    }

    /// A file that changes between the check and the report: its findings
    /// are not shown (they may not fit it now), and that is an error.
    #[test]
    fn a_file_changed_before_its_findings_are_shown_is_an_error() {
        let dir = repository(4);
        let root = dir.path();
        let workspace = Workspace::new(root, None, &Default::default()).unwrap();
        let paths = [root.to_path_buf()];
        // A phone that clashes with no other: only its own findings show it.
        let lonely = PHONE
            .replace("cc100", "lonely")
            .replace("8300", "8399")
            .replace("\"ACTIVE\"", "\"Admin\"");
        fs::write(root.join("lonely.toml"), &lonely).unwrap();
        let outcome = check_streamed(&workspace, &paths, None);
        let files = |outcome: &Outcome| {
            let mut files = Vec::new();
            outcome
                .chunks(&mut |chunk| {
                    files.extend(chunk.iter().map(|finding| finding.file.name.clone()));
                    Ok(())
                })
                .unwrap();
            files
        };
        assert!(files(&outcome).iter().any(|name| name == "lonely.toml"));
        fs::write(root.join("lonely.toml"), lonely.replace("lonely", "l")).unwrap();
        let shown = files(&outcome);
        assert!(!shown.iter().any(|name| name == "lonely.toml"), "{shown:?}");
        assert!(shown.iter().any(|name| name == "p002.toml"), "{shown:?}");
        let errors: Vec<String> = outcome
            .take_stream_errors()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("lonely.toml: changed while"),
            "{errors:?}"
        );
    }

    /// A repository of six phones checked once for its first phone, with a
    /// cache that the second check wrote.
    struct Cached {
        dir: tempfile::TempDir,
        cache_dir: tempfile::TempDir,
        workspace: Workspace,
        paths: [PathBuf; 1],
        /// The findings without the cache.
        uncached: Vec<String>,
    }

    fn cached_once() -> Cached {
        let dir = repository(6);
        let root = dir.path();
        let cache_dir = tempfile::tempdir().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150));
        let mut workspace = Workspace::new(root, None, &Default::default()).unwrap();
        let paths = [root.join("p000.toml")];
        let uncached = listed(&check(&workspace, &paths, None));
        workspace.cache = Some(cache_dir.path().to_path_buf());
        assert_eq!(listed(&check(&workspace, &paths, None)), uncached);
        Cached {
            dir,
            cache_dir,
            workspace,
            paths,
            uncached,
        }
    }

    /// An entry the cache holds for a file as it is, but whose bytes this
    /// build did not write (or no longer reads): the file is read instead,
    /// and the outcome is the same.
    #[test]
    fn an_entry_that_cannot_be_read_is_a_file_read() {
        let mut run = cached_once();
        let (root, paths) = (run.dir.path().to_path_buf(), run.paths.clone());
        let root = root.as_path();
        assert!(Cache::open(run.cache_dir.path(), root).unwrap().len() > 6);
        // A cache of these entries alone (saved over a cache that has the
        // files, the entries it has would be kept).
        let junk_dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(junk_dir.path(), root).unwrap();
        assert!(cache.is_empty());
        let stamp = |name: &str| Stamp::of(&fs::metadata(root.join(name)).unwrap()).unwrap();
        let junk = |name: &str, head: &[u8], records: &[u8]| {
            Seen::Read(Box::new(crate::cache::Fresh {
                relative: name.into(),
                stamp: stamp(name),
                head: head.to_vec(),
                records: records.to_vec(),
            }))
        };
        let seen = vec![
            junk("p001.toml", b"junk", b""),
            junk("p002.toml", &[1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9], b""),
            junk("p003.toml", &[0], b""),
            // No definition, and yet more bytes.
            junk("p004.toml", &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7], b""),
        ];
        assert!(cache.save(seen).unwrap());
        assert_eq!(Cache::open(junk_dir.path(), root).unwrap().len(), 4);
        run.workspace.cache = Some(junk_dir.path().to_path_buf());
        assert_eq!(listed(&check(&run.workspace, &paths, None)), run.uncached);
    }

    /// The records of an entry damaged in the cache file (its head intact):
    /// the file is read instead, and its entry written again.
    #[test]
    fn an_entry_whose_records_are_damaged_is_a_file_read_and_written_again() {
        let run = cached_once();
        let (root, paths, workspace) = (run.dir.path(), &run.paths, &run.workspace);
        let servers = Stamp::of(&fs::metadata(root.join("servers.toml")).unwrap()).unwrap();
        let cache = Cache::open(run.cache_dir.path(), root).unwrap();
        let (number, _) = cache.lookup("servers.toml", &servers).unwrap();
        assert!(cache.records(number).is_some());
        // The records of the last entry (by name: servers.toml, whose
        // records the rules across files always need) end the file.
        let file = (fs::read_dir(run.cache_dir.path()).unwrap())
            .map(|entry| entry.unwrap().path())
            .find(|path| path.extension().is_some_and(|e| e == "cache"))
            .unwrap();
        let mut bytes = fs::read(&file).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&file, &bytes).unwrap();
        let cache = Cache::open(run.cache_dir.path(), root).unwrap();
        let (number, _) = cache.lookup("servers.toml", &servers).unwrap();
        assert!(cache.records(number).is_none());
        assert_eq!(listed(&check(workspace, paths, None)), run.uncached);
        let cache = Cache::open(run.cache_dir.path(), root).unwrap();
        let (number, _) = cache.lookup("servers.toml", &servers).unwrap();
        assert!(cache.records(number).is_some());
        assert_eq!(listed(&check(workspace, paths, None)), run.uncached);
    }

    /// A file read only for the rules across files is not judged and its
    /// secrets are not looked for; when a finding shows it, they are found
    /// as the file is read back: the same as when it is asked about.
    #[test]
    fn a_file_not_asked_about_finds_its_secrets_when_a_finding_shows_it() {
        let dir = repository(4);
        let root = dir.path();
        let workspace = Workspace::new(root, None, &Default::default()).unwrap();
        let related_secrets = |paths: &[PathBuf]| {
            let outcome = check(&workspace, paths, None);
            let finding = outcome
                .findings
                .iter()
                .find(|finding| finding.rule == "duplicate-login")
                .unwrap();
            let related = finding
                .related
                .iter()
                .find(|related| related.file.name == "p001.toml")
                .unwrap();
            assert!(related.file.secrets_known());
            (related.file.secrets().to_vec(), outcome.findings.len())
        };
        let (asked, all) = related_secrets(&[root.join("p000.toml")]);
        let (whole, _) = related_secrets(&[root.to_path_buf()]);
        assert!(!asked.is_empty());
        assert_eq!(asked, whole);
        // Only p000.toml's findings: p001.toml's own were not looked for.
        assert!(all > 1);
    }

    /// A judged file with nothing of its own to show does not look for its
    /// secrets as it is checked; a finding across files that shows it finds
    /// them as it is read back, and every output masks them.
    #[test]
    fn a_clean_file_finds_its_secrets_when_a_finding_across_files_shows_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("phonelint.toml"), "").unwrap();
        fs::write(
            root.join("servers.toml"),
            "[[servers]]\nserver_id = \"s1\"\nserver_ip = \"10.10.10.15\"\nactive = \"Y\"\n",
        )
        .unwrap();
        fs::write(root.join("p000.toml"), PHONE).unwrap();
        fs::write(root.join("p001.toml"), PHONE).unwrap();
        let workspace = Workspace::new(root, None, &Default::default()).unwrap();
        let outcome = check(&workspace, &[root.to_path_buf()], None);
        let on = |name: &str| {
            outcome
                .findings
                .iter()
                .filter(|finding| finding.file.name == name)
                .map(|finding| finding.rule)
                .collect::<Vec<_>>()
        };
        // Only findings across files: neither file has one of its own.
        let across = crate::rules::repository_rules()
            .iter()
            .map(|rule| rule.meta().name)
            .collect::<Vec<_>>();
        assert!(!on("p001.toml").is_empty());
        assert!(on("p001.toml").iter().all(|rule| across.contains(rule)));
        for finding in &outcome.findings {
            assert!(finding.file.secrets_known(), "{}", finding.file.name);
            if finding.file.name.starts_with('p') {
                assert!(!finding.file.secrets().is_empty(), "{}", finding.file.name);
            }
            for related in &finding.related {
                assert!(related.file.secrets_known(), "{}", related.file.name);
            }
        }
    }
}
