//! Paths: made absolute, named relative to a directory with `/` separators,
//! and the nearest directory holding a marker (the root finder).

use std::path::{Component, Path, PathBuf};

/// The files that mark a project root, nearest first: a configuration file,
/// or a git checkout (`.git`, a directory or the file a worktree or
/// submodule has).
pub const ROOT_MARKERS: [&str; 3] = ["phonelint.toml", ".phonelint.toml", ".git"];

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
/// directory itself) holding one of `markers`. A marker that is a symbolic
/// link counts, dangling or not: it is its reader's to refuse, and it must
/// not let a marker further up apply instead.
pub fn nearest_holding(start: &Path, markers: &[&str]) -> Option<PathBuf> {
    let first = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    first?
        .ancestors()
        .find(|dir| {
            markers
                .iter()
                .any(|marker| std::fs::symlink_metadata(dir.join(marker)).is_ok())
        })
        .map(Path::to_path_buf)
}

/// `path` relative to `base` with `/` separators when it is inside it (a
/// relative `path` is taken as it is), without `.` components; an absolute
/// path outside `base` keeps its leading `/`. The names users see.
pub fn relative_name(path: &Path, base: &Path) -> String {
    match plainly_under(path, base).or_else(|| plainly_relative(path)) {
        Some(name) => name.to_owned(),
        None => relative_by_components(path, base),
    }
}

/// [`relative_name`], component by component.
fn relative_by_components(path: &Path, base: &Path) -> String {
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

/// `path`'s text after `base` and a `/`, when that is already the name
/// [`relative_name`] gives: UTF-8, no empty, `.` or `..` component, no
/// trailing `/` (as a walk of `base` gives every file). `None` otherwise,
/// and off Unix, where separators vary.
fn plainly_under<'p>(path: &'p Path, base: &Path) -> Option<&'p str> {
    if !cfg!(unix) || !base.is_absolute() {
        return None;
    }
    let rest = path
        .as_os_str()
        .as_encoded_bytes()
        .strip_prefix(base.as_os_str().as_encoded_bytes())?;
    // A base ending in `/` (the root directory) is followed by no other.
    let rest = if base.as_os_str().as_encoded_bytes().ends_with(b"/") {
        rest
    } else {
        rest.strip_prefix(b"/")?
    };
    plain_text(rest)
}

/// A relative `path`'s text past a leading `./`, when that is already the
/// name [`relative_name`] gives (as a walk of `.` gives every file): UTF-8,
/// no empty, `.` or `..` component. `None` otherwise, and off Unix.
pub fn plainly_relative(path: &Path) -> Option<&str> {
    if !cfg!(unix) || path.is_absolute() {
        return None;
    }
    let bytes = path.as_os_str().as_encoded_bytes();
    let rest = bytes.strip_prefix(b"./").unwrap_or(bytes);
    plain_text(rest)
}

/// `bytes` as text when they are UTF-8 and a plain relative path: not
/// empty, no empty, `.` or `..` component.
fn plain_text(bytes: &[u8]) -> Option<&str> {
    plain_components(bytes)
        .then(|| std::str::from_utf8(bytes).ok())
        .flatten()
}

/// Whether `bytes`, split at every `/`, have no empty, `.` or `..` part
/// (so are not empty either). One pass over the bytes: this runs for every
/// file of a walk.
pub fn plain_components(bytes: &[u8]) -> bool {
    let plain = |part: Option<&[u8]>| part.is_some_and(|part| !matches!(part, b"" | b"." | b".."));
    let mut start = 0;
    for (at, byte) in bytes.iter().enumerate() {
        if *byte == b'/' {
            if !plain(bytes.get(start..at)) {
                return false;
            }
            start = at + 1;
        }
    }
    plain(bytes.get(start..))
}

/// The path from the directory `base` to `path`, both absolute and
/// lexically normalised, with `/` separators: `phones/a.toml` inside it,
/// `../other/b.toml` beside it. Paths with no common ancestor (another
/// drive) give `path` whole.
pub fn path_from(base: &Path, path: &Path) -> String {
    if let Ok(inside) = path.strip_prefix(base) {
        return relative_name(inside, Path::new(""));
    }
    let base_parts: Vec<Component<'_>> = base.components().collect();
    let parts: Vec<Component<'_>> = path.components().collect();
    let common = base_parts
        .iter()
        .zip(&parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return relative_name(path, base);
    }
    let ups = base_parts.len() - common;
    let mut out: Vec<String> = vec!["..".to_owned(); ups];
    out.extend(
        parts
            .iter()
            .skip(common)
            .map(|part| part.as_os_str().to_string_lossy().into_owned()),
    );
    out.join("/")
}

/// A relative path of plain names, inside whatever it is taken from: no
/// root, no drive, no `..`, not empty. Paths a repository's files name
/// (baseline entries, the configuration's baseline) must be.
pub fn stays_inside(path: &str) -> bool {
    let path = Path::new(path);
    path.components().next().is_some()
        && path
            .components()
            .all(|component| matches!(component, Component::Normal(_) | Component::CurDir))
}

