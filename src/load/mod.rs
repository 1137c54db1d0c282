//! Text -> records with spans. One file per format, and for each a reader
//! of its plain form (`toml_plain.rs`, `json_plain.rs`: what nearly every
//! definition is written in, read in one pass, handing anything else to the
//! crates); all produce the same [`Document`], so nothing downstream knows
//! which syntax or reader a record came from.
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
mod json_plain;
mod toml;
mod toml_plain;

pub use decode::{decode, decode_owned};
pub use depth::{MAX_DEPTH, too_deep};
pub use document::{Document, Entry, Holds, Node, Problem, Record, TopLevelKey, Value};
pub use format::Format;

use crate::source::Span;

/// The fields the plain readers size a file's first record for (a phone
/// written out in full has about 16); each later record is sized for as
/// many as the one before it had, since the records of a file are mostly
/// alike. Growing from none took three allocations a record (1% of the
/// instructions of a check of one-phone files); sized after the one
/// before, records that are empty or nearly so take no more room than
/// they did, past the first.
const FIELDS: usize = 16;

/// Reads UTF-8 text as a definition file. Never fails: what cannot be read
/// becomes a [`Problem`].
pub fn load_str(text: &str, format: Format) -> Document {
    // Plain text (nearly every definition) is read directly; it nests far
    // less than the limit.
    load_str_plain(text, format).unwrap_or_else(|| load_str_by_the_crates(text, format))
}

/// The plain reader's document for `text`, as [`load_str`] reads it, or
/// `None` where it gives up. Public for the fuzz targets (fuzz/) and
/// [`crate::invariants`], not an interface.
#[doc(hidden)]
pub fn load_str_plain(text: &str, format: Format) -> Option<Document> {
    let text = bom_as_spaces(text);
    let text = text.as_ref();
    match format {
        Format::Toml => toml::load_plain(text),
        Format::Json => json_plain::load(text),
    }
}

/// The document of the crates' reading alone, without the plain readers:
/// what those must match. Public for the fuzz targets, not an interface.
#[doc(hidden)]
pub fn load_str_by_the_crates(text: &str, format: Format) -> Document {
    if let Some(offset) = too_deep(text, format, MAX_DEPTH) {
        return Document::from_problem(Problem::TooDeep {
            offset,
            limit: MAX_DEPTH,
        });
    }
    let text = bom_as_spaces(text);
    let text = text.as_ref();
    match format {
        Format::Toml => toml::load(text),
        Format::Json => json::load(text),
    }
}

