//! What of a file the rules across files read, kept once its own rules have
//! run: each record's kind and span, and of the columns those rules read
//! ([`CROSS_FILE_COLUMNS`]) where each is written and the text VICIdial
//! would store for it. One list of fields and one string of values per file:
//! a phone costs a few hundred bytes however it was written, and nothing
//! after the file's own rules needs its text or its other columns.
//!
//! A credential (`pass`) is kept only as a keyed digest ([`DigestKey`]) and
//! whether it is a placeholder: the rules across files only compare
//! credentials, so what is kept of a file, in memory and in the cache
//! between runs, never holds one.

use std::borrow::Cow;
use std::sync::Arc;

use super::view::Effective;
use super::written;
use crate::load::{Document, Record};
use crate::source::{SourceFile, Span};
use crate::text::bytes::widen;
use crate::text::bytes::{Reader, put_bytes, put_number, put_size};
use crate::text::hash::{DigestKey, hex16, keyed};
use crate::vicidial::values::is_placeholder;
use crate::vicidial::{Active, RecordKind, column};

/// The columns the rules across files read (through [`KeptView`]).
/// Once a file's own rules have run, only these fields of its records are
/// kept ([`KeptFile`]): the rest of a record is most of a check's
/// memory and nothing after needs it. A rule across files that reads another
/// column fails the tests (a debug assertion in [`KeptView`]).
pub const CROSS_FILE_COLUMNS: [&str; 19] = [
    "extension",
    "server_ip",
    "login",
    "pass",
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

/// The position of `name` in [`CROSS_FILE_COLUMNS`] (a test holds the two
/// together): the rules across files ask for a column by name for every
/// record they read.
fn column_number(name: &str) -> Option<u8> {
    Some(match name {
        "extension" => 0,
        "server_ip" => 1,
        "login" => 2,
        "pass" => 3,
        "active" => 4,
        "protocol" => 5,
        "dialplan_number" => 6,
        "voicemail_id" => 7,
        "email" => 8,
        "alias_id" => 9,
        "logins_list" => 10,
        "server_id" => 11,
        "active_agent_login_server" => 12,
        "active_asterisk_server" => 13,
        "generate_vicidial_conf" => 14,
        "fullname" => 15,
        "delete_vm_after_email" => 16,
        "voicemail_timezone" => 17,
        "voicemail_options" => 18,
        _ => return None,
    })
}

/// Columns whose values repeat from record to record (a server's address,
/// Y and N, the protocol, settings): a file keeps each of their values once.
const REPEATED_COLUMNS: [&str; 9] = [
    "server_ip",
    "active",
    "protocol",
    "voicemail_timezone",
    "delete_vm_after_email",
    "voicemail_options",
    "active_agent_login_server",
    "active_asterisk_server",
    "generate_vicidial_conf",
];

/// Whether the column at each position of [`CROSS_FILE_COLUMNS`] is one of
/// [`REPEATED_COLUMNS`]: asked for every field kept, worked out once.
const REPEATS: [bool; CROSS_FILE_COLUMNS.len()] = {
    const fn same(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut at = 0;
        while at < a.len() {
            if a[at] != b[at] {
                return false;
            }
            at += 1;
        }
        true
    }
    let mut repeats = [false; CROSS_FILE_COLUMNS.len()];
    let mut column = 0;
    while column < CROSS_FILE_COLUMNS.len() {
        let mut repeated = 0;
        while repeated < REPEATED_COLUMNS.len() {
            if same(CROSS_FILE_COLUMNS[column], REPEATED_COLUMNS[repeated]) {
                repeats[column] = true;
            }
            repeated += 1;
        }
        column += 1;
    }
    repeats
};

/// How many values of those columns a file keeps once, at most: a few
/// each (checked one by one for every value).
const MAX_SHARED: usize = 48;

/// A file as the rules across files see it.
#[derive(Debug)]
pub struct KeptFile {
    pub source: Arc<SourceFile>,
    records: Box<[KeptRecord]>,
    fields: Box<[KeptField]>,
    /// The stored text of every kept field, one after the other.
    values: Box<str>,
    /// What few files need (a hundred thousand files of one phone keep
    /// one pointer each for it).
    unusual: Option<Box<Unusual>>,
}

/// What of a [`KeptFile`] most files do without. Also there, empty, when
/// the records' first fields decrease somewhere (never as a file is kept; a
/// damaged cache entry may say so): see [`KeptFile::field_in_record`].
#[derive(Debug, Default)]
struct Unusual {
    /// The fields by start, when their starts decrease somewhere (records
    /// are kept by section, sections may interleave): otherwise a field is
    /// found by its position with a binary search over them as they are.
    order: Option<Box<[u32]>>,
    /// The spans of the fields not written as a key, then its value, in
    /// one piece (see [`KeptFile::spans`]).
    odd: Box<[FieldSpans]>,
}

/// The values of columns whose values repeat a file keeps once: (position
/// in [`CROSS_FILE_COLUMNS`], where in [`KeptFile::values`]), the first
/// [`MAX_SHARED`] of them. On the stack: a list on the heap grew two or
/// three times for every file of one phone.
struct Shared {
    values: [(usize, u32); MAX_SHARED],
    count: usize,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            values: [(0, 0); MAX_SHARED],
            count: 0,
        }
    }
}

