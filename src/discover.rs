//! Which files to read: the paths given, directories walked respecting
//! .gitignore, .ignore and git's exclude files, hidden entries skipped, symbolic
//! links not followed. A file named explicitly is always read, unless it is a
//! symbolic link or not a regular file (a FIFO, a device): those are never
//! opened, and a `.toml`/`.json` one is reported as [`Skipped`] (a note on
//! stderr), so a pull request cannot make phonelint read outside the
//! repository or block on a pipe.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::files::paths::{absolute, relative_name};
use crate::load::Format;

/// A file to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    pub path: PathBuf,
    /// The path shown to users: relative to the current directory, `/` separators.
    pub name: String,
    pub format: Format,
}

/// A problem of phonelint's own operation while discovering (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: no such file or directory")]
    NotFound { path: String },
    #[error("{path}: not a .toml or .json file, so its format is unknown")]
    UnknownFormat { path: String },
    #[error("{0}")]
    Walk(String),
}

/// A definition-named path that is not read, and why. Not an error: the
/// binary prints it as a note on stderr and the exit code does not change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub name: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// A symbolic link: never followed, wherever it points.
    Symlink,
    /// A FIFO, socket or device: opening it could block or read without end.
    NotRegular,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.reason {
            SkipReason::Symlink => "a symbolic link (phonelint does not follow links)",
            SkipReason::NotRegular => "not a regular file (a FIFO, socket or device)",
        };
        write!(f, "skipped {}: {why}", self.name)
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<DiscoveredFile>,
    pub errors: Vec<DiscoverError>,
    pub skipped: Vec<Skipped>,
    /// What the user should know about the walk (git could not list the
    /// files it tracks): notes on stderr.
    pub notes: Vec<String>,
}

pub fn discover(paths: &[PathBuf], cwd: &Path) -> Discovered {
    discover_pruned(paths, cwd, &[])
}

/// [`discover`], not descending into the directories `pruned` (absolute,
/// lexically normalised paths): a repository walk skips the directories a
/// check asked about, which were walked already.
pub fn discover_pruned(paths: &[PathBuf], cwd: &Path, pruned: &[PathBuf]) -> Discovered {
    let pruned: std::sync::Arc<[PathBuf]> = pruned.into();
    let mut discovered = Discovered::default();
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    for path in paths {
        let name = relative_name(path, cwd);
        let link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
        match std::fs::metadata(path) {
            Err(_) if link => lock(&skipped).push(Skipped {
                name,
                reason: SkipReason::Symlink,
            }),
            Err(_) => discovered
                .errors
                .push(DiscoverError::NotFound { path: name }),
            // A directory named on the command line is walked even through a
            // link (the user chose it); nothing inside is followed.
            Ok(meta) if meta.is_dir() => {
                walk(path, cwd, &pruned, &found, &errors, &skipped);
                let tracked = add_tracked(path, cwd, &pruned, &found, &skipped);
                discovered.notes.extend(tracked.err());
            }
            Ok(_) if link => lock(&skipped).push(Skipped {
                name,
                reason: SkipReason::Symlink,
            }),
            Ok(meta) if !meta.is_file() => lock(&skipped).push(Skipped {
                name,
                reason: SkipReason::NotRegular,
            }),
            Ok(_) => match Format::from_path(path) {
                Some(format) => lock(&found).push(DiscoveredFile {
                    path: path.clone(),
                    name,
                    format,
                }),
                None => discovered
                    .errors
                    .push(DiscoverError::UnknownFormat { path: name }),
            },
        }
    }
    discovered.files = found
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner());
    // By the shown name first: a string comparison, where comparing paths
    // component by component was 8% of a 10k-file check. Equal paths have
    // equal names, so they stay adjacent for dedup.
    discovered
        .files
        .sort_unstable_by(|a, b| a.name.cmp(&b.name).then_with(|| a.cmp(b)));
    discovered.files.dedup_by(|a, b| a.path == b.path);
    discovered.errors.extend(
        errors
            .into_inner()
            .unwrap_or_else(|poison| poison.into_inner()),
    );
    discovered.skipped = skipped
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner());
    discovered.skipped.sort();
    discovered.skipped.dedup();
    discovered
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn walk(
    root: &Path,
    cwd: &Path,
    pruned: &std::sync::Arc<[PathBuf]>,
    found: &Mutex<Vec<DiscoveredFile>>,
    errors: &Mutex<Vec<DiscoverError>>,
    skipped: &Mutex<Vec<Skipped>>,
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
        .git_global(true)
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
                        let Some(format) = Format::from_path(entry.path()) else {
                            return WalkState::Continue;
                        };
                        let reason = match file_type {
                            Some(t) if t.is_file() => None,
                            Some(t) if t.is_dir() => return WalkState::Continue,
                            Some(t) if t.is_symlink() => Some(SkipReason::Symlink),
                            _ => Some(SkipReason::NotRegular),
                        };
                        let path = entry.into_path();
                        let name = relative_name(&path, cwd);
                        match reason {
                            None => lock(found).push(DiscoveredFile { path, name, format }),
                            Some(reason) => lock(skipped).push(Skipped { name, reason }),
                        }
                    }
                    Err(error) => lock(errors).push(DiscoverError::Walk(error.to_string())),
                }
                WalkState::Continue
            })
        });
}

