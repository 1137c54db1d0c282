//! What of a loaded document lives on after its own rules ran: the columns
//! the rules across files read, and where each field is (for the field a
//! finding is on).

use crate::load::Document;
use crate::source::Span;

/// The columns the rules across files read (through [`RecordView`]). Once a
/// file's own rules have run, its records keep only these fields: the rest
/// of a record is most of a check's memory and nothing after needs it. A
/// rule across files that reads another column fails the tests (a debug
/// assertion in [`RecordView::entry`]).
pub const CROSS_FILE_COLUMNS: [&str; 20] = [
    "extension",
    "server_ip",
    "login",
    "pass",
    "status",
    "active",
    "protocol",
    "dialplan_number",
    "voicemail_id",
    "email",
    "alias_id",
    "logins_list",
    "server_id",
    "active_agent_login_server",
    "active_asterisk_server",
    "generate_vicidial_conf",
    "fullname",
    "delete_vm_after_email",
    "voicemail_timezone",
    "voicemail_options",
];

/// Keeps only the [`CROSS_FILE_COLUMNS`] of every record of `document`, and
/// none of what only the file's own rules read (its problems and top-level
/// keys).
pub fn keep_cross_file_columns(document: &mut Document) {
    document.problems = Vec::new();
    document.other_keys = Vec::new();
    document.section_keys = Vec::new();
    for record in &mut document.records {
        record
            .fields
            .retain(|entry| CROSS_FILE_COLUMNS.contains(&&*entry.key));
        record.fields.shrink_to_fit();
        record.pruned = true;
    }
}

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
        let mut fields: Vec<_> = document
            .records
            .iter()
            .flat_map(|record| {
                record.fields.iter().map(move |entry| {
                    let start = entry.key_span.start.min(entry.value.span.start);
                    let end = entry.key_span.end.max(entry.value.span.end);
                    (Span::new(start, end), record.span, &*entry.key)
                })
            })
            .collect();
        fields.sort_by_key(|(field, _, _)| field.start);
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