impl Shared {
    fn recent(&self) -> &[(usize, u32)] {
        self.values.get(..self.count).unwrap_or_default()
    }

    /// Adds a value, unless there are [`MAX_SHARED`] already.
    fn add(&mut self, position: usize, at: u32) {
        if let Some(slot) = self.values.get_mut(self.count) {
            *slot = (position, at);
            self.count += 1;
        }
    }
}

/// Room a thread reuses from file to file as it keeps them: the texts of
/// a file's values (copied out once, the size they came to) and its fields'
/// column numbers.
#[derive(Default)]
struct Scratch {
    values: String,
    numbers: Vec<Option<u8>>,
}

/// Room past this many bytes is not kept for the next file.
const MAX_SCRATCH_VALUES: usize = 1 << 16;

thread_local! {
    static THREAD_SCRATCH: std::cell::Cell<Scratch> = const {
        std::cell::Cell::new(Scratch {
            values: String::new(),
            numbers: Vec::new(),
        })
    };
}

impl Scratch {
    fn take() -> Self {
        THREAD_SCRATCH
            .try_with(std::cell::Cell::take)
            .unwrap_or_default()
    }

    fn give_back(mut self, mut numbers: Vec<Option<u8>>) {
        self.values.clear();
        if numbers.capacity() <= MAX_SCRATCH_VALUES {
            numbers.clear();
            self.numbers = numbers;
        }
        // Gone only as the thread ends: nothing is lost then.
        let _ = THREAD_SCRATCH.try_with(|cell| cell.set(self));
    }
}

/// A [`KeptFile`] as it is built.
struct Builder {
    source: Arc<SourceFile>,
    records: Vec<KeptRecord>,
    fields: Vec<KeptField>,
    values: String,
    odd: Vec<FieldSpans>,
}

/// One record of a [`KeptFile`].
#[derive(Debug, Clone, Copy)]
pub struct KeptRecord {
    pub kind: RecordKind,
    /// A syntax error fell inside it (see [`Record::damaged`]): kept for its
    /// key, never judged.
    pub damaged: bool,
    start: u32,
    end: u32,
    /// Where the record's first line ends (see [`KeptRecord::anchor`]).
    anchor_end: u32,
    /// Its fields: `fields[first..first + count]` of its file.
    first: u32,
    count: u32,
}

/// One kept field: which column, where it is written, its stored text
/// (16 bytes: a million phones keep ten million of them).
#[derive(Debug, Clone, Copy)]
struct KeptField {
    /// Its position in [`CROSS_FILE_COLUMNS`].
    column: u8,
    flags: u8,
    /// From the start of the key to the start of the value.
    gap: u16,
    /// Where the key starts.
    start: u32,
    /// The value's length; for a field with [`ODD_SPANS`], the position of
    /// its spans in [`KeptFile::odd`].
    value_length: u32,
    /// Where its text is in [`KeptFile::values`]: its length (six bits a
    /// byte, ASCII), then the text.
    text: u32,
}

/// Where a field is written: from the key's start to the value's end (as
/// [`super::FieldIndex`] takes a field), and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldSpans {
    start: u32,
    end: u32,
    value_start: u32,
    value_end: u32,
}

/// The record's kind has this column, and the value a text VICIdial would
/// store for it.
const HAS_TEXT: u8 = 1;
/// An Active Account value `Y`/`true`, or `N`/`false`.
const ACTIVE_YES: u8 = 2;
const ACTIVE_NO: u8 = 4;
/// A credential: its text is the keyed digest of the value, in hex.
const DIGEST: u8 = 8;
/// A credential whose value is a placeholder (`${NAME}`, `{{ ... }}`, sops).
const PLACEHOLDER: u8 = 16;
/// A field whose value does not follow its key closely (or comes first):
/// its spans are kept aside, in [`KeptFile::odd`].
const ODD_SPANS: u8 = 32;

/// A kind of record as one byte: its position in [`RecordKind::ALL`].
pub(super) fn kind_number(kind: RecordKind) -> u8 {
    let position = RecordKind::ALL.iter().position(|other| *other == kind);
    position
        .and_then(|n| u8::try_from(n).ok())
        .unwrap_or(u8::MAX)
}

