//! Which files to read: the paths given, directories walked respecting
//! .gitignore, .ignore and git's exclude files, hidden entries skipped, symbolic
//! links not followed. A file named explicitly is always read, unless it is a
//! symbolic link or not a regular file (a FIFO, a device): those are never
//! opened, and a `.toml`/`.json` one is reported as [`Note::Skipped`] (a note on
//! stderr), so a pull request cannot make phonelint read outside the
//! repository or block on a pipe.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use ignore::{WalkBuilder, WalkState};
use rayon::slice::ParallelSliceMut;

use crate::files::paths::{absolute, nearest_holding, relative_name};
use crate::load::Format;
use crate::model::{Note, RunError, SkipReason};
use crate::text::hash::FnvBuild;
use crate::workspace::{Relatives, Workspace};

/// A file to check, with the two paths it is known by, computed once here.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    pub path: PathBuf,
    /// The path shown to users, as they typed it: relative to the current
    /// directory, `/` separators.
    pub name: String,
    /// The path relative to the project root, when it is not `name`.
    pub relative: Option<String>,
    pub format: Format,
}

impl DiscoveredFile {
    fn new(relatives: &Relatives<'_>, path: PathBuf, name: String, format: Format) -> Self {
        let relative = relatives.relative(&path, &name);
        Self {
            path,
            name,
            relative,
            format,
        }
    }

    /// The path relative to the project root.
    pub fn relative(&self) -> &str {
        self.relative.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<DiscoveredFile>,
    pub errors: Vec<RunError>,
    /// Definition-named paths not read (links, FIFOs, devices), and what
    /// else the user should know about the walk (git could not list the
    /// files it tracks).
    pub notes: Vec<Note>,
}

/// The file at `path` as discovery names it, whether or not it exists (text
/// checked in its place); `None` when it is not a `.toml` or `.json` file.
pub fn named(workspace: &Workspace, path: &Path) -> Option<DiscoveredFile> {
    let format = Format::from_path(path)?;
    let name = relative_name(path, &workspace.cwd);
    Some(DiscoveredFile::new(
        &workspace.relatives(),
        path.to_path_buf(),
        name,
        format,
    ))
}

/// The files under `paths`, not descending into the directories `pruned`
/// (absolute, lexically normalised paths): a repository walk skips the
/// directories a check asked about, which were walked already.
pub fn discover(workspace: &Workspace, paths: &[PathBuf], pruned: &[PathBuf]) -> Discovered {
    let cwd = workspace.cwd.as_path();
    let relatives = workspace.relatives();
    let pruned: std::sync::Arc<[PathBuf]> = pruned.into();
    let mut discovered = Discovered::default();
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let notes = Mutex::new(Vec::new());
    for path in paths {
        let name = relative_name(path, cwd);
        let link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
        match std::fs::metadata(path) {
            Err(_) if link => lock(&notes).push(Note::Skipped {
                name,
                reason: SkipReason::Symlink,
            }),
            Err(_) => discovered.errors.push(RunError::NotFound {
                near: near(path, cwd),
                path: name,
            }),
            // A directory named on the command line is walked even through a
            // link (the user chose it); nothing inside is followed.
            Ok(meta) if meta.is_dir() => {
                let tracking = Tracking::new(path, cwd, &pruned);
                if let Some(tracking) = &tracking {
                    // Before the walk, so that git, when it is needed,
                    // lists the tracked files while the directory is walked.
                    tracking.list(path);
                }
                walk(
                    path,
                    &relatives,
                    &pruned,
                    &found,
                    &errors,
                    &notes,
                    tracking.as_ref(),
                );
                let added = (tracking.and_then(Tracking::finish)).map_or(Ok(()), |listing| {
                    add_tracked(
                        path, listing, workspace, &relatives, &pruned, &found, &notes,
                    )
                });
                if let Err(note) = added {
                    lock(&notes).push(note);
                }
            }
            Ok(_) if link => lock(&notes).push(Note::Skipped {
                name,
                reason: SkipReason::Symlink,
            }),
            Ok(meta) if !meta.is_file() => lock(&notes).push(Note::Skipped {
                name,
                reason: SkipReason::NotRegular,
            }),
            Ok(_) => match Format::from_path(path) {
                Some(format) => {
                    lock(&found).push(DiscoveredFile::new(&relatives, path.clone(), name, format))
                }
                None => discovered
                    .errors
                    .push(RunError::UnknownFormat { path: name }),
            },
        }
    }
    discovered.files = found
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner());
    // By the shown name first: a string comparison, much cheaper than
    // comparing paths component by component. Equal paths have equal names,
    // so they stay adjacent for dedup.
    discovered
        .files
        .par_sort_unstable_by(|a, b| a.name.cmp(&b.name).then_with(|| a.cmp(b)));
    // Equal paths have equal names: the names, compared first, spare
    // comparing paths component by component but where a path may repeat.
    discovered
        .files
        .dedup_by(|a, b| a.name == b.name && a.path == b.path);
    discovered.errors.extend(
        errors
            .into_inner()
            .unwrap_or_else(|poison| poison.into_inner()),
    );
    discovered.notes = notes
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner());
    discovered.notes.sort();
    discovered.notes.dedup();
    discovered
}

