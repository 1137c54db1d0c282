//! Where the cache lives: a directory of the user's (never the
//! repository's, where a pull request could commit a poisoned cache), one
//! file per project root and phonelint version, and the key of its digests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::text::hash::{DigestKey, fnv1a};

/// The directory of phonelint's cache: `PHONELINT_CACHE_DIR` (relative to
/// `cwd` when relative), else the platform's cache directory
/// (`$XDG_CACHE_HOME/phonelint`, else `~/.cache/phonelint`, on Linux and
/// the other Unixes; `~/Library/Caches/phonelint` on macOS;
/// `%LOCALAPPDATA%\phonelint\cache` on Windows). `None` when there is none
/// (no home directory).
pub fn user_dir(cwd: &Path) -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(dir) = var("PHONELINT_CACHE_DIR") {
        return Some(cwd.join(dir));
    }
    // The XDG base directory specification ignores a relative path.
    let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
    if cfg!(windows) {
        absolute("LOCALAPPDATA").map(|dir| dir.join("phonelint").join("cache"))
    } else if cfg!(target_os = "macos") {
        absolute("HOME").map(|home| home.join("Library/Caches/phonelint"))
    } else {
        absolute("XDG_CACHE_HOME")
            .or_else(|| absolute("HOME").map(|home| home.join(".cache")))
            .map(|dir| dir.join("phonelint"))
    }
}

/// Creates `dir` (and what is missing above it) readable by its owner
/// only; an existing directory is left as it is.
pub fn make_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// The cache file of the project at `root` (its canonical path) for this
/// phonelint version: named by a hash of both, so that two versions used on
/// one project (a pre-commit hook pinned to one, another installed) keep
/// their own files rather than replace each other's at every run.
pub fn file_of(dir: &Path, root: &[u8]) -> PathBuf {
    let mut named = root.to_vec();
    named.push(0);
    named.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    dir.join(format!("{:016x}.cache", fnv1a(&named)))
}

const KEY_FILE: &str = "key";

/// The key of the cache's digests in `dir`: read, or made from the system's
/// random source and written (readable by the user only) when there is
/// none. Two runs that make one at once agree on the first written; a file
/// that is no key (damaged) is replaced, which makes the entries written
/// under it useless (the header names the key).
pub fn key(dir: &Path) -> Result<DigestKey, String> {
    let path = dir.join(KEY_FILE);
    let damaged = match read_key(&path)? {
        Key::Read(key) => return Ok(key),
        Key::Missing => false,
        Key::Damaged => true,
    };
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| format!("no random key: {error}"))?;
    let cannot = |error: std::io::Error| format!("cannot write a key: {error}");
    let mut temporary = temporary_in(dir).map_err(cannot)?;
    temporary.write_all(&bytes).map_err(cannot)?;
    if damaged {
        temporary
            .persist(&path)
            .map_err(|error| cannot(error.error))?;
        return Ok(DigestKey::new(bytes));
    }
    match temporary.persist_noclobber(&path) {
        Ok(_) => Ok(DigestKey::new(bytes)),
        // Another run wrote one first.
        Err(_) => match read_key(&path)? {
            Key::Read(key) => Ok(key),
            Key::Missing | Key::Damaged => Err("no key".to_owned()),
        },
    }
}

/// What the key file holds.
enum Key {
    Read(DigestKey),
    Missing,
    /// Something that is no key.
    Damaged,
}

/// The key at `path`; an error when it cannot be read.
fn read_key(path: &Path) -> Result<Key, String> {
    match crate::files::read::read_regular(path, 16) {
        Ok(bytes) => Ok(<[u8; 16]>::try_from(bytes.as_slice())
            .map_or(Key::Damaged, |bytes| Key::Read(DigestKey::new(bytes)))),
        Err(crate::files::read::ReadError::TooLarge { .. }) => Ok(Key::Damaged),
        Err(crate::files::read::ReadError::Io(error))
            if error.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(Key::Missing)
        }
        Err(_) => Err(format!("cannot read {}", path.display())),
    }
}

/// How long a project's cache file is kept unused: a root that is gone (a
/// temporary checkout, a CI workspace) leaves one behind.
const UNUSED_FOR: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// How long a temporary file may stay: one that old was left by a run that
/// died while writing.
const LEFT_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes from `dir` the cache files not written for [`UNUSED_FOR`] and
/// the temporary files older than [`LEFT_FOR`], at `now`. Best effort: a
/// file that cannot be removed stays.
pub fn prune(dir: &Path, now: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let limit = if name.ends_with(".cache") {
            UNUSED_FOR
        } else if name.starts_with(".phonelint-") && name.ends_with(".tmp") {
            LEFT_FOR
        } else {
            continue;
        };
        let old = (entry.metadata().ok())
            .filter(std::fs::Metadata::is_file)
            .and_then(|meta| meta.modified().ok())
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > limit);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A new temporary file in `dir`, readable and writable by the user only.
pub fn temporary_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".phonelint-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    builder.tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("a/b");
        make_dir(&cache).unwrap();
        let first = key(&cache).unwrap();
        assert_eq!(key(&cache).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&cache), 0o700);
            assert_eq!(mode(&cache.join(KEY_FILE)), 0o600);
        }
        // Damaged: replaced.
        for damaged in [&b"short"[..], &[1; 17]] {
            std::fs::write(cache.join(KEY_FILE), damaged).unwrap();
            let new = key(&cache).unwrap();
            assert_ne!(new, first);
            assert_eq!(key(&cache).unwrap(), new);
        }
        // A directory where the key should be: no key.
        std::fs::remove_file(cache.join(KEY_FILE)).unwrap();
        std::fs::create_dir(cache.join(KEY_FILE)).unwrap();
        assert!(key(&cache).is_err());
    }

    #[test]
    fn old_cache_files_and_leftovers_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "a.cache",
            "b.cache",
            ".phonelint-x.tmp",
            ".phonelint-y.tmp",
            KEY_FILE,
            "other",
        ];
        for name in names {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("d.cache")).unwrap();
        let day = Duration::from_secs(24 * 60 * 60);
        // Written long ago: a.cache and .phonelint-x.tmp are made old by
        // taking `now` later, b.cache and the other temporary file kept
        // recent by writing them again then.
        let now = SystemTime::now() + 40 * day;
        for name in ["b.cache", ".phonelint-y.tmp"] {
            let file = std::fs::File::options()
                .write(true)
                .open(dir.path().join(name))
                .unwrap();
            file.set_modified(now - day / 2).unwrap();
        }
        prune(dir.path(), now);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".phonelint-y.tmp", "b.cache", "d.cache", KEY_FILE, "other"]
        );
        prune(&dir.path().join("nowhere"), now);
    }

    #[test]
    fn each_root_and_version_has_its_file() {
        let dir = Path::new("/cache");
        assert_ne!(file_of(dir, b"/a"), file_of(dir, b"/b"));
        assert_eq!(file_of(dir, b"/a"), file_of(dir, b"/a"));
        assert!(file_of(dir, b"/a").starts_with(dir));
    }
}