/// Adds the `.toml`/`.json` files git tracks under `dir` that the walk did
/// not find: a `.gitignore`, `.ignore` or exclude file, or a leading dot,
/// must not hide a file the repository holds (git itself does not apply
/// ignore files to tracked files). Nothing to do outside a git checkout; a
/// note when git cannot list them.
fn add_tracked(
    dir: &Path,
    cwd: &Path,
    pruned: &[PathBuf],
    found: &Mutex<Vec<DiscoveredFile>>,
    skipped: &Mutex<Vec<Skipped>>,
) -> Result<(), String> {
    if !absolute(dir, cwd)
        .ancestors()
        .any(|a| a.join(".git").exists())
    {
        return Ok(());
    }
    let tracked = tracked_files(dir).map_err(|why| {
        format!(
            "cannot list the files git tracks under {} ({why}): a tracked file that .gitignore, .ignore or git's exclude file matches, or a hidden one, is not checked",
            relative_name(dir, cwd)
        )
    })?;
    let mut found = lock(found);
    let already: std::collections::HashSet<PathBuf> =
        found.iter().map(|file| file.path.clone()).collect();
    for relative in tracked {
        let Some(format) = Format::from_path(&relative) else {
            continue;
        };
        let path = dir.join(&relative);
        if already.contains(&path) || pruned.iter().any(|p| absolute(&path, cwd).starts_with(p)) {
            continue;
        }
        let name = relative_name(&path, cwd);
        match reachable(dir, &relative) {
            Some(None) => found.push(DiscoveredFile { path, name, format }),
            Some(Some(reason)) => lock(skipped).push(Skipped { name, reason }),
            // Tracked but deleted in the checkout: nothing to read.
            None => {}
        }
    }
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
fn tracked_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        // Reading the index only: no hook, no file-system monitor.
        .args(["-c", "core.fsmonitor=false", "ls-files", "-z", "--cached"])
        .args(["--recurse-submodules", "--"])
        .stdin(std::process::Stdio::null())
        .output()
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
        let found = discover(&[root.to_path_buf()], root);
        let names: Vec<_> = found.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.toml", "b.json", "sub/f.TOML"]);
        assert!(found.errors.is_empty());
    }

    #[test]
    fn explicit_paths_are_read_or_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join(".hidden")).unwrap();
        std::fs::write(root.join(".hidden/x.json"), "{}").unwrap();
        std::fs::write(root.join("notes.txt"), "").unwrap();
        let found = discover(
            &[
                root.join(".hidden/x.json"),
                root.join("notes.txt"),
                root.join("nope"),
            ],
            root,
        );
        assert_eq!(found.files.len(), 1);
        assert_eq!(
            found.errors,
            [
                DiscoverError::UnknownFormat {
                    path: "notes.txt".into()
                },
                DiscoverError::NotFound {
                    path: "nope".into()
                },
            ]
        );
    }
}
