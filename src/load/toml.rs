//! TOML definitions, read with the `toml` crate's span-keeping `DeTable`.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::document::{Document, Entry, Node, Problem, Value, document_from_entries, key_name};
use crate::source::Span;

/// [`super::toml_plain`]'s reading, when the text is plain TOML.
pub(super) fn load_plain(text: &str) -> Option<Document> {
    let mut document = super::toml_plain::load(text)?;
    extend_record_spans(&mut document);
    Some(document)
}

pub(super) fn load(text: &str) -> Document {
    // Recoverable parsing keeps every record before and after a syntax error.
    let (table, errors) = DeTable::parse_recoverable(text);
    let mut document = document_from_entries(&mut table_entries(table.into_inner()));
    extend_record_spans(&mut document);
    // Built once, at the first duplicate key: each looks up its first
    // occurrence in it.
    let mut keys: Option<KeySpans> = None;
    let mut line: Option<LineEnd> = None;
    let mut problems = Vec::new();
    for error in errors {
        let span = error.span().map_or_else(|| Span::new(0, 0), Span::from);
        let message = error.message().trim_end();
        let problem = if message == "duplicate key" {
            let keys = keys.get_or_insert_with(|| KeySpans::of(&document));
            duplicate_key(text, keys, &mut line, span)
        } else {
            Problem::Syntax {
                message: message.to_owned(),
                span,
            }
        };
        problems.push(problem);
    }
    drop(keys);
    document.problems.extend(problems);
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

/// Where every key of a document is written, by name, in source order.
struct KeySpans<'d> {
    by_name: std::collections::HashMap<&'d str, Vec<Span>>,
}

impl<'d> KeySpans<'d> {
    fn of(document: &'d Document) -> Self {
        let mut by_name: std::collections::HashMap<&'d str, Vec<Span>> =
            std::collections::HashMap::new();
        for top in document.section_keys.iter().chain(&document.other_keys) {
            by_name.entry(&top.key).or_default().push(top.span);
        }
        let mut stack: Vec<&Entry> = document.records.iter().flat_map(|r| &r.fields).collect();
        while let Some(entry) = stack.pop() {
            by_name.entry(&entry.key).or_default().push(entry.key_span);
            match &entry.value.value {
                Value::Table(fields) => stack.extend(fields),
                Value::Array(items) => {
                    for item in items {
                        if let Value::Table(fields) = &item.value {
                            stack.extend(fields);
                        }
                    }
                }
                _ => {}
            }
        }
        for spans in by_name.values_mut() {
            spans.sort_unstable();
        }
        Self { by_name }
    }

    /// The last key named `key` written before `before`.
    fn last_before(&self, key: &str, before: usize) -> Option<Span> {
        let spans = self.by_name.get(key)?;
        let after = spans.partition_point(|span| span.start < before);
        spans.get(after.checked_sub(1)?).copied()
    }
}

/// The parser reports a duplicate key at the second occurrence and keeps the
/// first: find the first, the nearest earlier key of the same name.
fn duplicate_key(
    text: &str,
    keys: &KeySpans<'_>,
    line: &mut Option<LineEnd>,
    second: Span,
) -> Problem {
    let written = text.get(second.start..second.end).unwrap_or_default();
    let decoded = decode_key(written);
    let key = decoded.as_deref().unwrap_or_else(|| unquote(written));
    Problem::DuplicateKey {
        key: key.to_owned(),
        first: keys.last_before(key, second.start),
        second,
        dropped_value: value_after(text, second.end, line),
    }
}

/// The end of the line last searched for a dropped value, found once for
/// all the duplicates on it (an inline table may write a key thousands of
/// times on one line): `text[from..end]` holds no line break.
#[derive(Clone, Copy)]
struct LineEnd {
    from: usize,
    /// Without the line's trailing blanks.
    end: usize,
}

/// The parser dropped the duplicate's value: take the rest of the line after
/// `=` (enough to mask a secret written on one line).
fn value_after(text: &str, key_end: usize, line: &mut Option<LineEnd>) -> Option<Span> {
    let end = match *line {
        Some(LineEnd { from, end }) if from <= key_end && key_end <= end => end,
        _ => {
            let rest = text.get(key_end..)?;
            let line_end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
            let end = key_end + rest.get(..line_end)?.trim_end().len();
            *line = Some(LineEnd { from: key_end, end });
            end
        }
    };
    let rest = text.get(key_end..end)?;
    let equals = rest.find('=')?;
    let after = rest.get(equals + 1..)?;
    let value = after.trim_start();
    if value.is_empty() {
        return None;
    }
    Some(Span::new(end - value.len(), end))
}

