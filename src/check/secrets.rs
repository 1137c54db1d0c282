//! Where a file's secrets are: found as the file is loaded, or, for a file
//! read only for the rules across files, when a finding shows it.

use crate::load::{self, Document};
use crate::source::{SourceFile, Span};

/// The spans of the secrets of a text and of its document (see
/// [`crate::model::secret_spans`], [`crate::model::textual_secret_spans`]).
pub(super) fn secret_spans(document: &Document, text: &str) -> Vec<Span> {
    let mut secrets = crate::model::secret_spans(document);
    secrets.extend(crate::model::textual_secret_spans(text));
    secrets
}

/// A file read back whole with its secrets marked: found now when they were
/// not looked for as it was checked.
pub(super) fn find_secrets(file: SourceFile) -> SourceFile {
    if file.secrets_known() {
        return file;
    }
    let format = load::Format::from_path(&file.path).unwrap_or(load::Format::Toml);
    let secrets = secret_spans(&load::load_str(&file.text, format), &file.text);
    file.with_secrets(secrets)
}
