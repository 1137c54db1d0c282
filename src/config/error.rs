//! What is wrong with a configuration, as data: the report renders it.

use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// Why a configuration could not be used (exit code 2).
#[derive(Debug)]
pub enum ConfigError {
    Io(String),
    /// One diagnostic per problem found in the file.
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