/// The entry of the directory `path` would be in whose name is closest to
/// its own, when it is close enough to be a typo: `phones/flor1.toml`
/// suggests `phones/floor1.toml`. Only that directory is listed, and only
/// its first entries: a mistyped path costs no walk.
fn near(path: &Path, cwd: &Path) -> Option<String> {
    const MAX_ENTRIES: usize = 10_000;
    let typed = path.file_name()?.to_str()?;
    let parent = path.parent().unwrap_or(Path::new(""));
    let entries = std::fs::read_dir(cwd.join(parent)).ok()?;
    let names: Vec<String> = entries
        .take(MAX_ENTRIES)
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    let found = crate::text::suggest::closest(typed, names.iter().map(String::as_str))?;
    Some(relative_name(&parent.join(found), cwd))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn walk(
    root: &Path,
    relatives: &Relatives<'_>,
    pruned: &std::sync::Arc<[PathBuf]>,
    found: &Mutex<Vec<DiscoveredFile>>,
    errors: &Mutex<Vec<RunError>>,
    notes: &Mutex<Vec<Note>>,
    tracking: Option<&Tracking<'_>>,
) {
    let mut builder = WalkBuilder::new(root);
    if !pruned.is_empty() {
        let pruned = std::sync::Arc::clone(pruned);
        builder.filter_entry(move |entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && pruned.iter().any(|p| p == entry.path()))
        });
    }
    builder
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(global_excludes_may_apply())
        .ignore(true)
        .parents(true)
        // .gitignore applies in a repository that is not (yet) a git checkout too.
        .require_git(false)
        .follow_links(false)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        // The entry's own type: links are not followed.
                        let file_type = entry.file_type();
                        // Of the path: the crate takes it apart for its name.
                        let format = Format::from_path(entry.path());
                        if let Some(tracking) = tracking {
                            tracking.meet(&entry, format.is_some());
                        }
                        let Some(format) = format else {
                            return WalkState::Continue;
                        };
                        let reason = match file_type {
                            Some(t) if t.is_file() => None,
                            Some(t) if t.is_dir() => return WalkState::Continue,
                            Some(t) if t.is_symlink() => Some(SkipReason::Symlink),
                            _ => Some(SkipReason::NotRegular),
                        };
                        let path = entry.into_path();
                        match reason {
                            None => {
                                let (name, relative) = relatives.name_and_relative(&path);
                                lock(found).push(DiscoveredFile {
                                    path,
                                    name,
                                    relative,
                                    format,
                                })
                            }
                            Some(reason) => {
                                let name = relatives.name(&path);
                                lock(notes).push(Note::Skipped { name, reason })
                            }
                        }
                    }
                    Err(error) => {
                        if let Some(tracking) = tracking {
                            tracking.start();
                        }
                        lock(errors).push(RunError::Walk(error.to_string()));
                    }
                }
                WalkState::Continue
            })
        });
}

