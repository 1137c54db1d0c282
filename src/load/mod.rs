//! Text -> records with spans. One file per format; both produce the same
//! [`Document`], so nothing downstream knows which syntax a record came from.
//!
//! The loader knows the definition format (top-level arrays `phones`,
//! `aliases`, `servers`) and no rule. From the VICIdial tables below it takes
//! only the record kinds and the known column names, so that a key spelt as a
//! column is borrowed from the table instead of copied; it judges no value,
//! reports what it could not read as [`Problem`]s and leaves judging to the
//! rules.

mod decode;
mod depth;
mod document;
mod format;
mod json;
mod toml;

pub use decode::{decode, decode_owned};
pub use depth::{MAX_DEPTH, too_deep};
pub use document::{Document, Entry, Holds, Node, Problem, Record, TopLevelKey, Value};
pub use format::Format;

use crate::source::Span;

/// Reads UTF-8 text as a definition file. Never fails: what cannot be read
/// becomes a [`Problem`].
pub fn load_str(text: &str, format: Format) -> Document {
    if let Some(offset) = too_deep(text, format, MAX_DEPTH) {
        return Document::from_problem(Problem::TooDeep {
            offset,
            limit: MAX_DEPTH,
        });
    }
    // A byte order mark (Windows editors write one) is read as three spaces:
    // the same length, so every span still points into the file as written.
    let without_bom = text
        .strip_prefix('\u{FEFF}')
        .map(|rest| format!("   {rest}"));
    let text = without_bom.as_deref().unwrap_or(text);
    match format {
        Format::Toml => toml::load(text),
        Format::Json => json::load(text),
    }
}

/// Parses strict JSON that is not a definition (a baseline) with the
/// definitions' parser and limits: nesting deeper than [`MAX_DEPTH`] is
/// refused before parsing, a raw control character inside a string is an
/// error. Errors never quote the text.
pub fn parse_json(text: &str) -> Result<Option<jsonc_parser::ast::Value<'_>>, (String, Span)> {
    if let Some(offset) = too_deep(text, Format::Json, MAX_DEPTH) {
        return Err((
            format!("nested deeper than {MAX_DEPTH} levels"),
            Span::new(offset, offset + 1),
        ));
    }
    json::parse_strict(text)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    #[test]
    fn binary_and_invalid_utf8_are_problems() {
        assert_eq!(decode(b"a = \"\0\""), Err(Problem::Binary { offset: 5 }));
        assert_eq!(decode(b"\0GITCRYPT\0\x01\x02"), Err(Problem::GitCrypt));
        assert_eq!(decode(b"\0GITCRYP"), Err(Problem::Binary { offset: 0 }));
        assert_eq!(decode(b"a = \"\xff\""), Err(Problem::NotUtf8 { offset: 5 }));
        assert_eq!(decode("a = \"é\"".as_bytes()), Ok("a = \"é\""));
    }

    #[test]
    fn known_keys_are_borrowed_and_others_owned() {
        let doc = load_str(
            "[[phones]]\nextension = \"a\"\nExtension = \"b\"\n",
            Format::Toml,
        );
        let keys: Vec<_> = doc.records[0].fields.iter().map(|e| &e.key).collect();
        assert!(matches!(keys[0], Cow::Borrowed("extension")));
        assert!(matches!(keys[1], Cow::Owned(key) if key == "Extension"));
        let doc = load_str(r#"{"phones": [{"login": "a", "x": 1}]}"#, Format::Json);
        let keys: Vec<_> = doc.records[0].fields.iter().map(|e| &e.key).collect();
        assert!(matches!(keys[0], Cow::Borrowed("login")));
        assert!(matches!(keys[1], Cow::Owned(key) if key == "x"));
    }

    #[test]
    fn deep_nesting_is_a_problem_not_a_stack_overflow() {
        for format in [Format::Toml, Format::Json] {
            let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            let text = match format {
                Format::Toml => format!("a = {deep}\n"),
                Format::Json => format!("{{\"a\": {deep}}}"),
            };
            let doc = load_str(&text, format);
            assert!(
                matches!(
                    doc.problems.as_slice(),
                    [Problem::TooDeep {
                        limit: MAX_DEPTH,
                        ..
                    }]
                ),
                "{format:?}: {:?}",
                doc.problems
            );
        }
        let dotted = format!("{} = 1\n", vec!["a"; 100_000].join("."));
        assert!(too_deep(&dotted, Format::Toml, MAX_DEPTH).is_some());
        // Brackets and dots inside strings and comments do not count.
        let quoted = format!(
            "a = \"{}\" # {}\nb = '{}'\n",
            "[".repeat(500),
            ".".repeat(500),
            "{".repeat(500)
        );
        assert_eq!(too_deep(&quoted, Format::Toml, MAX_DEPTH), None);
        let quoted = format!("{{\"a\": \"\\\"{}\"}}", "[".repeat(500));
        assert_eq!(too_deep(&quoted, Format::Json, MAX_DEPTH), None);
        // Real definitions are far from the limit.
        let ok = "[[phones]]\nextension = \"a\"\nx = { y = [[1.5, 2.5], [3]] }\n";
        assert_eq!(too_deep(ok, Format::Toml, 8), None);
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path("a/b.TOML".as_ref()), Some(Format::Toml));
        assert_eq!(Format::from_path("b.json".as_ref()), Some(Format::Json));
        assert_eq!(Format::from_path("b.yaml".as_ref()), None);
    }
}
