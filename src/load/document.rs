//! What a definition file holds once loaded: records of fields with the
//! spans they were written at, and what could not be read.

use std::borrow::Cow;

use compact_str::CompactString;

use crate::source::Span;
use crate::vicidial::{Column, RecordKind, column};

/// A value as written in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(CompactString),
    Integer(i64),
    /// A float, kept as written (`-5.0`), since VICIdial columns hold text.
    Float(String),
    Bool(bool),
    /// JSON `null` (TOML has none).
    Null,
    /// A TOML date or time, as written.
    Datetime(String),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

impl Value {
    /// What kind of value this is, for messages ("expected a string, found an integer").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Datetime(_) => "a date-time",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A value and the bytes it was written with.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A key, where the key was written, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Borrowed from the column table when it is a known name (most keys):
    /// one allocation less per field.
    pub key: Cow<'static, str>,
    pub key_span: Span,
    pub value: Node,
    /// The key's column, set when the entry is a field of a record (`None`
    /// for a key that is none, and in nested tables): rules and the stages
    /// after them ask for a record's columns several times each.
    pub column: Option<&'static Column>,
}

/// One element of a `phones`, `aliases` or `servers` array.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: RecordKind,
    /// The whole record: the TOML table (header included) or the JSON object.
    pub span: Span,
    pub fields: Vec<Entry>,
    /// A syntax error fell inside this record: its fields may be incomplete, so
    /// rules should not judge it (the error itself is reported).
    pub damaged: bool,
}

impl Record {
    /// The field named `name`. Were it written twice (a `duplicate-key`
    /// error), the last, as a JSON parser reads it.
    pub fn field(&self, name: &str) -> Option<&Entry> {
        self.fields
            .iter()
            .rev()
            .find(|entry| same_key(&entry.key, name))
    }
}

/// Whether two keys are the same. Rules ask for fields by name many times a
/// record: keys are short, compared without a call (see
/// [`crate::text::bytes::same_short`]).
fn same_key(a: &str, b: &str) -> bool {
    crate::text::bytes::same_short(a.as_bytes(), b.as_bytes())
}

/// Whether two entries' keys are one name borrowed from the known names
/// (see [`key_name`]): the same name is the same string there.
fn same_name(a: &Entry, b: &Entry) -> bool {
    match (&a.key, &b.key) {
        (Cow::Borrowed(a), Cow::Borrowed(b)) => std::ptr::eq(*a, *b),
        _ => false,
    }
}

/// What the loader could not turn into records.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The file is not valid TOML/JSON at `span`.
    Syntax { message: String, span: Span },
    /// The file is not UTF-8; `offset` is the first invalid byte.
    NotUtf8 { offset: usize },
    /// The file holds NUL bytes: binary content, not a definition.
    Binary { offset: usize },
    /// The file starts with git-crypt's header: encrypted in a checkout that
    /// is not unlocked.
    GitCrypt,
    /// The file is larger than [`crate::files::read::MAX_FILE_SIZE`]: not read at all.
    TooLarge { size: u64, limit: u64 },
    /// Arrays/tables nest deeper than [`MAX_DEPTH`] at `offset`: not parsed,
    /// so a hostile file cannot exhaust the stack.
    TooDeep { offset: usize, limit: usize },
    /// A `phones`/`aliases`/`servers` key whose value is not an array.
    SectionNotArray {
        kind: RecordKind,
        span: Span,
        found: &'static str,
    },
    /// An element of a record array that is not a table/object.
    RecordNotTable {
        kind: RecordKind,
        span: Span,
        found: &'static str,
    },
    /// A key written twice in one table/object. JSON parsers keep the last
    /// value (and so does the loader); TOML forbids it and the parser keeps
    /// the first. `first` is the earlier key, when it could be found.
    DuplicateKey {
        key: String,
        first: Option<Span>,
        second: Span,
        /// The value of the occurrence the loader dropped (JSON: the first;
        /// TOML: the second, to the end of its line): still masked if secret.
        dropped_value: Option<Span>,
    },
}