/// Offsets are kept in 32 bits: a definition file is read only up to
/// [`crate::files::read::MAX_FILE_SIZE`] (32 MiB).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl KeptFile {
    /// Keeps of `document` what the rules across files read, its credentials
    /// digested with the default key (see [`KeptFile::with_key`]).
    pub fn new(source: Arc<SourceFile>, document: &Document) -> Self {
        Self::with_key(source, document, &DigestKey::default())
    }

    /// Keeps of `document` what the rules across files read, its credentials
    /// digested with `key`: the files of one repository are kept with one
    /// key, so that equal credentials have equal digests.
    pub fn with_key(source: Arc<SourceFile>, document: &Document, key: &DigestKey) -> Self {
        let mut scratch = Scratch::take();
        let mut kept = Builder {
            source,
            records: Vec::with_capacity(document.records.len()),
            fields: Vec::new(),
            values: std::mem::take(&mut scratch.values),
            odd: Vec::new(),
        };
        // How many fields are kept, and room for their texts made once
        // rather than by doubling: a text is no longer than its value as
        // written, but for a digest's 16 hexadecimal digits, and its length
        // takes a few bytes more. Each field's column number is found once,
        // here, and read back as the records are kept.
        let fields = document.records.iter().flat_map(|record| &record.fields);
        let mut numbers = std::mem::take(&mut scratch.numbers);
        numbers.reserve(fields.clone().count());
        let (mut wanted, mut room) = (0, 0);
        for entry in fields {
            let number = column_number(&entry.key);
            if number.is_some() {
                wanted += 1;
                room += entry.value.span.len() + 20;
            }
            numbers.push(number);
        }
        kept.fields.reserve_exact(wanted);
        kept.values.reserve(room);
        let mut shared = Shared::default();
        let mut of_file = numbers.as_slice();
        for record in &document.records {
            let (of_record, rest) = of_file
                .split_at_checked(record.fields.len())
                .unwrap_or_default();
            of_file = rest;
            kept.keep(record, of_record, key, &mut shared);
        }
        // Copied into a string of their size, the room kept for the next
        // file; a large file's values are shrunk where they are.
        if kept.values.capacity() <= MAX_SCRATCH_VALUES {
            let values = std::mem::take(&mut kept.values);
            kept.values = values.as_str().to_owned();
            scratch.values = values;
        }
        scratch.give_back(numbers);
        kept.finish()
    }

    fn order(&self) -> Option<&[u32]> {
        self.unusual.as_ref()?.order.as_deref()
    }

    fn odd(&self) -> &[FieldSpans] {
        self.unusual.as_ref().map_or(&[], |unusual| &unusual.odd)
    }

    /// Every record, damaged ones included, in file order.
    pub fn records(&self) -> &[KeptRecord] {
        &self.records
    }

    /// The record at `position` and its view.
    pub fn get(&self, position: usize) -> Option<(&KeptRecord, KeptView<'_>)> {
        let record = self.records.get(position)?;
        Some((record, KeptView { file: self, record }))
    }

    /// The view of one of this file's records.
    pub fn view<'r>(&'r self, record: &'r KeptRecord) -> KeptView<'r> {
        KeptView { file: self, record }
    }

    /// The column of the kept field whose key or value holds `span` (and
    /// whose record does): the field a finding at `span` is on, found as a
    /// [`super::FieldIndex`] of the kept fields finds it.
    pub fn field_at(&self, span: Span) -> Option<&'static str> {
        self.field_finder().field_at(span)
    }

    /// Finds fields as [`KeptFile::field_at`] does, for spans given in the
    /// order of their starts.
    pub fn field_finder(&self) -> FieldFinder<'_> {
        FieldFinder {
            file: self,
            field: 0,
            record: 0,
        }
    }

    /// [`KeptFile::field_at`] of a span of the record at `position` (found
    /// the same whatever record that is): searched from that record's
    /// fields rather than from the file's first, when the file's fields and
    /// records are in order and none before them can hold the span. A rule
    /// across files locates its finding so while the record is in the
    /// processor's caches; searched later, file by file, the fields of a
    /// large repository are not.
    pub fn field_in_record(&self, position: usize, span: Span) -> Option<&'static str> {
        let mut finder = self.field_finder();
        if self.unusual.is_none()
            && let Some(record) = self.records.get(position)
        {
            let first = widen(record.first);
            let before = first.checked_sub(1).and_then(|at| self.fields.get(at));
            // The fields are in order of start: those before the record's
            // all start no later than the span, as the search from the
            // first would find.
            if before.is_none_or(|field| widen(field.start) <= span.start) {
                finder.field = first;
                // The records are in order of their first fields: those
                // before this one begin before any field the search finds
                // (at least the one before the record's first).
                let previous = position.checked_sub(1).and_then(|at| self.records.get(at));
                if previous.is_none_or(|previous| previous.first < record.first) {
                    finder.record = position;
                }
            }
        }
        finder.field_at(span)
    }

    fn fields_of(&self, record: &KeptRecord) -> &[KeptField] {
        let first = widen(record.first);
        self.fields
            .get(first..first.saturating_add(widen(record.count)))
            .unwrap_or_default()
    }

    fn text(&self, field: &KeptField) -> &str {
        self.text_at(field.text)
    }

    /// Where `field` is written.
    fn spans(&self, field: &KeptField) -> FieldSpans {
        if field.flags & ODD_SPANS != 0 {
            let odd = self.odd().get(widen(field.value_length)).copied();
            return odd.unwrap_or(FieldSpans {
                start: field.start,
                end: field.start,
                value_start: field.start,
                value_end: field.start,
            });
        }
        let value_start = field.start.saturating_add(u32::from(field.gap));
        let value_end = value_start.saturating_add(field.value_length);
        FieldSpans {
            start: field.start,
            end: value_end,
            value_start,
            value_end,
        }
    }

    /// Appends what is kept of the file (not its source) to `out`, as
    /// [`KeptFile::decode`] reads it.
    pub fn encode(&self, out: &mut Vec<u8>) {
        put_size(out, self.records.len());
        for record in &self.records {
            out.push(kind_number(record.kind));
            out.push(u8::from(record.damaged));
            for n in [
                record.start,
                record.end,
                record.anchor_end,
                record.first,
                record.count,
            ] {
                put_number(out, n.into());
            }
        }
        put_size(out, self.fields.len());
        for field in &self.fields {
            let spans = self.spans(field);
            out.push(field.column);
            out.push(field.flags & !ODD_SPANS);
            for n in [
                spans.start,
                spans.end,
                spans.value_start,
                spans.value_end,
                field.text,
            ] {
                put_number(out, n.into());
            }
        }
        put_bytes(out, self.values.as_bytes());
    }

    /// What [`KeptFile::encode`] wrote, read from `reader`, of `source`, whose
    /// text is `length` bytes long: `None` if the bytes are not what it
    /// wrote, or do not fit a text of that length.
    pub fn decode(source: Arc<SourceFile>, length: usize, reader: &mut Reader<'_>) -> Option<Self> {
        let length = offset(length);
        let span = |start: u32, end: u32| (start <= end && end <= length).then_some(());
        let count = reader.count(7)?;
        let mut records = Vec::with_capacity(count);
        for _ in 0..count {
            let kind = *RecordKind::ALL.get(usize::from(reader.byte()?))?;
            let damaged = match reader.byte()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            let [start, end, anchor_end, first, count] = [(); 5].map(|()| reader.u32());
            let record = KeptRecord {
                kind,
                damaged,
                start: start?,
                end: end?,
                anchor_end: anchor_end?,
                first: first?,
                count: count?,
            };
            span(record.start, record.end)?;
            span(record.start, record.anchor_end)?;
            records.push(record);
        }
        let count = reader.count(7)?;
        let mut fields = Vec::with_capacity(count);
        let mut odd = Vec::new();
        for _ in 0..count {
            let column = reader.byte()?;
            let flags = reader.byte()?;
            (flags & ODD_SPANS == 0).then_some(())?;
            let [start, end, value_start, value_end, text] = [(); 5].map(|()| reader.u32());
            let spans = FieldSpans {
                start: start?,
                end: end?,
                value_start: value_start?,
                value_end: value_end?,
            };
            CROSS_FILE_COLUMNS.get(usize::from(column))?;
            span(spans.start, spans.end)?;
            span(spans.value_start, spans.value_end)?;
            fields.push(KeptField::new(column, flags, spans, text?, &mut odd));
        }
        let values = reader.text()?.to_owned();
        let fields_end = u64::try_from(fields.len()).ok()?;
        let texts_end = values.len();
        for record in &records {
            (u64::from(record.first) + u64::from(record.count) <= fields_end).then_some(())?;
        }
        for field in &fields {
            (field.flags & HAS_TEXT == 0 || widen(field.text) < texts_end).then_some(())?;
        }
        let kept = Builder {
            source,
            records,
            fields,
            values,
            odd,
        };
        Some(kept.finish())
    }

    /// The text whose length is written at `at` in the values.
    fn text_at(&self, at: u32) -> &str {
        text_at(&self.values, at)
    }
}

