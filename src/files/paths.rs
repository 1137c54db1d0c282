//! Paths: made absolute, named relative to a directory with `/`
//! separators, and the root a check belongs to.
//!
//! Which repository a check belongs to: the root is the nearest directory,
//! walking up from the first path asked about, that holds `phonelint.toml` or
//! `.git` (a directory, or the file a worktree or submodule has); `--root DIR`
//! overrides it. Every definition under the root is indexed for the rules that
//! look across files, and paths in github/sarif output are relative to it.

use std::path::{Component, Path, PathBuf};

/// The files that mark a repository root.
pub const ROOT_MARKERS: [&str; 2] = ["phonelint.toml", ".git"];

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically
/// (symbolic links are not followed).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    // Sized once: pushing component by component would grow it repeatedly.
    let mut out = PathBuf::with_capacity(joined.as_os_str().len());
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The nearest directory at or above `start` (a file's directory, or the
/// directory itself) that holds a root marker.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let first = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    first?
        .ancestors()
        .find(|dir| ROOT_MARKERS.iter().any(|marker| dir.join(marker).exists()))
        .map(Path::to_path_buf)
}

/// `path` relative to `base` with `/` separators when it is inside it (a
/// relative `path` is taken as it is), without `.` components; an absolute
/// path outside `base` keeps its leading `/`. The names users see, and the
/// paths globs and baselines match.
pub fn relative_name(path: &Path, base: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(base).unwrap_or(path)
    } else {
        path
    };
    // One string built in place: this runs for every file of a check.
    let mut joined = String::with_capacity(relative.as_os_str().len());
    let mut first = true;
    let mut absolute = false;
    for component in relative.components() {
        match component {
            Component::CurDir => {}
            Component::RootDir => absolute = true,
            other => {
                if !first {
                    joined.push('/');
                }
                first = false;
                joined.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_resolves_dots_lexically() {
        let cwd = Path::new("/repo/sub");
        assert_eq!(
            absolute(Path::new("../a/./b.toml"), cwd),
            Path::new("/repo/a/b.toml")
        );
        assert_eq!(absolute(Path::new("/x/y"), cwd), Path::new("/x/y"));
        assert_eq!(absolute(Path::new("."), cwd), Path::new("/repo/sub"));
    }

    #[test]
    fn the_nearest_marker_wins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::write(root.join("a/phonelint.toml"), "").unwrap();
        std::fs::write(root.join("a/b/c/x.toml"), "").unwrap();
        assert_eq!(find_root(&root.join("a/b/c/x.toml")), Some(root.join("a")));
        assert_eq!(find_root(&root.join("a/b")), Some(root.join("a")));
        assert_eq!(find_root(root), Some(root.to_path_buf()));
        // A `.git` file (worktrees, submodules) marks a root too.
        std::fs::write(root.join("a/b/.git"), "gitdir: elsewhere").unwrap();
        assert_eq!(find_root(&root.join("a/b/c")), Some(root.join("a/b")));
    }

    #[test]
    fn relative_names_use_slashes() {
        let base = Path::new("/repo");
        assert_eq!(relative_name(Path::new("/repo/a/b.toml"), base), "a/b.toml");
        assert_eq!(
            relative_name(Path::new("/other/b.toml"), base),
            "/other/b.toml"
        );
        assert_eq!(relative_name(Path::new("/repo"), base), ".");
        assert_eq!(relative_name(Path::new("./a/b.toml"), base), "a/b.toml");
        assert_eq!(relative_name(Path::new("../a/b.toml"), base), "../a/b.toml");
    }
}