/// A top-level key other than the three record arrays.
#[derive(Debug, Clone, PartialEq)]
pub struct TopLevelKey {
    /// Borrowed when it is a known name (every section key): no allocation
    /// for the one key nearly every file has.
    pub key: Cow<'static, str>,
    pub span: Span,
    /// What its value holds: records, or another program's setting that
    /// happens to share a name with a record array (`server = "db1"`).
    /// Not asked of a record array's own key (`Other`).
    pub holds: Holds,
}

/// The shape of a top-level key's value, as far as telling a misspelt
/// record array from something else goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// An array with a table that looks like a record (see
    /// [`looks_like_a_record`]).
    Records,
    /// Any other array (empty included).
    Array,
    /// A single table that looks like a record.
    Record,
    /// Anything else.
    Other,
}

impl Holds {
    fn of(value: &Value) -> Self {
        match value {
            Value::Array(items) => {
                let records = items.iter().any(|item| match &item.value {
                    Value::Table(fields) => looks_like_a_record(fields),
                    _ => false,
                });
                if records {
                    Holds::Records
                } else {
                    Holds::Array
                }
            }
            Value::Table(fields) if looks_like_a_record(fields) => Holds::Record,
            _ => Holds::Other,
        }
    }

    /// Records, one or several.
    pub fn records(self) -> bool {
        matches!(self, Holds::Records | Holds::Record)
    }

    pub fn is_array(self) -> bool {
        matches!(self, Holds::Records | Holds::Array)
    }
}

