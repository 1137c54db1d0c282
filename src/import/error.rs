//! Why an import failed.

use std::path::PathBuf;

/// Why an import failed. Shown on stderr; exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{} already exist{} (use --force to overwrite): {}",
        if .0.len() == 1 { "a file" } else { "files" },
        if .0.len() == 1 { "s" } else { "" },
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    Exists(Vec<PathBuf>),
}

impl ImportError {
    /// A syntax error at a byte offset of `text`, with a 1-based line and
    /// character column.
    pub fn syntax(text: &str, at: usize, message: impl Into<String>) -> Self {
        let before = text.get(..at).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
        ImportError::Syntax {
            line: before.matches('\n').count() + 1,
            column,
            message: message.into(),
        }
    }
}

/// What an export with bytes that are not UTF-8 inside a value is told.
pub(super) const NOT_UTF8: &str =
    "text that is not UTF-8 (export with --default-character-set=utf8mb4)";
