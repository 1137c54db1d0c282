//! Reading phonelint.toml: a file the pull request may have written, read
//! as defensively as a definition.

use std::path::Path;
use std::sync::Arc;

use super::error::ConfigError;
use super::parse::parse;
use super::settings::{Config, FILE_NAMES};
use crate::files::read::{MAX_FILE_SIZE, ReadError, read_regular};
use crate::source::SourceFile;

impl Config {
    /// The configuration in the file at `path`, shown as `name` (`relative`
    /// to the root when that differs). A symbolic link is followed only to a
    /// file inside `links_inside` (the checkout, or the root outside one).
    pub fn read(
        path: &Path,
        name: String,
        relative: Option<String>,
        links_inside: &Path,
    ) -> Result<Self, ConfigError> {
        // The configuration is the pull request's to write: a link in its
        // place could point anywhere, and diagnostics quote the file. A link
        // is followed only to a regular file inside the repository, outside
        // `.git` (whose config may hold a checkout's credentials), named as a
        // configuration file is.
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let target = if link {
            let target = std::fs::canonicalize(path).ok();
            let base = std::fs::canonicalize(links_inside).ok();
            let followed = target.zip(base).and_then(|(target, base)| {
                let inside = target.strip_prefix(&base).ok()?;
                let in_git = inside.components().any(|c| c.as_os_str() == ".git");
                let named = target
                    .file_name()
                    .is_some_and(|name| FILE_NAMES.iter().any(|n| name == *n));
                (!in_git && named).then_some(target)
            });
            followed.ok_or_else(|| ConfigError::Link {
                path: path.to_path_buf(),
                inside: links_inside.to_path_buf(),
            })?
        } else {
            path.to_path_buf()
        };
        let bytes = read_regular(&target, MAX_FILE_SIZE).map_err(|error| {
            let path = path.to_path_buf();
            match error {
                ReadError::TooLarge { size, limit } => ConfigError::TooLarge { path, size, limit },
                ReadError::Link | ReadError::NotRegular => ConfigError::NotRegular { path },
                ReadError::Io(error) => ConfigError::Unreadable { path, error },
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 {
            path: path.to_path_buf(),
        })?;
        let file =
            Arc::new(SourceFile::new(path.to_path_buf(), name, text).with_relative(relative));
        let mut config = Self::defaults();
        parse(&file, &mut config).map_err(ConfigError::Invalid)?;
        config.file = Some(file);
        Ok(config)
    }
}