/// A table looks like a VICIdial record when at least half of its keys are
/// columns of some record kind (in any case), and one of them names a record
/// (`extension`, `server_ip`, `alias_id`, `server_id`) or three at least are
/// columns: `{host = "db1", port = 5432}` or `{protocol = "https", active =
/// true}` do not, a phone with its `extension` misspelt still does.
fn looks_like_a_record(fields: &[Entry]) -> bool {
    let mut columns = 0;
    let mut identified = false;
    for field in fields {
        if crate::vicidial::is_column_ignoring_case(&field.key) {
            columns += 1;
            identified |= crate::vicidial::IDENTIFYING_COLUMNS
                .iter()
                .any(|name| name.eq_ignore_ascii_case(&field.key));
        }
    }
    columns > 0 && 2 * columns >= fields.len() && (identified || columns >= 3)
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Document {
    /// The top level holds at least one of `phones`, `aliases`, `servers`.
    pub is_definition: bool,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Top-level keys besides the record arrays (in source order).
    pub other_keys: Vec<TopLevelKey>,
    /// The record arrays' own keys (`phones`, `[[phones]]`), in source order.
    pub section_keys: Vec<TopLevelKey>,
}

impl Document {
    /// A document that is only a problem: unreadable content in a .toml/.json
    /// file is reported, never skipped.
    pub fn from_problem(problem: Problem) -> Self {
        Document {
            is_definition: true,
            problems: vec![problem],
            ..Document::default()
        }
    }

    /// Lets go of the document, its records' field lists kept for the next
    /// files read on this thread (see [`SpareFields`]).
    pub fn recycle(self) {
        let mut spare = SpareFields::take();
        for record in self.records {
            spare.give_back(record.fields);
        }
    }
}

/// Field lists a thread has finished with, emptied: a record's list of a
/// dozen fields or more is too large for the allocator's per-thread cache,
/// and one allocated and freed for every record cost more than reading its
/// fields. Taken by a reader for a file, given back when it is done.
pub(super) struct SpareFields(Vec<Vec<Entry>>);

/// At most this many lists are kept, of room for at most [`MAX_SPARE_ROOM`]
/// fields each: a packed file's records and one record's many fields are
/// not held past their file.
const MAX_SPARE_LISTS: usize = 64;
const MAX_SPARE_ROOM: usize = 64;

thread_local! {
    static THREAD_SPARE_FIELDS: std::cell::Cell<Vec<Vec<Entry>>> =
        const { std::cell::Cell::new(Vec::new()) };
}

impl SpareFields {
    pub(super) fn take() -> Self {
        SpareFields(
            THREAD_SPARE_FIELDS
                .try_with(std::cell::Cell::take)
                .unwrap_or_default(),
        )
    }

    /// An empty list for a table's entries, with room for `room`.
    pub(super) fn list(&mut self, room: usize) -> Vec<Entry> {
        let mut fields = self.0.pop().unwrap_or_default();
        fields.reserve_exact(room);
        fields
    }

    pub(super) fn give_back(&mut self, mut fields: Vec<Entry>) {
        if self.0.len() < MAX_SPARE_LISTS && fields.capacity() <= MAX_SPARE_ROOM {
            fields.clear();
            self.0.push(fields);
        }
    }
}

impl Drop for SpareFields {
    fn drop(&mut self) {
        let spare = std::mem::take(&mut self.0);
        // Gone only as the thread ends: nothing is lost then.
        let _ = THREAD_SPARE_FIELDS.try_with(|cell| cell.set(spare));
    }
}

/// A key as stored in an [`Entry`]: a column or section name is borrowed
/// from the static tables, any other key is owned.
pub(super) fn key_name(key: Cow<'_, str>) -> Cow<'static, str> {
    match crate::vicidial::known_name(&key) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(key.into_owned()),
    }
}

/// Tells whether a key is new to a table, in time linear in the table's
/// keys: the few keys of a record are compared one by one, a large table's
/// are put in a set.
#[derive(Default)]
pub(super) struct SeenKeys {
    set: Option<std::collections::HashSet<String>>,
}

/// Up to this many keys a table's keys are compared one by one.
const FEW_KEYS: usize = 16;

impl SeenKeys {
    /// Whether `key` is not yet among `entries` (the table's keys so far,
    /// each passed here before it was added).
    pub(super) fn first(&mut self, entries: &[Entry], key: &str) -> bool {
        if entries.len() < FEW_KEYS {
            return !entries.iter().any(|entry| same_key(&entry.key, key));
        }
        let set = self
            .set
            .get_or_insert_with(|| entries.iter().map(|entry| entry.key.to_string()).collect());
        set.insert(key.to_owned())
    }
}

/// The keys of the last table a reader read whole whose keys it remembered
/// (see [`TableKeys`]), up to its first key that is no known name: the
/// records of a file mostly repeat one another's keys, in one order.
#[derive(Default)]
pub(super) struct LastKeys {
    /// All different (a table read whole has no key twice); each as
    /// [`key_name`] gives it.
    keys: Vec<&'static str>,
    /// Counts the times `keys` changed: a table read while another one
    /// inside it was remembered no longer follows them.
    version: usize,
}

thread_local! {
    /// The last keys of the last file a reader read on this thread: the
    /// files of a repository mostly write their records with the same keys
    /// in the same order, one record a file as often as not.
    static THREAD_LAST_KEYS: std::cell::Cell<LastKeys> = const {
        std::cell::Cell::new(LastKeys {
            keys: Vec::new(),
            version: 0,
        })
    };
}

/// The [`LastKeys`] of this thread, taken for one reader and given back
/// when it is done (given up on or not).
pub(super) struct ThreadLastKeys(LastKeys);

impl ThreadLastKeys {
    pub(super) fn take() -> Self {
        ThreadLastKeys(
            THREAD_LAST_KEYS
                .try_with(std::cell::Cell::take)
                .unwrap_or_default(),
        )
    }
}

impl std::ops::Deref for ThreadLastKeys {
    type Target = LastKeys;

    fn deref(&self) -> &LastKeys {
        &self.0
    }
}

impl std::ops::DerefMut for ThreadLastKeys {
    fn deref_mut(&mut self) -> &mut LastKeys {
        &mut self.0
    }
}

impl Drop for ThreadLastKeys {
    fn drop(&mut self) {
        let keys = std::mem::take(&mut self.0);
        // Gone only as the thread ends: nothing is lost then.
        let _ = THREAD_LAST_KEYS.try_with(|last| last.set(keys));
    }
}

/// The keys of one table as a reader reads them. A key spelt as the one at
/// its place among the [`LastKeys`], all keys before it having been theirs,
/// is that name and new to the table, without looking it up in the known
/// names or comparing it with the keys before it; any other key is.
pub(super) struct TableKeys {
    seen: SeenKeys,
    /// Every key so far was the one at its place among the last keys.
    following: bool,
    version: usize,
}

impl TableKeys {
    pub(super) fn new(last: &LastKeys) -> Self {
        TableKeys {
            seen: SeenKeys::default(),
            following: true,
            version: last.version,
        }
    }

    /// `key` as stored in an [`Entry`] (see [`key_name`]), or `None` when it
    /// is among `entries` (the table's entries so far, each passed here
    /// before it was added).
    pub(super) fn key(
        &mut self,
        last: &LastKeys,
        entries: &[Entry],
        key: &str,
    ) -> Option<Cow<'static, str>> {
        if self.following {
            if self.version == last.version
                && let Some(&name) = last.keys.get(entries.len())
                && same_key(name, key)
            {
                return Some(Cow::Borrowed(name));
            }
            self.following = false;
        }
        let name = key_name(Cow::Borrowed(key));
        self.seen.first(entries, &name).then_some(name)
    }

    /// The table is read whole, its keys `entries`: they are the last keys
    /// from now on, unless they were those already.
    pub(super) fn finish(self, last: &mut LastKeys, entries: &[Entry]) {
        if self.following {
            return;
        }
        last.keys.clear();
        last.version = last.version.wrapping_add(1);
        for entry in entries {
            match &entry.key {
                Cow::Borrowed(name) => last.keys.push(name),
                Cow::Owned(_) => break,
            }
        }
    }
}

