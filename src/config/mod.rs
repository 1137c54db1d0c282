//! phonelint.toml: discovery, parsing with spans, the effective settings and
//! where each came from. Loaded before discovery; the loader never sees it.
//!
//! An unknown key, an unknown rule name or a bad value is a [`ConfigError`]
//! pointing into the file (exit code 2), never a silent default.

mod describe;
mod error;
mod file;
mod parse;
mod settings;

pub use error::{ConfigDiagnostic, ConfigError};
pub use file::find;
pub use settings::{Allow, Config, FILE_NAMES, Globs, Level, Origin, Override, RuleLevel, Setting};