/// A quoted key as TOML reads it, escapes decoded (`"p\u0061ss"` is
/// `pass`), by the parser itself; `None` for a key that is not one quoted
/// key.
fn decode_key(written: &str) -> Option<String> {
    let written = written.trim();
    if !written.starts_with('"') || !written.contains('\\') || written.contains('\n') {
        return None;
    }
    let line = format!("{written} = 0");
    let (table, errors) = DeTable::parse_recoverable(&line);
    if !errors.is_empty() {
        return None;
    }
    let mut keys = table
        .into_inner()
        .into_iter()
        .map(|(key, _)| key.into_inner());
    match (keys.next(), keys.next()) {
        (Some(key), None) => Some(key.into_owned()),
        _ => None,
    }
}

/// A key as written, without its quotes (a quoted key with escapes is read
/// by [`decode_key`]).
fn unquote(written: &str) -> &str {
    let trimmed = written.trim();
    trimmed
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| {
            trimmed
                .strip_prefix('\'')
                .and_then(|k| k.strip_suffix('\''))
        })
        .unwrap_or(trimmed)
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
            // TOML forbids duplicate keys and which value the parser kept is
            // arbitrary: the record is not judged.
            Problem::Syntax { span, .. } | Problem::DuplicateKey { second: span, .. } => {
                Some(span.start)
            }
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
                column: None,
            }
        })
        .collect()
}

fn node(value: Spanned<DeValue<'_>>) -> Node {
    let span = Span::from(value.span());
    let value = match value.into_inner() {
        DeValue::String(s) => Value::String(s.into()),
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
    use super::super::{Format, load_str};
    use super::*;
    use crate::vicidial::RecordKind;

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
    fn duplicate_keys_point_at_both() {
        let text = "[[phones]]\nextension = \"a\"\npass = \"x\"\n\"extension\" = \"b\"\n";
        let doc = load_str(text, Format::Toml);
        let [
            Problem::DuplicateKey {
                key,
                first: Some(first),
                second,
                dropped_value: Some(value),
            },
        ] = doc.problems.as_slice()
        else {
            panic!("{:?}", doc.problems);
        };
        assert_eq!(&text[value.start..value.end], "\"b\"");
        assert_eq!(key, "extension");
        assert_eq!(&text[first.start..first.end], "extension");
        assert_eq!(&text[second.start..second.end], "\"extension\"");
        assert!(doc.records[0].damaged);
        // A key written with an escape is the key it decodes to.
        let text = "[[phones]]\npass = \"a\"\n\"p\\u0061ss\" = \"b\"\n";
        let doc = load_str(text, Format::Toml);
        let [
            Problem::DuplicateKey {
                key,
                first: Some(first),
                dropped_value: Some(value),
                ..
            },
        ] = doc.problems.as_slice()
        else {
            panic!("{:?}", doc.problems);
        };
        assert_eq!(key, "pass");
        assert_eq!(&text[first.start..first.end], "pass");
        assert_eq!(&text[value.start..value.end], "\"b\"");
        let text = "phones = []\nphones = []\n";
        let doc = load_str(text, Format::Toml);
        assert!(matches!(
            doc.problems.as_slice(),
            [Problem::DuplicateKey {
                first: Some(Span { start: 0, end: 6 }),
                ..
            }]
        ));
    }

    /// Keys written many times on one line (an inline table): each dropped
    /// value runs to the end of the line, the line searched once for all.
    #[test]
    fn duplicates_on_one_line_each_drop_the_rest_of_it() {
        let text = "[[phones]]\nx = {pass = \"a\", pass = \"b\", pass= 'c'}  \r\ny = 1\n";
        let doc = load_str(text, Format::Toml);
        let dropped: Vec<&str> = doc
            .problems
            .iter()
            .map(|problem| match problem {
                Problem::DuplicateKey {
                    dropped_value: Some(value),
                    ..
                } => &text[value.start..value.end],
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(dropped, ["\"b\", pass= 'c'}", "'c'}"]);
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