/// [`KeptFile::field_at`] for spans in the order of their starts: each
/// search starts where the last one ended, in steps that double, so that
/// a file's findings read its fields from start to end rather than from
/// the middle of them every time (a large repository's fields do not fit
/// the processor's caches).
#[derive(Debug)]
pub struct FieldFinder<'f> {
    file: &'f KeptFile,
    /// How many of the fields (in order of start) start at or before the
    /// last span.
    field: usize,
    /// How many records begin at or before the last field found.
    record: usize,
}

impl FieldFinder<'_> {
    /// The column of the kept field that holds `span` (see
    /// [`KeptFile::field_at`]); `span` starts no earlier than the last.
    pub fn field_at(&mut self, span: Span) -> Option<&'static str> {
        let file = self.file;
        let start = |position: usize| file.fields.get(position).map_or(0, |f| widen(f.start));
        let position = match file.order() {
            None => {
                self.field = search_from(&file.fields, self.field, |field| {
                    widen(field.start) <= span.start
                });
                self.field.checked_sub(1)?
            }
            Some(order) => {
                self.field = search_from(order, self.field, |at| start(widen(*at)) <= span.start);
                widen(*order.get(self.field.checked_sub(1)?)?)
            }
        };
        let field = file.fields.get(position)?;
        let begun = |record: &KeptRecord| widen(record.first) <= position;
        let records = match file.order() {
            // Positions only grow when the fields are in order of start.
            None => {
                self.record = search_from(&file.records, self.record, begun);
                self.record
            }
            Some(_) => file.records.partition_point(begun),
        };
        let record = records
            .checked_sub(1)
            .and_then(|record| file.records.get(record))?;
        let holds = |outer: Span| outer.start <= span.start && span.end <= outer.end;
        let spans = file.spans(field);
        let written = Span::new(widen(spans.start), widen(spans.end));
        (holds(written) && holds(record.span())).then(|| field.name())
    }
}

