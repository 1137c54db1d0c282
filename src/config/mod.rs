//! phonelint.toml: reading it, parsing with spans, the effective settings
//! and where each came from, and `phonelint config`'s description. Which
//! file applies is the workspace's to say (workspace.rs); the loader never
//! sees it.
//!
//! An unknown key, an unknown rule name or a bad value is a [`ConfigError`]
//! pointing into the file (exit code 2), never a silent default.

mod describe;
mod error;
mod file;
mod parse;
mod settings;

pub use error::{ConfigDiagnostic, ConfigError};
pub use settings::{Allow, Config, FILE_NAMES, Globs, Level, Origin, Override, RuleLevel, Setting};
