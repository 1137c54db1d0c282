//! JSON definitions, read with jsonc-parser configured for strict JSON: no
//! comments, trailing commas or other JSON5 leniencies in a `.json` file.

use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::{Document, Entry, Node, Problem, Value, document_from_entries, key_name};
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

pub(super) fn load(text: &str) -> Document {
    let parsed = match parse_to_ast(text, &CollectOptions::default(), &strict()) {
        Ok(parsed) => parsed,
        Err(error) => {
            let range = error.range();
            return Document::from_problem(Problem::Syntax {
                message: error.kind().to_string(),
                span: Span::new(range.start, range.end),
            });
        }
    };
    let mut duplicates = Vec::new();
    let mut document = match parsed.value {
        Some(ast::Value::Object(object)) => {
            document_from_entries(object_entries(object, &mut duplicates))
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

fn number(text: &str) -> Value {
    match text.parse::<i64>() {
        Ok(i) => Value::Integer(i),
        Err(_) => Value::Float(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, RecordKind, load_str};
    use super::*;

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