/// The partition point of `before` in `items` (see
/// [`slice::partition_point`]), known to be no less than `from`: searched
/// in steps that double from there, then by halves.
fn search_from<T>(items: &[T], from: usize, before: impl Fn(&T) -> bool) -> usize {
    let mut low = from.min(items.len());
    let mut step = 1;
    loop {
        let probe = low.saturating_add(step - 1);
        match items.get(probe) {
            Some(item) if before(item) => {
                low = probe + 1;
                step = step.saturating_mul(2);
            }
            found => {
                let end = if found.is_some() { probe } else { items.len() };
                let rest = items.get(low..end).unwrap_or_default();
                return low + rest.partition_point(&before);
            }
        }
    }
}

/// The text whose length is written at `at` in `values`.
fn text_at(values: &str, at: u32) -> &str {
    let bytes = values.as_bytes();
    let mut at = widen(at);
    let mut length = 0usize;
    for shift in (0..usize::BITS).step_by(6) {
        let Some(&byte) = bytes.get(at) else {
            return "";
        };
        at += 1;
        length |= usize::from(byte & 0x3f).checked_shl(shift).unwrap_or(0);
        if byte & 0x40 == 0 {
            break;
        }
    }
    values
        .get(at..at.saturating_add(length))
        .unwrap_or_default()
}

impl Builder {
    /// The file as built: its lists at their sizes, its fields ordered by
    /// start when they are not already.
    fn finish(self) -> KeptFile {
        let Builder {
            source,
            records,
            fields,
            values,
            odd,
        } = self;
        let order = (!fields.is_sorted_by_key(|field| field.start)).then(|| {
            let mut order: Vec<u32> = (0..fields.len()).map(offset).collect();
            order.sort_by_key(|position| fields.get(widen(*position)).map(|f| f.start));
            order.into_boxed_slice()
        });
        let records_out_of_order = !records.is_sorted_by_key(|record| record.first);
        let unusual = (order.is_some() || !odd.is_empty() || records_out_of_order).then(|| {
            Box::new(Unusual {
                order,
                odd: odd.into_boxed_slice(),
            })
        });
        KeptFile {
            source,
            records: records.into_boxed_slice(),
            fields: fields.into_boxed_slice(),
            values: values.into_boxed_str(),
            unusual,
        }
    }

    /// Adds `text` (of the column at `position` of [`CROSS_FILE_COLUMNS`])
    /// to the file's values, or finds it there among the recent values of a
    /// column whose values repeat (`shared`): where it is.
    fn store(&mut self, position: usize, text: &str, shared: &mut Shared) -> u32 {
        let repeats = REPEATS.get(position).copied().unwrap_or(false);
        if repeats {
            let same = shared
                .recent()
                .iter()
                .find(|(column, at)| *column == position && text_at(&self.values, *at) == text);
            if let Some((_, at)) = same {
                return *at;
            }
        }
        let start = offset(self.values.len());
        let mut length = text.len();
        loop {
            let low = (length & 0x3f) as u8;
            length >>= 6;
            if length == 0 {
                self.values.push(char::from(low));
                break;
            }
            self.values.push(char::from(low | 0x40));
        }
        self.values.push_str(text);
        if repeats {
            shared.add(position, start);
        }
        start
    }

    /// Keeps `record`, the column numbers of whose fields are `numbers`.
    fn keep(
        &mut self,
        record: &Record,
        numbers: &[Option<u8>],
        key: &DigestKey,
        shared: &mut Shared,
    ) {
        let first = offset(self.fields.len());
        for (entry, number) in record.fields.iter().zip(numbers) {
            let Some(position) = number.map(usize::from) else {
                continue;
            };
            let value = &entry.value.value;
            let mut flags = 0;
            let column = entry.column;
            let digest;
            let mut text = column.and_then(|column| written::stored_text(column, value));
            // An empty credential is no secret, and stays comparable with an
            // omitted one.
            if let Some(secret) = text.as_ref().filter(|text| !text.is_empty())
                && column.is_some_and(|column| column.secret)
            {
                flags |= DIGEST;
                if is_placeholder(secret) {
                    flags |= PLACEHOLDER;
                }
                digest = hex16(keyed(key, secret.as_bytes()));
                text = std::str::from_utf8(&digest).ok().map(Cow::Borrowed);
            }
            match written::active(value) {
                Some(Active::Yes) => flags |= ACTIVE_YES,
                Some(Active::No) => flags |= ACTIVE_NO,
                None => {}
            }
            let mut text_start = 0;
            if let Some(text) = &text {
                flags |= HAS_TEXT;
                text_start = self.store(position, text, shared);
            }
            let (key, value_span) = (entry.key_span, entry.value.span);
            let spans = FieldSpans {
                start: offset(key.start.min(value_span.start)),
                end: offset(key.end.max(value_span.end)),
                value_start: offset(value_span.start),
                value_end: offset(value_span.end),
            };
            let column = u8::try_from(position).unwrap_or(u8::MAX);
            let field = KeptField::new(column, flags, spans, text_start, &mut self.odd);
            self.fields.push(field);
        }
        let anchor = super::view::first_line(&self.source, record.span);
        self.records.push(KeptRecord {
            kind: record.kind,
            damaged: record.damaged,
            start: offset(record.span.start),
            end: offset(record.span.end),
            anchor_end: offset(anchor.end),
            first,
            count: offset(self.fields.len()) - first,
        });
    }
}

