//! JSON definitions, read with jsonc-parser configured for strict JSON: no
//! comments, trailing commas or other JSON5 leniencies in a `.json` file.

use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::document::{Document, Entry, Node, Problem, Value, document_from_entries, key_name};
use crate::source::Span;

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parses strict JSON (RFC 8259): what jsonc-parser accepts with every
/// leniency off, and no raw control character inside a string, which the
/// parser lets through. An error is a message that never quotes the text,
/// and where it is.
pub(crate) fn parse_strict(text: &str) -> Result<Option<ast::Value<'_>>, (String, Span)> {
    let parsed = parse_to_ast(text, &CollectOptions::default(), &strict()).map_err(|error| {
        let range = error.range();
        (error.kind().to_string(), Span::new(range.start, range.end))
    })?;
    if let Some(at) = control_in_string(text.as_bytes()) {
        let byte = text.as_bytes().get(at).copied().unwrap_or_default();
        return Err((
            format!(
                "control character U+{byte:04X} inside a string: JSON requires it escaped (as \\u{byte:04X})"
            ),
            Span::new(at, at + 1),
        ));
    }
    Ok(parsed.value)
}

/// The first raw control character (U+0000 to U+001F) inside a string of
/// text that otherwise parsed as JSON.
fn control_in_string(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    // From one string's opening quote to its closing one, a stretch between
    // escapes at a time.
    while let Some(open) = bytes.get(at..).and_then(|rest| memchr::memchr(b'"', rest)) {
        at += open + 1;
        loop {
            let rest = bytes.get(at..)?;
            let stop = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
            if let Some(control) = rest.get(..stop)?.iter().position(|&b| b < 0x20) {
                return Some(at + control);
            }
            at += stop;
            match bytes.get(at) {
                Some(b'"') => {
                    at += 1;
                    break;
                }
                // An escape: the next byte is escaped (a control character
                // there is as wrong as anywhere in the string).
                Some(_) => {
                    if bytes.get(at + 1).is_some_and(|&b| b < 0x20) {
                        return Some(at + 1);
                    }
                    at += 2;
                }
                None => return None,
            }
        }
    }
    None
}

pub(super) fn load(text: &str) -> Document {
    let parsed = match parse_strict(text) {
        Ok(parsed) => parsed,
        Err((message, span)) => return Document::from_problem(Problem::Syntax { message, span }),
    };
    let mut duplicates = Vec::new();
    let mut document = match parsed {
        Some(ast::Value::Object(object)) => {
            document_from_entries(&mut object_entries(object, &mut duplicates))
        }
        // An empty file, or a top-level array or scalar: not a definition.
        _ => Document::default(),
    };
    duplicates.sort_by_key(|problem| match problem {
        Problem::DuplicateKey { second, .. } => second.start,
        _ => 0,
    });
    document.problems.extend(duplicates);
    document
}

/// The entries of an object; a key written twice keeps its last value, as
/// JSON parsers do, and is reported in `duplicates`.
fn object_entries(object: ast::Object<'_>, duplicates: &mut Vec<Problem>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::with_capacity(object.properties.len());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for prop in object.properties {
        let (key, key_range) = match prop.name {
            ObjectPropName::String(lit) => (key_name(lit.value), lit.range),
            ObjectPropName::Word(lit) => (key_name(lit.value.into()), lit.range),
        };
        let entry = Entry {
            key_span: Span::new(key_range.start, key_range.end),
            value: node(prop.value, duplicates),
            key,
            column: None,
        };
        match seen
            .get(entry.key.as_ref())
            .and_then(|&i| entries.get_mut(i))
        {
            Some(earlier) => {
                duplicates.push(Problem::DuplicateKey {
                    key: entry.key.to_string(),
                    first: Some(earlier.key_span),
                    second: entry.key_span,
                    dropped_value: Some(earlier.value.span),
                });
                *earlier = entry;
            }
            None => {
                seen.insert(entry.key.to_string(), entries.len());
                entries.push(entry);
            }
        }
    }
    entries
}

