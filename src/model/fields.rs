//! Where each field of a document is, for the field a finding is on.

use crate::load::Document;
use crate::source::Span;

/// The fields of a document's records by position, to tell the field a
/// finding is on with a binary search: a file of many records has a finding
/// or more per record, and scanning the document for each would make a
/// check quadratic in its records.
#[derive(Debug)]
pub struct FieldIndex<'d> {
    /// (where the field is written, key and value; its record; its key),
    /// by start. Fields do not overlap, nor do records.
    fields: Vec<(Span, Span, &'d str)>,
}

impl<'d> FieldIndex<'d> {
    pub fn new(document: &'d Document) -> Self {
        // Sized once and filled by plain loops: every field of a file with
        // findings passes here.
        let count = document
            .records
            .iter()
            .map(|record| record.fields.len())
            .sum();
        let mut fields: Vec<(Span, Span, &'d str)> = Vec::with_capacity(count);
        for record in &document.records {
            for entry in &record.fields {
                let start = entry.key_span.start.min(entry.value.span.start);
                let end = entry.key_span.end.max(entry.value.span.end);
                fields.push((Span::new(start, end), record.span, &*entry.key));
            }
        }
        // Most often written in order already: a look is cheaper than a sort.
        if !fields.is_sorted_by_key(|(field, _, _)| field.start) {
            fields.sort_by_key(|(field, _, _)| field.start);
        }
        Self { fields }
    }

    /// The key of the record field whose key or value holds `span`.
    pub fn field_at(&self, span: Span) -> Option<String> {
        let after = self
            .fields
            .partition_point(|(field, _, _)| field.start <= span.start);
        let (field, record, key) = self.fields.get(after.checked_sub(1)?)?;
        let holds = |outer: &Span| outer.start <= span.start && span.end <= outer.end;
        (holds(field) && holds(record)).then(|| (*key).to_owned())
    }
}
