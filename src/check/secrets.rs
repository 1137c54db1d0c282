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
/// not looked for as it was checked (in its text alone when those of its
/// document were kept, else in the text parsed again).
pub(super) fn find_secrets(file: SourceFile) -> SourceFile {
    if file.secrets_known() {
        return file;
    }
    if let Some(mut secrets) = file.document_secrets() {
        secrets.extend(crate::model::textual_secret_spans(&file.text));
        return file.with_secrets(secrets);
    }
    let format = load::Format::from_path(&file.path).unwrap_or(load::Format::Toml);
    let secrets = secret_spans(&load::load_str(&file.text, format), &file.text);
    file.with_secrets(secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read back finds the same secrets from the spans its document
    /// kept as from its text parsed again.
    #[test]
    fn kept_document_secrets_find_what_parsing_again_finds() {
        let texts = [
            (
                "a.toml",
                "[[phones]]\nextension = \"100\"\npass = \"Hq5Ky7Xv8K\"\nconf_secret = \"Qs8Nk6Rj7M\"\n",
            ),
            (
                "b.toml",
                "[[phones]]\nextension = \"100\"\nPassword = \"Hq5Ky7Xv8K\"\npass = \"a\"\npass = \"b\"\n",
            ),
            (
                "c.json",
                "{\"phones\": [{\"extension\": \"100\", \"p\\u0061ss\": \"Hq5Ky7Xv8K\", \"conf_secert\": \"Qs8Nk6Rj7M\"}]}",
            ),
            (
                "d.toml",
                "[[phones]]\npass = \"one1\"\nconf_secret = \"two2\"\n[[phones]]\npass = \"three3\"\n",
            ),
            (
                "e.toml",
                "[[phones]]\npass = \"unterminated\nconf_secret = 'x'\n",
            ),
            (
                "f.json",
                "{\"phones\": [{\"pass\": \"Hq5Ky7Xv8K\", \"pass\": \"Qs8Nk6Rj7M\"}]}",
            ),
        ];
        for (name, text) in texts {
            let format = load::Format::from_path(name.as_ref()).unwrap();
            let unknown =
                || SourceFile::new(name.into(), name.into(), text.into()).with_secrets_unknown();
            let document = load::load_str(text, format);
            let spans = crate::model::secret_spans(&document);
            let mut secrets = crate::source::DocumentSecrets::default();
            spans.iter().for_each(|span| secrets.push(*span));
            let kept = unknown().with_document_secrets(secrets);
            assert_eq!(
                kept.document_secrets().is_some(),
                spans.len() <= 2,
                "{name}"
            );
            let parsed_again = find_secrets(unknown());
            assert!(!parsed_again.secrets().is_empty(), "{name}");
            assert_eq!(
                find_secrets(kept).secrets(),
                parsed_again.secrets(),
                "{name}"
            );
        }
    }
}