/// Whether git's global excludes file may hold patterns for the walk: a
/// config file that the `ignore` crate reads for `core.excludesFile` names
/// it (`GIT_CONFIG_GLOBAL`, `~/.gitconfig`, `$XDG_CONFIG_HOME/git/config`,
/// `GIT_CONFIG_SYSTEM` or `/etc/gitconfig`; `~/.config/git/config` too), or
/// the default file is there (`$XDG_CONFIG_HOME/git/ignore`,
/// `~/.config/git/ignore`). When not, the crate's global matcher would be
/// empty, and is not asked for: finding that out compiles a regular
/// expression, as many instructions as the walk of 150 files. Any doubt
/// (no home directory, a file that cannot be read) leaves it to the crate.
fn global_excludes_may_apply() -> bool {
    static MAY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MAY.get_or_init(|| {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        };
        let Some(home) = std::env::home_dir() else {
            return true;
        };
        let dot_config = home.join(".config");
        let xdg = var("XDG_CONFIG_HOME").unwrap_or_else(|| dot_config.clone());
        let configs = [
            var("GIT_CONFIG_GLOBAL"),
            Some(home.join(".gitconfig")),
            Some(xdg.join("git/config")),
            Some(dot_config.join("git/config")),
            var("GIT_CONFIG_SYSTEM"),
            Some(PathBuf::from("/etc/gitconfig")),
        ];
        let names_it = |path: &PathBuf| match std::fs::read(path) {
            Ok(text) => (text.windows(12)).any(|word| word.eq_ignore_ascii_case(b"excludesfile")),
            Err(error) => error.kind() != std::io::ErrorKind::NotFound,
        };
        configs.iter().flatten().any(names_it)
            || [xdg.join("git/ignore"), dot_config.join("git/ignore")]
                .iter()
                .any(|path| std::fs::symlink_metadata(path).is_ok())
    })
}

/// Whether git must be asked which files it tracks under a directory being
/// walked (see [`add_tracked`]), and its listing once it is. git can add
/// nothing when the walk skipped nothing that is or may hold a definition,
/// and is then not run: starting it costs about a tenth of a check of 1,000
/// one-phone files.
///
/// The walk does not say what it skipped, so each directory it enters is
/// listed here too, and the entries that are or may hold a definition
/// (directories, definition-named files; never `.git`, which git cannot
/// track) are counted on both sides: fewer met than listed, something was
/// skipped. git is started at once, to list while the walk goes on, when a
/// listing shows an entry the walk surely skips (a hidden one) or may skip
/// (an ignore file is there), and after the walk when only the counts
/// tell. A listing that fails, or that shows what git may know otherwise
/// than the walk (a symbolic link, a directory named like a definition: a
/// tracked path may go through the one or have become the other), starts
/// it too, as a walk that met an error does.
struct Tracking<'a> {
    dir: &'a Path,
    /// The directories the walk does not enter (its filter, not a skip).
    pruned: &'a [PathBuf],
    started: AtomicBool,
    listing: Mutex<Option<Listing>>,
    listed: AtomicUsize,
    met: AtomicUsize,
}

impl<'a> Tracking<'a> {
    /// `None` when `dir` is not in a git checkout.
    fn new(dir: &'a Path, cwd: &Path, pruned: &'a [PathBuf]) -> Option<Self> {
        nearest_holding(&absolute(dir, cwd), &[".git"])?;
        Some(Self {
            dir,
            pruned,
            started: AtomicBool::new(false),
            listing: Mutex::new(None),
            listed: AtomicUsize::new(0),
            met: AtomicUsize::new(0),
        })
    }

    /// Starts git listing the tracked files (once).
    fn start(&self) {
        if !self.started.swap(true, Ordering::AcqRel) {
            *lock(&self.listing) = Some(start_tracked(self.dir));
        }
    }

    /// Counts the entries of the directory `dir` the walk should meet, or
    /// starts git.
    fn list(&self, dir: &Path) {
        if self.started.load(Ordering::Acquire) {
            return;
        }
        match self.count(dir) {
            Some(listed) => {
                self.listed.fetch_add(listed, Ordering::Relaxed);
            }
            None => self.start(),
        }
    }