impl KeptField {
    /// A field written at `spans`; those of an odd one are added to `odd`.
    fn new(column: u8, flags: u8, spans: FieldSpans, text: u32, odd: &mut Vec<FieldSpans>) -> Self {
        let gap = (spans.value_start.checked_sub(spans.start))
            .and_then(|gap| u16::try_from(gap).ok())
            .filter(|_| spans.value_end == spans.end);
        let value_length = spans.value_end.checked_sub(spans.value_start);
        match (gap, value_length) {
            (Some(gap), Some(value_length)) => KeptField {
                column,
                flags,
                gap,
                start: spans.start,
                value_length,
                text,
            },
            _ => {
                odd.push(spans);
                KeptField {
                    column,
                    flags: flags | ODD_SPANS,
                    gap: 0,
                    start: spans.start,
                    value_length: offset(odd.len() - 1),
                    text,
                }
            }
        }
    }

    fn name(&self) -> &'static str {
        CROSS_FILE_COLUMNS
            .get(usize::from(self.column))
            .copied()
            .unwrap_or_default()
    }
}

impl KeptRecord {
    /// The whole record: the TOML table (header included) or the JSON object.
    pub fn span(&self) -> Span {
        Span::new(widen(self.start), widen(self.end))
    }

    /// The record's first line (`[[phones]]`, or the opening of the JSON
    /// object): where to point when something is missing from it.
    pub fn anchor(&self) -> Span {
        Span::new(widen(self.start), widen(self.anchor_end))
    }
}

/// A kept record read through VICIdial's eyes, as [`super::RecordView`]
/// reads a whole one.
#[derive(Debug, Clone, Copy)]
pub struct KeptView<'r> {
    file: &'r KeptFile,
    record: &'r KeptRecord,
}

impl<'r> KeptView<'r> {
    pub fn kind(&self) -> RecordKind {
        self.record.kind
    }

    /// [`KeptFile::field_in_record`] of its file.
    pub fn field_in_record(&self, position: usize, span: Span) -> Option<&'static str> {
        self.file.field_in_record(position, span)
    }

    /// The field named `name`; were it written twice, the last (as
    /// [`Record::field`]).
    fn field(&self, name: &str) -> Option<&'r KeptField> {
        let column = column_number(name);
        debug_assert!(
            column.is_some(),
            "`{name}` is read across files: add it to CROSS_FILE_COLUMNS"
        );
        let column = column?;
        self.file
            .fields_of(self.record)
            .iter()
            .rev()
            .find(|field| field.column == column)
    }

    /// Where the value of `name` is written, if it is.
    pub fn value_span(&self, name: &str) -> Option<Span> {
        let spans = self.file.spans(self.field(name)?);
        Some(Span::new(widen(spans.value_start), widen(spans.value_end)))
    }

    /// The text VICIdial would store for a written column, if any; for a
    /// credential, its keyed digest (in hex): to compare, never to show.
    pub fn written(&self, name: &str) -> Option<Cow<'r, str>> {
        let field = self.field(name)?;
        (field.flags & HAS_TEXT != 0).then(|| Cow::Borrowed(self.file.text(field)))
    }

    /// The written value or, when the column is omitted, the schema default.
    pub fn effective(&self, name: &str) -> Option<Effective<'r>> {
        let column = column(self.kind(), name)?;
        match self.field(name) {
            Some(_) => self.written(name).map(Effective::Written),
            None => column.default.map(Effective::Default),
        }
    }

    /// Whether `name` is a credential whose value is a placeholder for a
    /// secret kept elsewhere (see [`is_placeholder`]).
    pub fn is_placeholder(&self, name: &str) -> bool {
        self.field(name)
            .is_some_and(|field| field.flags & PLACEHOLDER != 0)
    }

    /// Active Account, if written validly.
    pub fn active(&self) -> Option<Active> {
        let flags = self.field("active")?.flags;
        if flags & ACTIVE_YES != 0 {
            Some(Active::Yes)
        } else if flags & ACTIVE_NO != 0 {
            Some(Active::No)
        } else {
            None
        }
    }

    /// The record's identity (see [`super::RecordView::key`]).
    pub fn key(&self) -> String {
        super::view::record_key(self.kind(), |name| self.written(name))
    }
}

#[cfg(test)]
mod tests {
    use super::super::view::{RecordView, first_line};
    use super::*;
    use crate::load::{Format, load_str};