/// A byte order mark (Windows editors write one) read as three spaces: the
/// same length, so every span still points into the file as written.
fn bom_as_spaces(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => format!("   {rest}").into(),
        None => text.into(),
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

    /// A key that repeats the record before's keys is still found written
    /// twice, in a table read between a table's keys too.
    #[test]
    fn a_key_written_twice_after_the_keys_of_the_record_before_is_found() {
        let toml = "[[phones]]\nextension = \"a\"\nlogin = \"b\"\n\
                    [[phones]]\nextension = \"c\"\nlogin = \"d\"\nextension = \"e\"\n";
        let json = r#"{"phones": [{"extension": "a", "login": "b"},
            {"extension": "c", "login": "d", "extension": "e"}]}"#;
        let inside = r#"{"phones": [{"extension": "a", "login": "b"},
            {"extension": "c", "login": {"pass": 1, "status": 2, "extension": 3},
             "extension": "e"}]}"#;
        for (text, format) in [
            (toml, Format::Toml),
            (json, Format::Json),
            (inside, Format::Json),
        ] {
            let document = load_str(text, format);
            let twice = |problem: &Problem| matches!(problem, Problem::DuplicateKey { key, .. } if key == "extension");
            assert!(document.problems.iter().any(twice), "{text}");
        }
    }

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

    /// The plain readers give exactly the crates' document for every text
    /// they accept: the fixtures, hand-written edge cases, and thousands of
    /// mutants of both (a byte removed, doubled or replaced by one that
    /// matters to a reader).
    #[test]
    fn plain_readers_read_as_the_crates_do() {
        let mut texts: Vec<(Format, String)> = [
            "[[phones]]\nextension = \"cc1\" # x\nactive = true\nn = -5\nz = 0\n\
             list = [\"a\", \"b\",]\nempty = []\ns = \"\"\nt = \"tab\there é\"\n\n\
             [[servers]]\nserver_id = \"s\"\n  [[phones]]\r\nextension=\"cc2\"#c\r\n",
            "# only a comment\n\n",
            "",
            "[[aliases]]\nlogins_list = [ \"a\" , \"b\" ]\nalias_id = \"x\"\n[[aliases]]\n",
            "\u{FEFF}[[phones]]\nx = 1\n",
            "[[phones]]\nx = 1\nx = 2\n",
            "[[phones]]\nx = 01\n",
            "[[phones]]\nx = +1\n",
            "[[phones]]\nx = 1.5\n",
            "[[phones]]\nx = \"\"\"a\"\"\"\n",
            "[[phones]]\nx = \"a\\\"b\"\n",
            "[[phones]]\nx = 'a'\n",
            "[[phones]]\na.b = 1\n",
            "[[phones]]\n\"a\" = 1\n",
            "x = 1\n[[phones]]\n",
            "[phones]\nx = 1\n",
            "[[Phones]]\nx = 1\n",
            "[[phones]]\nx = truex\n",
            "[[phones]]\nx = 99999999999999999999\n",
            "[[phones]]\nx = \"a\u{1}\"\n",
            "[[phones]]\nx = 1 # \u{1}\n",
            "[[phones]]\nx = 1\rx = 2\n",
            // Edges the fuzz targets probe: C1 controls, separators and
            // noncharacters in strings and comments, the ends of i64,
            // comments right after a value or header, odd bare keys.
            "[[phones]] # c\n- = -0\n_ = \"\u{85}\u{2028}\u{ffff}\" # \u{85}\ntrue = true#c\n",
            "[[phones]]\nx = -9223372036854775808\ny = 9223372036854775807\n",
            "[[phones]]\nx = 9223372036854775808\n",
            "[[phones]]\nx = [\t\"a\"\t,\t]\ny = [ ]\n",
        ]
        .into_iter()
        .map(|text| (Format::Toml, text.to_owned()))
        .collect();
        texts.extend(
            [
                r#"{"phones": [{"extension": "cc1", "active": "Y", "n": -5, "f": 1.5e3,
                   "z": 0, "b": true, "x": null, "o": {"a": [1, {}], "b": []}}],
                   "servers": [], "other": "é"}"#,
                " { } ",
                "{\"phones\": [{\"a\": 1, \"a\": 2}]}",
                "{\"phones\": [{\"a\": \"x\\ny\"}]}",
                "{\"phones\": [{\"a\": 01}]}",
                "{\"phones\": [{\"a\": 1.}]}",
                "{\"phones\": [{\"a\": .5}]}",
                "{\"phones\": [{\"a\": -}]}",
                "{\"phones\": [{\"a\": truex}]}",
                "{\"phones\": [1,]}",
                "{\"phones\": [{\"a\": \"\u{1}\"}]}",
                "{\"phones\": []} x",
                "[]",
                "\u{FEFF}{\"phones\": []}",
                "{\"phones\": [{\"a\": 99999999999999999999}]}",
                "{\"phones\":[{\"a\":\"\u{7f}\u{85}\u{2028}\", \"\": -0, \"c\": 1e400}]}",
                "{\"a\": -9223372036854775808, \"b\": 9223372036854775808, \"c\": -0.0e-0}",
            ]
            .into_iter()
            .map(|text| (Format::Json, text.to_owned())),
        );
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Some(format) = Format::from_path(&path)
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    texts.push((format, text));
                }
            }
        }
        let same = |format: Format, text: &str| {
            let plain = load_str_plain(text, format).map(|document| format!("{document:?}"));
            if let Some(plain) = &plain {
                let crates = format!("{:?}", load_str_by_the_crates(text, format));
                assert_eq!(plain, &crates, "{format:?} {text:?}");
            }
            plain.is_some()
        };
        let mut accepted = 0;
        for (format, text) in &texts {
            accepted += usize::from(same(*format, text));
        }
        assert!(accepted > texts.len() / 2, "{accepted} of {}", texts.len());
        // Mutants: at spread positions, a byte removed, doubled, or replaced.
        let replacements: &[&str] = &[
            "", "\"", "'", "\\", "#", "=", "[", "]", "{", "}", ",", ":", ".", "-", "+", "0", "\n",
            "\r", "\t", " ", "\u{1}", "é", "true", "x",
        ];
        let mut mutants = 0;
        let mut seed: u64 = 7;
        for (format, text) in &texts {
            let length = text.len().min(4000);
            for _ in 0..40 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let at = usize::try_from(seed >> 33).unwrap() % (length + 1);
                let Some(at) = (0..=at).rev().find(|&at| text.is_char_boundary(at)) else {
                    continue;
                };
                let next = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                let pick = usize::try_from(seed >> 13).unwrap() % replacements.len();
                for (start, end, with) in [
                    (at, next, replacements[pick]),
                    (at, at, replacements[pick]),
                    (at, next, ""),
                ] {
                    let mutant = format!("{}{with}{}", &text[..start], &text[end..]);
                    mutants += usize::from(same(*format, &mutant));
                }
            }
        }
        assert!(mutants > 1000, "{mutants} mutants read plainly");
    }
}