    /// What [`Tracking::list`] counts of `dir`, `None` when git must be asked.
    /// On Linux the directory is read through its descriptor into one buffer
    /// (std gives each entry two allocations, its name and a copy of it).
    #[cfg(target_os = "linux")]
    fn count(&self, dir: &Path) -> Option<usize> {
        use rustix::fs::{AtFlags, FileType, Mode, OFlags, RawDir};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(rustix::fs::CWD, dir, flags, Mode::empty()).ok()?;
        let mut buffer = Vec::with_capacity(32 * 1024);
        let mut entries = RawDir::new(&fd, buffer.spare_capacity_mut());
        let mut listed = 0;
        while let Some(entry) = entries.next() {
            let entry = entry.ok()?;
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            let file_type = match entry.file_type() {
                FileType::Unknown => {
                    let stat = rustix::fs::statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
                    FileType::from_raw_mode(stat.st_mode)
                }
                known => known,
            };
            let kind = match file_type {
                FileType::Directory => Kind::Dir,
                FileType::Symlink => Kind::Symlink,
                _ => Kind::Other,
            };
            let name = std::os::unix::ffi::OsStrExt::from_bytes(name.to_bytes());
            listed += self.counts(dir, name, kind)?;
        }
        Some(listed)
    }

    #[cfg(not(target_os = "linux"))]
    fn count(&self, dir: &Path) -> Option<usize> {
        let mut listed = 0;
        for entry in std::fs::read_dir(dir).ok()? {
            let entry = entry.ok()?;
            let file_type = entry.file_type().ok()?;
            let kind = if file_type.is_dir() {
                Kind::Dir
            } else if file_type.is_symlink() {
                Kind::Symlink
            } else {
                Kind::Other
            };
            listed += self.counts(dir, &entry.file_name(), kind)?;
        }
        Some(listed)
    }

    /// Whether the entry `name` of `dir` counts (1) or not (0), or `None`
    /// when git must be asked.
    fn counts(&self, dir: &Path, name: &std::ffi::OsStr, kind: Kind) -> Option<usize> {
        if name == ".git" {
            return Some(0);
        }
        let definition = Format::from_file_name(name).is_some();
        let hidden = name.as_encoded_bytes().first() == Some(&b'.');
        let is_dir = kind == Kind::Dir;
        if kind == Kind::Symlink
            || (is_dir && definition)
            || (hidden && (name == ".gitignore" || name == ".ignore"))
        {
            return None;
        }
        if !(is_dir || definition) {
            return Some(0);
        }
        if hidden {
            return None;
        }
        if is_dir && !self.pruned.is_empty() && self.pruned.contains(&dir.join(name)) {
            return Some(0);
        }
        Some(1)
    }

    /// Counts an entry the walk met (`definition`: named like one), and
    /// lists it when it is a directory (the walk's root was listed before
    /// the walk).
    fn meet(&self, entry: &ignore::DirEntry, definition: bool) {
        if entry.depth() == 0 || self.started.load(Ordering::Acquire) {
            return;
        }
        let dir = entry.file_type().is_some_and(|t| t.is_dir());
        let counted = if dir {
            entry.file_name() != ".git"
        } else {
            definition
        };
        if counted {
            self.met.fetch_add(1, Ordering::Relaxed);
        }
        if dir {
            self.list(entry.path());
        }
    }