    #[test]
    fn a_kept_field_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<KeptField>(), 16);
        assert_eq!(std::mem::size_of::<KeptFile>(), 64);
    }

    #[test]
    fn column_numbers_are_positions_in_the_list() {
        for (position, name) in CROSS_FILE_COLUMNS.iter().enumerate() {
            assert_eq!(column_number(name).map(usize::from), Some(position));
        }
        assert_eq!(column_number("status"), None);
    }

    /// A credential is kept as a digest under the key given: never its
    /// value; a placeholder is known as one.
    #[test]
    fn credentials_are_kept_as_keyed_digests() {
        let text = "[[phones]]\nextension = \"a\"\npass = \"Rr8xkq2Lw\"\n\
                    [[phones]]\nextension = \"b\"\npass = \"${B_PASS}\"\n\
                    [[phones]]\nextension = \"c\"\npass = \"Rr8xkq2Lw\"\n";
        let document = load_str(text, Format::Toml);
        let source = Arc::new(SourceFile::new("t".into(), "t".into(), text.to_owned()));
        let (one, two) = (DigestKey::new([1; 16]), DigestKey::new([2; 16]));
        let kept = KeptFile::with_key(Arc::clone(&source), &document, &one);
        let other = KeptFile::with_key(Arc::clone(&source), &document, &two);
        assert!(!kept.values.contains("Rr8xkq2Lw") && !kept.values.contains("B_PASS"));
        let pass = |kept: &KeptFile, n: usize| {
            let view = kept.get(n).unwrap().1;
            (
                view.written("pass").unwrap().into_owned(),
                view.is_placeholder("pass"),
            )
        };
        assert_eq!(pass(&kept, 0), pass(&kept, 2));
        assert_ne!(pass(&kept, 0), pass(&kept, 1));
        assert_ne!(pass(&kept, 0).0, pass(&other, 0).0);
        assert!(pass(&kept, 1).1 && !pass(&kept, 0).1);
        assert!(!kept.get(0).unwrap().1.is_placeholder("extension"));
    }

    /// Bytes cut short or damaged read as nothing, never as a panic.
    #[test]
    fn damaged_bytes_are_not_a_kept_file() {
        let text = "[[phones]]\nextension = \"a\"\nserver_ip = \"10.0.0.1\"\nlogin = \"x\"\n\
                    [[aliases]]\nalias_id = \"d\"\nlogins_list = \"x,y\"\n";
        let document = load_str(text, Format::Toml);
        let source = Arc::new(SourceFile::new("t".into(), "t".into(), text.to_owned()));
        let kept = KeptFile::new(Arc::clone(&source), &document);
        let mut bytes = Vec::new();
        kept.encode(&mut bytes);
        for end in 0..bytes.len() {
            let mut reader = Reader::new(&bytes[..end]);
            assert!(KeptFile::decode(Arc::clone(&source), text.len(), &mut reader).is_none());
        }
        // A shorter text than the spans need.
        let mut reader = Reader::new(&bytes);
        assert!(KeptFile::decode(Arc::clone(&source), 10, &mut reader).is_none());
        for at in 0..bytes.len() {
            for flip in [1u8, 0x40, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                let mut reader = Reader::new(&damaged);
                if let Some(kept) = KeptFile::decode(Arc::clone(&source), text.len(), &mut reader) {
                    for (record, view) in (0..kept.records().len()).filter_map(|n| kept.get(n)) {
                        let _ = (record.span(), view.key(), view.active());
                        for name in CROSS_FILE_COLUMNS {
                            let _ = (view.written(name), view.value_span(name));
                            let _ = kept.field_at(record.span());
                        }
                        // From any record, the field a search from the
                        // first finds, however the bytes were damaged.
                        for span in [record.span(), record.anchor()] {
                            for position in 0..=kept.records().len() {
                                assert_eq!(
                                    kept.field_in_record(position, span),
                                    kept.field_at(span)
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// A kept record reads as the whole record did, for every column the
    /// rules across files read.
    #[test]
    fn kept_records_read_as_whole_ones() {
        let texts = [
            (
                Format::Toml,
                "[[phones]]\nextension = \"cc1\"\nserver_ip = \"10.0.0.1\"\nactive = true\n\
                 status = \"Admin\"\nprotocol = 5\nfullname = \"x\"\nlocal_gmt = \"-5\"\n\
                 login = \"a\"\nlogin = \"b\"\n\
                 [[servers]]\nserver_id = \"S1\"\nactive_agent_login_server = false\n\
                 [[aliases]]\nalias_id = \"d\"\nlogins_list = [\"a\", \"b\"]\nstatus = 3\n",
            ),
            (
                Format::Json,
                "{\"phones\": [{\"extension\": \"cc1\", \"active\": \"N\", \"status\": 7,\n\
                 \"server_ip\": null, \"pass\": [\"x\"]}], \"aliases\": [{\"alias_id\": \"z\",\n\
                 \"logins_list\": \"a,b\"}]}",
            ),
        ];
        // Credentials: a value, a placeholder, an empty one.
        let credentials = "[[phones]]\nextension = \"a\"\npass = \"Rr8xkq2Lw\"\n\
                           [[phones]]\nextension = \"b\"\npass = \"${B_PASS}\"\n\
                           [[phones]]\nextension = \"c\"\npass = \"\"\n";
        // Texts long enough for a length of two and three bytes.
        let long = format!(
            "[[phones]]\nfullname = \"{}\"\nemail = \"{}\"\nlogin = \"é\"\n",
            "f".repeat(100),
            "e".repeat(5000)
        );
        // Sections interleaved: records are kept by section, not in order.
        // Values that repeat are kept once (phones and a server on one
        // address, one protocol, twice active).
        let interleaved = "[[phones]]\nlogin = \"a\"\nserver_ip = \"10.0.0.1\"\nactive = \"Y\"\n\
                           [[servers]]\nserver_id = \"s\"\nserver_ip = \"10.0.0.1\"\n\
                           [[phones]]\nlogin = \"b\"\nserver_ip = \"10.0.0.1\"\nactive = true\n\
                           protocol = \"SIP\"\n[[aliases]]\nalias_id = \"x\"\n\
                           [[phones]]\nserver_ip = \"10.0.0.2\"\nprotocol = \"SIP\"\n";
        // A value far from its key: its spans are kept aside.
        let far = format!(
            "{{\"phones\": [{{\"extension\":{}\"cc1\", \"login\": \"a\"}}]}}",
            " ".repeat(70_000)
        );
        let extra = [
            (Format::Json, far.as_str()),
            (Format::Toml, long.as_str()),
            (Format::Toml, interleaved),
            (Format::Toml, credentials),
        ];
        for (format, text) in texts.into_iter().chain(extra) {
            let document = load_str(text, format);
            let source = Arc::new(SourceFile::new("t".into(), "t".into(), text.to_owned()));
            let kept = KeptFile::new(Arc::clone(&source), &document);
            assert_eq!(kept.records().len(), document.records.len());
            if text == far {
                assert_eq!(kept.odd().len(), 1);
            }
            if text == interleaved {
                // 10.0.0.1, Y, SIP once each; a, s, b, x, 10.0.0.2 too.
                assert_eq!(kept.values.len(), "a10.0.0.1YsbSIPx10.0.0.2".len() + 8);
            }
            // Kept as bytes and read back, the same.
            let mut bytes = Vec::new();
            kept.encode(&mut bytes);
            let mut reader = Reader::new(&bytes);
            let decoded = KeptFile::decode(Arc::clone(&source), text.len(), &mut reader).unwrap();
            assert!(reader.is_done());
            assert_eq!(format!("{decoded:?}"), format!("{kept:?}"));
            // A credential is kept as its digest.
            let stored = |name: &str, text: Option<Cow<'_, str>>| match text {
                Some(text) if name == "pass" && !text.is_empty() => Some(format!(
                    "{:016x}",
                    keyed(&DigestKey::default(), text.as_bytes())
                )),
                text => text.map(Cow::into_owned),
            };
            for (position, record) in document.records.iter().enumerate() {
                let whole = RecordView::new(record);
                let (kept_record, view) = kept.get(position).unwrap();
                assert_eq!(kept_record.span(), record.span);
                assert_eq!(kept_record.anchor(), first_line(&source, record.span));
                assert_eq!(view.key(), whole.key());
                assert_eq!(view.active(), whole.active());
                for name in CROSS_FILE_COLUMNS {
                    assert_eq!(
                        view.written(name).map(Cow::into_owned),
                        stored(name, whole.written(name)),
                        "{name}"
                    );
                    assert_eq!(
                        view.effective(name).map(|e| e.text().to_owned()),
                        stored(
                            name,
                            whole
                                .effective(name)
                                .map(|e| Cow::Owned(e.text().to_owned()))
                        ),
                        "{name}"
                    );
                    assert_eq!(
                        view.value_span(name),
                        whole.entry(name).map(|e| e.value.span),
                        "{name}"
                    );
                }
            }
            // Every kept field is found at its key and its value, as an index
            // of the whole document's fields finds it.
            let fields = super::super::fields::FieldIndex::new(&document);
            let mut spans = Vec::new();
            for entry in document.records.iter().flat_map(|record| &record.fields) {
                if CROSS_FILE_COLUMNS.contains(&&*entry.key) {
                    for span in [entry.key_span, entry.value.span] {
                        assert_eq!(
                            kept.field_at(span).map(str::to_owned),
                            fields.field_at(span),
                            "{span:?} in {text}"
                        );
                        spans.push(span);
                    }
                }
            }
            // Found in the order of their starts, each from the last, the
            // same fields; spans inside fields and between them too.
            let within = spans
                .iter()
                .map(|span| Span::new(span.start + 1, span.start + 1));
            let between = spans.iter().map(|span| Span::new(span.end, span.end + 1));
            let mut every: Vec<Span> = spans.iter().copied().chain(within).chain(between).collect();
            every.sort_by_key(|span| span.start);
            let mut finder = kept.field_finder();
            for span in &every {
                assert_eq!(
                    finder.field_at(*span),
                    kept.field_at(*span),
                    "{span:?} in {text}"
                );
            }
            // Searched from any record's fields (a span's own record's, or
            // another's), the same fields; the records' anchors too.
            let anchors = kept.records().iter().map(KeptRecord::anchor);
            for span in every.iter().copied().chain(anchors) {
                for position in 0..=kept.records().len() {
                    assert_eq!(
                        kept.field_in_record(position, span),
                        kept.field_at(span),
                        "{span:?} from record {position} in {text}"
                    );
                }
            }
        }
    }
}
