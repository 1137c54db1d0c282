//! What is wrong with a configuration, as data: the report renders it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// Why a configuration could not be used (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "{}: is a symbolic link to a file outside {}, inside `.git` or not named phonelint.toml or .phonelint.toml, which phonelint does not follow (see SECURITY.md); replace it with the file itself",
        path.display(),
        inside.display()
    )]
    Link { path: PathBuf, inside: PathBuf },
    #[error("{}: too large to read ({size} bytes; the limit is {limit} bytes)", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{}: not a regular file", path.display())]
    NotRegular { path: PathBuf },
    #[error("{}: cannot read: {error}", path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: cannot read: not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
    /// One diagnostic per problem found in the file.
    #[error("{} problem(s) in the configuration", .0.len())]
    Invalid(Vec<ConfigDiagnostic>),
}

/// A problem in the configuration file, at a span.
#[derive(Debug)]
pub struct ConfigDiagnostic {
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}