fn node(value: ast::Value<'_>, duplicates: &mut Vec<Problem>) -> Node {
    let (value, range) = match value {
        ast::Value::StringLit(lit) => (Value::String(lit.value.into()), lit.range),
        ast::Value::NumberLit(lit) => (number(lit.value), lit.range),
        ast::Value::BooleanLit(lit) => (Value::Bool(lit.value), lit.range),
        ast::Value::NullKeyword(null) => (Value::Null, null.range),
        ast::Value::Array(array) => (
            Value::Array(
                array
                    .elements
                    .into_iter()
                    .map(|element| node(element, duplicates))
                    .collect(),
            ),
            array.range,
        ),
        ast::Value::Object(object) => {
            let range = object.range;
            (Value::Table(object_entries(object, duplicates)), range)
        }
    };
    Node {
        value,
        span: Span::new(range.start, range.end),
    }
}

pub(super) fn number(text: &str) -> Value {
    match text.parse::<i64>() {
        Ok(i) => Value::Integer(i),
        Err(_) => Value::Float(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, load_str};
    use super::*;
    use crate::vicidial::RecordKind;

    #[test]
    fn records_keep_spans_of_keys_and_values() {
        let text = r#"{"phones": [{"extension": "cc100", "active": "Y", "phone_ring_timeout": 60}],
 "servers": [{"server_id": "a"}]}"#;
        let doc = load_str(text, Format::Json);
        assert!(doc.problems.is_empty());
        assert_eq!(doc.records.len(), 2);
        let phone = &doc.records[0];
        let ext = phone.field("extension").unwrap();
        assert_eq!(&text[ext.key_span.start..ext.key_span.end], "\"extension\"");
        assert_eq!(&text[ext.value.span.start..ext.value.span.end], "\"cc100\"");
        assert_eq!(
            phone.field("phone_ring_timeout").unwrap().value.value,
            Value::Integer(60)
        );
        assert_eq!(doc.records[1].kind, RecordKind::Server);
    }

    #[test]
    fn json5_leniencies_are_syntax_errors() {
        for text in [
            "{\"phones\": [],}",
            "{// c\n\"phones\": []}",
            "{phones: []}",
            "{\"phones\": ['a']}",
        ] {
            let doc = load_str(text, Format::Json);
            assert!(
                matches!(doc.problems.as_slice(), [Problem::Syntax { .. }]),
                "{text}: {:?}",
                doc.problems
            );
        }
    }

    #[test]
    fn non_objects_are_not_definitions() {
        for text in ["", "[]", "3", "{\"name\": \"x\"}"] {
            let doc = load_str(text, Format::Json);
            assert!(!doc.is_definition, "{text}");
            assert!(doc.problems.is_empty(), "{text}");
        }
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_and_are_problems() {
        let text =
            r#"{"phones": [{"extension": "a", "pass": "x", "extension": "b"}], "phones": []}"#;
        let doc = load_str(text, Format::Json);
        let [
            Problem::DuplicateKey {
                key,
                first: Some(first),
                second,
                dropped_value: Some(value),
            },
            Problem::DuplicateKey { key: top, .. },
        ] = doc.problems.as_slice()
        else {
            panic!("{:?}", doc.problems);
        };
        assert_eq!(key, "extension");
        assert_eq!(&text[first.start..first.end], "\"extension\"");
        assert_eq!(second.start, text.rfind("\"extension\"").unwrap());
        assert_eq!(&text[value.start..value.end], "\"a\"");
        assert_eq!(top, "phones");
        // The last `phones` wins, as in every JSON parser: no records.
        assert!(doc.records.is_empty());
        let doc = load_str(
            r#"{"phones": [{"extension": "a", "extension": "b"}]}"#,
            Format::Json,
        );
        let field = doc.records[0].field("extension").unwrap();
        assert_eq!(field.value.value, Value::String("b".into()));
    }

    #[test]
    fn wrong_shapes_are_problems() {
        let doc = load_str(r#"{"phones": {"extension": "a"}}"#, Format::Json);
        assert!(matches!(
            doc.problems[0],
            Problem::SectionNotArray {
                found: "a table",
                ..
            }
        ));
        let doc = load_str(r#"{"phones": ["a"]}"#, Format::Json);
        assert!(matches!(
            doc.problems[0],
            Problem::RecordNotTable {
                found: "a string",
                ..
            }
        ));
    }
}