/// The kind of the last record built on a thread and, by place, its fields'
/// names (`None` for a key that is no known name) and columns: the first
/// record of the next file mostly has the same keys, in the same order.
#[derive(Default)]
struct LastColumns {
    kind: Option<RecordKind>,
    columns: Vec<(Option<&'static str>, Option<&'static Column>)>,
}

thread_local! {
    static THREAD_LAST_COLUMNS: std::cell::Cell<LastColumns> = const {
        std::cell::Cell::new(LastColumns {
            kind: None,
            columns: Vec::new(),
        })
    };
}

impl LastColumns {
    fn take() -> Self {
        THREAD_LAST_COLUMNS
            .try_with(std::cell::Cell::take)
            .unwrap_or_default()
    }

    /// The column of `field`, at place `n` in a record of `kind`.
    fn column(&self, kind: RecordKind, n: usize, field: &Entry) -> Option<&'static Column> {
        match (&field.key, self.columns.get(n)) {
            (Cow::Borrowed(key), Some((Some(name), known)))
                if self.kind == Some(kind) && std::ptr::eq(*key, *name) =>
            {
                *known
            }
            _ => column(kind, &field.key),
        }
    }

    /// Remembers `record` for the next file read on this thread.
    fn give_back(mut self, record: Option<&Record>) {
        if let Some(record) = record {
            self.kind = Some(record.kind);
            self.columns.clear();
            self.columns.extend(record.fields.iter().map(|field| {
                let name = match &field.key {
                    Cow::Borrowed(name) => Some(*name),
                    Cow::Owned(_) => None,
                };
                (name, field.column)
            }));
        }
        // Gone only as the thread ends: nothing is lost then.
        let _ = THREAD_LAST_COLUMNS.try_with(|last| last.set(self));
    }
}

