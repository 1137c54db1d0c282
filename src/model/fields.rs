//! Where each field of a document is, for the field a finding is on.

use crate::load::{Document, Entry};
use crate::source::Span;

/// The fields of a document's records by position, to tell the field a
/// finding is on with a binary search: a file of many records has a finding
/// or more per record, and scanning the document for each would make a
/// check quadratic in its records.
#[derive(Debug)]
pub struct FieldIndex<'d> {
    document: &'d Document,
    by_start: ByStart<'d>,
}

/// How the fields are found by their starts.
#[derive(Debug)]
enum ByStart<'d> {
    /// The fields, record after record, already start in order (as a file
    /// is most often written): where each record with fields has its first
    /// field start, and which record it is. A file of a thousand phones
    /// lists a thousand records, not fifteen thousand fields.
    InOrder(Vec<(usize, usize)>),
    /// (where the field is written, key and value; its record; its key),
    /// by start. Fields do not overlap, nor do records.
    Sorted(Vec<(Span, Span, &'d str)>),
}

/// Where a field is written, key and value.
fn written(entry: &Entry) -> Span {
    let start = entry.key_span.start.min(entry.value.span.start);
    let end = entry.key_span.end.max(entry.value.span.end);
    Span::new(start, end)
}

impl<'d> FieldIndex<'d> {
    pub fn new(document: &'d Document) -> Self {
        // Plain loops: every field of a file with findings passes here.
        let mut in_order = true;
        let mut last = 0;
        let mut firsts = Vec::with_capacity(document.records.len());
        'records: for (position, record) in document.records.iter().enumerate() {
            if let Some(first) = record.fields.first() {
                firsts.push((written(first).start, position));
            }
            for entry in &record.fields {
                let start = written(entry).start;
                if start < last {
                    in_order = false;
                    break 'records;
                }
                last = start;
            }
        }
        let by_start = if in_order {
            ByStart::InOrder(firsts)
        } else {
            let count = document
                .records
                .iter()
                .map(|record| record.fields.len())
                .sum();
            let mut fields: Vec<(Span, Span, &'d str)> = Vec::with_capacity(count);
            for record in &document.records {
                for entry in &record.fields {
                    fields.push((written(entry), record.span, &*entry.key));
                }
            }
            fields.sort_by_key(|(field, _, _)| field.start);
            ByStart::Sorted(fields)
        };
        Self { document, by_start }
    }

    /// The key of the record field whose key or value holds `span`.
    pub fn field_at(&self, span: Span) -> Option<String> {
        let holds = |outer: &Span| outer.start <= span.start && span.end <= outer.end;
        match &self.by_start {
            // The last field starting at or before the span: in the last
            // record whose first field does, the last that does.
            ByStart::InOrder(firsts) => {
                let after = firsts.partition_point(|(start, _)| *start <= span.start);
                let (_, position) = firsts.get(after.checked_sub(1)?)?;
                let record = self.document.records.get(*position)?;
                let after =
                    (record.fields).partition_point(|entry| written(entry).start <= span.start);
                let entry = record.fields.get(after.checked_sub(1)?)?;
                (holds(&written(entry)) && holds(&record.span)).then(|| entry.key.to_string())
            }
            ByStart::Sorted(fields) => {
                let after = fields.partition_point(|(field, _, _)| field.start <= span.start);
                let (field, record, key) = fields.get(after.checked_sub(1)?)?;
                (holds(field) && holds(record)).then(|| (*key).to_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Format, load_str};

    /// The index as built, and the same fields sorted whole, as every index
    /// was once: they agree on every span of the text.
    fn agree(text: &str, format: Format) -> bool {
        let document = load_str(text, format);
        let built = FieldIndex::new(&document);
        let mut fields = Vec::new();
        for record in &document.records {
            for entry in &record.fields {
                fields.push((written(entry), record.span, &*entry.key));
            }
        }
        fields.sort_by_key(|(field, _, _)| field.start);
        let sorted = FieldIndex {
            document: &document,
            by_start: ByStart::Sorted(fields),
        };
        for start in 0..=text.len() {
            for end in start..=text.len().min(start + 12) {
                let span = Span::new(start, end);
                if built.field_at(span) != sorted.field_at(span) {
                    return false;
                }
            }
        }
        true
    }

    #[test]
    fn fields_in_order_or_not_are_found_as_a_sorted_index_finds_them() {
        let in_order = "[[phones]]\nextension = \"1\"\nserver_ip = \"10.0.0.1\"\n\n[[phones]]\n\n[[phones]]\nextension = \"2\"\nlogin = \"a\"\n";
        let interleaved = "[[phones]]\nextension = \"1\"\n[[aliases]]\nalias_id = \"x\"\n[[phones]]\nextension = \"2\"\n";
        let json =
            "{\"phones\": [{\"extension\": \"1\", \"login\": \"b\"}, {}, {\"extension\": \"3\"}]}";
        assert!(agree(in_order, Format::Toml));
        assert!(agree(interleaved, Format::Toml));
        assert!(agree(json, Format::Json));
        let document = load_str(in_order, Format::Toml);
        assert!(matches!(
            FieldIndex::new(&document).by_start,
            ByStart::InOrder(_)
        ));
    }
}
