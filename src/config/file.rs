//! Finding and reading phonelint.toml: a file the pull request may have
//! written, read as defensively as a definition.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::ConfigError;
use super::parse::parse;
use super::settings::{Config, FILE_NAMES};
use crate::files::paths::absolute;
use crate::source::SourceFile;

impl Config {
    /// The configuration for a run from `cwd`: the file given with
    /// `--config`, else the nearest one found walking up, else defaults.
    pub fn load(cwd: &Path, explicit: Option<&Path>, isolated: bool) -> Result<Self, ConfigError> {
        if isolated {
            return Ok(Self::defaults(cwd));
        }
        let path = match explicit {
            Some(path) => cwd.join(path),
            None => match find(cwd) {
                Some(path) => path,
                None => return Ok(Self::defaults(cwd)),
            },
        };
        // The configuration is the pull request's to write: a link in its
        // place could point anywhere, and diagnostics quote the file. A link
        // is followed only to a regular file inside the current directory,
        // outside `.git` (whose config may hold a checkout's credentials),
        // named as a configuration file is.
        let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        let target = if link {
            let target = std::fs::canonicalize(&path).ok();
            let base = std::fs::canonicalize(cwd).ok();
            let followed = target.zip(base).and_then(|(target, base)| {
                let inside = target.strip_prefix(&base).ok()?;
                let in_git = inside.components().any(|c| c.as_os_str() == ".git");
                let named = target
                    .file_name()
                    .is_some_and(|name| FILE_NAMES.iter().any(|n| name == *n));
                (!in_git && named).then_some(target)
            });
            match followed {
                Some(target) => target,
                None => {
                    return Err(ConfigError::Io(format!(
                        "{}: is a symbolic link to a file outside {}, inside `.git` or not named {}, which phonelint does not follow (see SECURITY.md); replace it with the file itself",
                        path.display(),
                        cwd.display(),
                        FILE_NAMES.join(" or ")
                    )));
                }
            }
        } else {
            path.clone()
        };
        let limit = crate::files::read::MAX_FILE_SIZE;
        let bytes = crate::files::read::read_regular(&target, limit).map_err(|error| {
            ConfigError::Io(match error {
                crate::files::read::ReadError::TooLarge { size, limit } => format!(
                    "{}: too large to read ({size} bytes; the limit is {limit} bytes)",
                    path.display()
                ),
                crate::files::read::ReadError::Link | crate::files::read::ReadError::NotRegular => {
                    format!("{}: not a regular file", path.display())
                }
                crate::files::read::ReadError::Io(error) => {
                    format!("{}: cannot read: {error}", path.display())
                }
            })
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            ConfigError::Io(format!("{}: cannot read: not UTF-8 text", path.display()))
        })?;
        let name = crate::files::paths::relative_name(&path, cwd);
        let file = Arc::new(SourceFile::new(path.clone(), name, text));
        let mut config = Self::defaults(cwd);
        config.root = absolute(path.parent().unwrap_or(cwd), cwd);
        parse(&file, &mut config).map_err(ConfigError::Invalid)?;
        config.file = Some(file);
        Ok(config)
    }
}

/// The nearest configuration file in `start` or above it, up to the
/// repository root (the directory holding `.git`).
pub fn find(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            // A link counts as found (and is refused by `Config::load`), so a
            // dangling one cannot make a configuration further up apply.
            let found = std::fs::symlink_metadata(&candidate)
                .is_ok_and(|m| m.is_file() || m.file_type().is_symlink());
            if found {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let sub = repo.join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join("phonelint.toml"), "").unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(find(&sub), None);
        std::fs::write(repo.join("a/.phonelint.toml"), "").unwrap();
        assert_eq!(find(&sub), Some(repo.join("a/.phonelint.toml")));
        std::fs::write(repo.join("a/phonelint.toml"), "").unwrap();
        assert_eq!(find(&sub), Some(repo.join("a/phonelint.toml")));
    }
}
