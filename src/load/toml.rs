//! TOML definitions, read with the `toml` crate's span-keeping `DeTable`.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Document, Entry, Node, Problem, Value, document_from_entries, key_name};
use crate::source::Span;

pub(super) fn load(text: &str) -> Document {
    // Recoverable parsing keeps every record before and after a syntax error.
    let (table, errors) = DeTable::parse_recoverable(text);
    let mut document = document_from_entries(table_entries(table.into_inner()));
    extend_record_spans(&mut document);
    for error in errors {
        let span = error.span().map_or_else(|| Span::new(0, 0), Span::from);
        document.problems.push(Problem::Syntax {
            message: error.message().trim_end().to_owned(),
            span,
        });
    }
    mark_damaged_records(&mut document);
    document
}

/// The parser spans an array-of-tables element by its `[[phones]]` header
/// only; a record runs on to its last value.
fn extend_record_spans(document: &mut Document) {
    for record in &mut document.records {
        let body_end = record.fields.iter().map(|f| f.value.span.end).max();
        record.span.end = record.span.end.max(body_end.unwrap_or(0));
    }
}

/// A record is damaged when a syntax error falls between its header and the
/// next top-level header or key: the parser may have lost some of its fields.
fn mark_damaged_records(document: &mut Document) {
    let mut boundaries: Vec<(usize, Option<usize>)> = document
        .records
        .iter()
        .enumerate()
        .map(|(i, record)| (record.span.start, Some(i)))
        .chain(document.other_keys.iter().map(|key| (key.span.start, None)))
        .collect();
    boundaries.sort_unstable();
    let errors: Vec<usize> = document
        .problems
        .iter()
        .filter_map(|problem| match problem {
            Problem::Syntax { span, .. } => Some(span.start),
            _ => None,
        })
        .collect();
    for error in errors {
        let owner = boundaries.partition_point(|(start, _)| *start <= error);
        if let Some((_, Some(record))) = owner.checked_sub(1).and_then(|i| boundaries.get(i))
            && let Some(record) = document.records.get_mut(*record)
        {
            record.damaged = true;
        }
    }
}

fn table_entries(table: DeTable<'_>) -> Vec<Entry> {
    table
        .into_iter()
        .map(|(key, value)| {
            let key_span = Span::from(key.span());
            Entry {
                key: key_name(key.into_inner()),
                key_span,
                value: node(value),
            }
        })
        .collect()
}

fn node(value: Spanned<DeValue<'_>>) -> Node {
    let span = Span::from(value.span());
    let value = match value.into_inner() {
        DeValue::String(s) => Value::String(s.into_owned()),
        DeValue::Integer(i) => integer(i.as_str(), i.radix()),
        DeValue::Float(f) => Value::Float(f.as_str().to_owned()),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(items) => Value::Array(items.into_iter().map(node).collect()),
        DeValue::Table(table) => Value::Table(table_entries(table)),
    };
    Node { value, span }
}

/// TOML integers are i64 by the spec; the parser hands over the digits in a
/// `from_str_radix` form (no prefix, no underscores).
fn integer(digits: &str, radix: u32) -> Value {
    match i64::from_str_radix(digits, radix) {
        Ok(i) => Value::Integer(i),
        // Out of range for TOML itself: keep the text so the rules can say so.
        Err(_) => Value::Float(digits.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, RecordKind, load_str};
    use super::*;

    #[test]
    fn records_keep_spans_of_keys_and_values() {
        let text = "[[phones]]\nextension = \"cc100\"\nactive = true\n\n[[phones]]\nextension = \"cc101\"\n";
        let doc = load_str(text, Format::Toml);
        assert!(doc.is_definition);
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        assert_eq!(doc.records.len(), 2);
        let first = &doc.records[0];
        assert_eq!(first.kind, RecordKind::Phone);
        let ext = first.field("extension").unwrap();
        assert_eq!(&text[ext.key_span.start..ext.key_span.end], "extension");
        assert_eq!(&text[ext.value.span.start..ext.value.span.end], "\"cc100\"");
        assert_eq!(
            first.field("active").unwrap().value.value,
            Value::Bool(true)
        );
        assert_eq!(
            &text[first.span.start..first.span.end],
            "[[phones]]\nextension = \"cc100\"\nactive = true"
        );
    }

    #[test]
    fn a_syntax_error_keeps_the_other_records() {
        let text = "[[phones]]\nextension = \"a\"\n\n[[phones]]\nextension = \n\n[[phones]]\nextension = \"c\"\n";
        let doc = load_str(text, Format::Toml);
        assert!(matches!(doc.problems[0], Problem::Syntax { .. }));
        assert!(doc.records[1].damaged);
        let intact: Vec<_> = doc.records.iter().filter(|r| !r.damaged).collect();
        assert_eq!(intact.len(), 2);
        assert!(
            intact
                .iter()
                .any(|r| r.field("extension").unwrap().value.value == Value::String("c".into()))
        );
        assert!(
            intact
                .iter()
                .any(|r| r.field("extension").unwrap().value.value == Value::String("a".into()))
        );
    }

    #[test]
    fn integers_in_every_radix() {
        let doc = load_str(
            "[[phones]]\na = 0x1F\nb = 1_000\nc = 99999999999999999999\n",
            Format::Toml,
        );
        let record = &doc.records[0];
        assert_eq!(record.field("a").unwrap().value.value, Value::Integer(31));
        assert_eq!(record.field("b").unwrap().value.value, Value::Integer(1000));
        assert!(!doc.problems.is_empty() || record.field("c").is_some());
    }

    #[test]
    fn non_definition_files_are_recognised() {
        let doc = load_str("[package]\nname = \"x\"\n", Format::Toml);
        assert!(!doc.is_definition);
        assert_eq!(doc.other_keys[0].key, "package");
    }
}