    /// git's listing, started now when the walk met fewer entries than
    /// were listed; `None` when it was not needed.
    fn finish(self) -> Option<Listing> {
        if !self.started.load(Ordering::Acquire)
            && self.met.load(Ordering::Relaxed) == self.listed.load(Ordering::Relaxed)
        {
            return None;
        }
        self.start();
        self.listing
            .into_inner()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

/// An entry's type as [`Tracking`] tells them apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    Symlink,
    Other,
}

/// Starts git listing the files it tracks under `dir`.
fn start_tracked(dir: &Path) -> Listing {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        // Reading the index only: no hook, no file-system monitor.
        .args(["-c", "core.fsmonitor=false", "ls-files", "-z", "--cached"])
        .args(["--recurse-submodules", "--"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("git: {error}"))
}

/// git listing the tracked files, or why it could not be started.
type Listing = Result<std::process::Child, String>;

/// Adds the `.toml`/`.json` files git tracks under `dir` (as `listing`
/// gives them) that the walk did not find: a `.gitignore`, `.ignore` or
/// exclude file, or a leading dot, must not hide a file the repository
/// holds (git itself does not apply ignore files to tracked files). A note
/// when git cannot list them.
fn add_tracked(
    dir: &Path,
    listing: Listing,
    workspace: &Workspace,
    relatives: &Relatives<'_>,
    pruned: &[PathBuf],
    found: &Mutex<Vec<DiscoveredFile>>,
    notes: &Mutex<Vec<Note>>,
) -> Result<(), Note> {
    let cwd = workspace.cwd.as_path();
    let tracked = tracked_files(listing).map_err(|why| Note::Untracked {
        dir: relative_name(dir, cwd),
        why,
    })?;
    let tracked: Vec<(PathBuf, Format)> = (tracked.into_iter())
        .filter_map(|relative| Format::from_path(&relative).map(|format| (relative, format)))
        .collect();
    if tracked.is_empty() {
        return Ok(());
    }
    let mut found = lock(found);
    // By the bytes of their paths: the walk and git join the same names to
    // `dir` (a path met twice is dropped after the sort anyway).
    let already: std::collections::HashSet<&[u8], FnvBuild> = (found.iter())
        .map(|file| file.path.as_os_str().as_encoded_bytes())
        .collect();
    let mut more = Vec::new();
    for (relative, format) in tracked {
        let path = dir.join(&relative);
        if already.contains(path.as_os_str().as_encoded_bytes())
            || pruned.iter().any(|p| absolute(&path, cwd).starts_with(p))
        {
            continue;
        }
        let name = relative_name(&path, cwd);
        match reachable(dir, &relative) {
            Some(None) => more.push(DiscoveredFile::new(relatives, path, name, format)),
            Some(Some(reason)) => lock(notes).push(Note::Skipped { name, reason }),
            // Tracked but deleted in the checkout: nothing to read.
            None => {}
        }
    }
    found.append(&mut more);
    Ok(())
}

/// Whether `relative` under `dir` is a regular file reached without a
/// symbolic link (`Some(None)`), why it is not read (`Some(Some(..))`), or
/// `None` when it is not there.
fn reachable(dir: &Path, relative: &Path) -> Option<Option<SkipReason>> {
    let mut walked = dir.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        walked.push(component);
        let meta = std::fs::symlink_metadata(&walked).ok()?;
        if meta.file_type().is_symlink() {
            return Some(Some(SkipReason::Symlink));
        }
        if components.peek().is_none() && !meta.is_file() {
            return Some(Some(SkipReason::NotRegular));
        }
    }
    Some(None)
}

/// The files git tracks under `dir` (submodules' too), relative to it.
fn tracked_files(listing: Listing) -> Result<Vec<PathBuf>, String> {
    let output = listing?
        .wait_with_output()
        .map_err(|error| format!("git: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("failed").trim();
        return Err(format!("git: {first}"));
    }
    Ok(output
        .stdout
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(path_from_bytes)
        .collect())
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_respecting_ignores_and_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.toml",
            "b.json",
            "c.txt",
            "ignored/d.toml",
            ".hidden/e.toml",
            "sub/f.TOML",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let found = discover(&Workspace::isolated(root), &[root.to_path_buf()], &[]);
        let names: Vec<_> = found.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.toml", "b.json", "sub/f.TOML"]);
        assert!(found.errors.is_empty());
    }

    #[test]
    fn a_file_met_twice_is_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        for file in ["a.toml", "sub/b.toml", "sub/c.json"] {
            std::fs::write(root.join(file), "").unwrap();
        }
        // Named, walked, and named again spelt otherwise.
        let paths = [
            root.join("sub/b.toml"),
            root.to_path_buf(),
            root.join("sub//b.toml"),
            root.join("sub"),
        ];
        let found = discover(&Workspace::isolated(root), &paths, &[]);
        let names: Vec<_> = found.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.toml", "sub/b.toml", "sub/c.json"]);
    }

    #[test]
    fn explicit_paths_are_read_or_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join(".hidden")).unwrap();
        std::fs::write(root.join(".hidden/x.json"), "{}").unwrap();
        std::fs::write(root.join("notes.txt"), "").unwrap();
        let found = discover(
            &Workspace::isolated(root),
            &[
                root.join(".hidden/x.json"),
                root.join("notes.txt"),
                root.join("nope"),
            ],
            &[],
        );
        assert_eq!(found.files.len(), 1);
        let errors: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "notes.txt: not a .toml or .json file, so its format is unknown",
                "nope: no such file or directory",
            ]
        );
    }
}