/// `relative` (a `/`-separated path that may climb with `..`) taken from the
/// directory `prefix` (`/`-separated, empty or ending in `/`): `defs/` and
/// `phones/a.toml` give `defs/phones/a.toml`, `defs/` and `../b.json` give
/// `b.json`.
pub fn join_slashed(prefix: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = prefix.split('/').filter(|p| !p.is_empty()).collect();
    let mut climbed = 0;
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.len() > climbed => {
                parts.pop();
            }
            ".." => {
                parts.insert(0, "..");
                climbed += 1;
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// The directory of the file at `path` (`.` for a bare name) and its name,
/// split at the last `/` (cheaper than [`Path::parent`] and
/// [`Path::file_name`], which parse every component); `None` for a path
/// that does not end in a plain name.
#[cfg(unix)]
pub fn split_name(path: &Path) -> Option<(&Path, &std::ffi::OsStr)> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let (parent, name) = match bytes.iter().rposition(|byte| *byte == b'/') {
        Some(0) => (&b"/"[..], bytes.get(1..)?),
        Some(at) => (bytes.get(..at)?, bytes.get(at + 1..)?),
        None => (&b"."[..], bytes),
    };
    if matches!(name, b"" | b"." | b"..") {
        return None;
    }
    let path = |bytes| Path::new(std::ffi::OsStr::from_bytes(bytes));
    Some((path(parent), std::ffi::OsStr::from_bytes(name)))
}

/// [`split_name`] elsewhere, by the path's components.
#[cfg(not(unix))]
pub fn split_name(path: &Path) -> Option<(&Path, &std::ffi::OsStr)> {
    let name = path.file_name()?;
    let parent = path.parent()?;
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    Some((parent, name))
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
        let root_of = |start: &Path| nearest_holding(start, &ROOT_MARKERS);
        assert_eq!(root_of(&root.join("a/b/c/x.toml")), Some(root.join("a")));
        assert_eq!(root_of(&root.join("a/b")), Some(root.join("a")));
        assert_eq!(root_of(root), Some(root.to_path_buf()));
        // A `.git` file (worktrees, submodules) marks a root too, and so
        // does `.phonelint.toml`.
        std::fs::write(root.join("a/b/.git"), "gitdir: elsewhere").unwrap();
        assert_eq!(root_of(&root.join("a/b/c")), Some(root.join("a/b")));
        std::fs::write(root.join("a/b/c/.phonelint.toml"), "").unwrap();
        assert_eq!(root_of(&root.join("a/b/c")), Some(root.join("a/b/c")));
        assert_eq!(
            nearest_holding(&root.join("a/b/c"), &[".git"]),
            Some(root.join("a/b"))
        );
    }

    #[test]
    fn plain_names_are_the_names_components_give() {
        for base in ["/repo", "/repo/", "/", "/r/e.p"] {
            for path in [
                "/repo/a/b.toml",
                "/repo/a//b.toml",
                "/repo/./a.toml",
                "/repo/a/../b.toml",
                "/repo/a/",
                "/repo",
                "/repo/",
                "/repository/a.toml",
                "/r/e.p/x.json",
                "/x.json",
                "/.hidden/..x/a b.toml",
                "/repo/a/.",
                "/repo/a/..",
                "/repo/.a/..b/c.toml",
                "a/b.toml",
                "./a/b.toml",
                "./a//b.toml",
                "././a.toml",
                ".//a.toml",
                "./a/./b.toml",
                "./a/../b.toml",
                "./.hidden/..x/a b.toml",
                "./a/",
                "a/",
                "./.",
                "./..",
                "./",
                ".",
                "..",
                "../a.toml",
                "a/..",
            ] {
                let (path, base) = (Path::new(path), Path::new(base));
                assert_eq!(
                    relative_name(path, base),
                    relative_by_components(path, base),
                    "{path:?} from {base:?}"
                );
            }
        }
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

    #[test]
    fn paths_from_a_directory_climb_out_of_it() {
        let base = Path::new("/repo/defs");
        assert_eq!(
            path_from(base, Path::new("/repo/defs/a/b.toml")),
            "a/b.toml"
        );
        assert_eq!(path_from(base, Path::new("/repo/defs")), ".");
        assert_eq!(path_from(base, Path::new("/repo/x.json")), "../x.json");
        assert_eq!(
            path_from(base, Path::new("/tmp/y.toml")),
            "../../tmp/y.toml"
        );
    }

    #[test]
    fn slashed_paths_join_and_climb() {
        assert_eq!(join_slashed("", "a/b.toml"), "a/b.toml");
        assert_eq!(join_slashed("defs/", "phones/a.toml"), "defs/phones/a.toml");
        assert_eq!(join_slashed("defs/", "../b.json"), "b.json");
        assert_eq!(join_slashed("defs/", "../../tmp/y.toml"), "../tmp/y.toml");
    }

    #[cfg(unix)]
    #[test]
    fn a_path_splits_into_its_directory_and_name_as_std_does() {
        for path in ["a.toml", "d/a.toml", "/a.toml", "./d/e/a.json", "d//a.toml"] {
            let path = Path::new(path);
            let (parent, name) = split_name(path).unwrap();
            assert_eq!(Some(name), path.file_name(), "{path:?}");
            let std_parent = path.parent().unwrap();
            let std_parent = if std_parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                std_parent
            };
            assert_eq!(parent, std_parent, "{path:?}");
        }
        for path in ["", "d/", "d/..", ".", "/"] {
            assert_eq!(split_name(Path::new(path)), None, "{path:?}");
        }
    }
}