/// Builds a document from top-level entries: shared by both formats.
/// Drains `entries`: the caller may keep the list (see [`SpareFields`]).
pub(super) fn document_from_entries(entries: &mut Vec<Entry>) -> Document {
    // Each list its exact size from the start: kept for the whole check,
    // they were shrunk from the room for four a push leaves.
    let sections = (entries.iter())
        .filter(|entry| RecordKind::from_section(&entry.key).is_some())
        .count();
    let mut document = Document {
        section_keys: Vec::with_capacity(sections),
        other_keys: Vec::with_capacity(entries.len() - sections),
        ..Document::default()
    };
    let last_columns = LastColumns::take();
    for entry in entries.drain(..) {
        let Some(kind) = RecordKind::from_section(&entry.key) else {
            document.other_keys.push(TopLevelKey {
                holds: Holds::of(&entry.value.value),
                key: entry.key,
                span: entry.key_span,
            });
            continue;
        };
        document.section_keys.push(TopLevelKey {
            key: entry.key.clone(),
            span: entry.key_span,
            holds: Holds::Other,
        });
        document.is_definition = true;
        match entry.value.value {
            Value::Array(items) => {
                // Exact: most files hold one record, and growing would leave room for four.
                document.records.reserve_exact(items.len());
                for item in items {
                    match item.value {
                        Value::Table(mut fields) => {
                            // A key at the place of the same name in the
                            // record before (records mostly repeat their
                            // keys) is the same column: the one before in
                            // this file, or for the first, the last one
                            // built on this thread (see `LastColumns`).
                            let before = (document.records.last())
                                .filter(|record| record.kind == kind)
                                .map(|record| &record.fields);
                            for (n, field) in fields.iter_mut().enumerate() {
                                field.column = match before.map(|before| before.get(n)) {
                                    Some(Some(other)) if same_name(other, field) => other.column,
                                    Some(_) => column(kind, &field.key),
                                    None => last_columns.column(kind, n, field),
                                };
                            }
                            document.records.push(Record {
                                kind,
                                span: item.span,
                                fields,
                                damaged: false,
                            });
                        }
                        other => document.problems.push(Problem::RecordNotTable {
                            kind,
                            span: item.span,
                            found: other.type_name(),
                        }),
                    }
                }
            }
            other => document.problems.push(Problem::SectionNotArray {
                kind,
                span: entry.value.span,
                found: other.type_name(),
            }),
        }
    }
    last_columns.give_back(document.records.last());
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(keys: &[&str]) -> Vec<Entry> {
        keys.iter()
            .map(|key| Entry {
                key: key_name(Cow::Borrowed(key)),
                key_span: Span::new(0, 0),
                value: Node {
                    value: Value::Bool(true),
                    span: Span::new(0, 0),
                },
                column: None,
            })
            .collect()
    }

    #[test]
    fn a_record_is_told_from_another_programs_table() {
        for (keys, record) in [
            (&["extension"][..], true),
            (&["Server_IP", "name"], true),
            (&["alias_id", "logins_list", "note", "owner"], true),
            // A phone whose `extension` is misspelt: three columns.
            (
                &["extention", "dialplan_number", "voicemail_id", "login"],
                true,
            ),
            (&["host", "port"], false),
            (&["protocol", "active"], false),
            (&["server_ip", "name", "role", "port"], false),
            (&[], false),
        ] {
            assert_eq!(looks_like_a_record(&table(keys)), record, "{keys:?}");
        }
        let node = |value| Node {
            value,
            span: Span::new(0, 0),
        };
        let phone = || node(Value::Table(table(&["extension"])));
        let other = || node(Value::Table(table(&["host"])));
        assert_eq!(
            Holds::of(&Value::Array(vec![other(), phone()])),
            Holds::Records
        );
        assert_eq!(Holds::of(&Value::Array(vec![other()])), Holds::Array);
        assert_eq!(Holds::of(&Value::Array(Vec::new())), Holds::Array);
        assert_eq!(Holds::of(&phone().value), Holds::Record);
        assert_eq!(Holds::of(&other().value), Holds::Other);
        assert_eq!(Holds::of(&Value::String("db1".into())), Holds::Other);
    }
}
