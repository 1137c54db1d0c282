//! The VICIdial domain: what phones, aliases and servers are, what their
//! columns accept, and what a record's values mean (`Status`, `Active`).

pub mod collation;
mod column;
mod columns;
mod index;
mod repository;
mod status;
pub mod values;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

pub use column::{Column, ColumnType, TEXT_MAX_BYTES, ValueError};
pub use columns::{ALIAS_COLUMNS, PHONE_COLUMNS, SERVER_COLUMNS};
pub use index::{AliasEntry, Index, Key, Located, Member, RecordId, RecordKeys, fold_key};
pub use repository::{LoadedFile, Repository};
pub use status::{Active, Status};

pub use crate::load::RecordKind;
use crate::load::{Entry, Record};

/// The columns of a record kind, in schema order.
pub fn columns(kind: RecordKind) -> &'static [Column] {
    match kind {
        RecordKind::Phone => PHONE_COLUMNS,
        RecordKind::Alias => ALIAS_COLUMNS,
        RecordKind::Server => SERVER_COLUMNS,
    }
}

type ColumnIndex = HashMap<&'static str, &'static Column, crate::text::hash::FnvBuild>;

fn index(columns: &'static [Column]) -> ColumnIndex {
    columns.iter().map(|c| (c.name, c)).collect()
}

static PHONE_INDEX: LazyLock<ColumnIndex> = LazyLock::new(|| index(PHONE_COLUMNS));
static ALIAS_INDEX: LazyLock<ColumnIndex> = LazyLock::new(|| index(ALIAS_COLUMNS));
static SERVER_INDEX: LazyLock<ColumnIndex> = LazyLock::new(|| index(SERVER_COLUMNS));

/// The column `name` of a record kind, spelled exactly as VICIdial spells it.
pub fn column(kind: RecordKind, name: &str) -> Option<&'static Column> {
    let index = match kind {
        RecordKind::Phone => &*PHONE_INDEX,
        RecordKind::Alias => &*ALIAS_INDEX,
        RecordKind::Server => &*SERVER_INDEX,
    };
    index.get(name).copied()
}

/// Every column name of every record kind and the three section names.
static KNOWN_NAMES: LazyLock<HashSet<&'static str, crate::text::hash::FnvBuild>> =
    LazyLock::new(|| {
        RecordKind::ALL
            .into_iter()
            .flat_map(|kind| columns(kind).iter().map(|c| c.name))
            .chain(RecordKind::ALL.map(RecordKind::section))
            .collect()
    });

/// `name` as a `'static` string when it is a column or section name, so that
/// loaded keys need not own a copy.
pub fn known_name(name: &str) -> Option<&'static str> {
    KNOWN_NAMES.get(name).copied()
}

/// Columns a phone must set, non-empty: VICIdial's admin refuses to add or
/// modify a phone without them (admin.php 14938, 19723).
pub const REQUIRED_PHONE_COLUMNS: [&str; 6] = [
    "extension",
    "dialplan_number",
    "voicemail_id",
    "server_ip",
    "login",
    "pass",
];

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
pub fn keep_cross_file_columns(document: &mut crate::load::Document) {
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
/// or more per record, and scanning the document for each made a check
/// quadratic in its records.
#[derive(Debug)]
pub struct FieldIndex<'d> {
    /// (where the field is written, key and value; its record; its key),
    /// by start. Fields do not overlap, nor do records.
    fields: Vec<(crate::source::Span, crate::source::Span, &'d str)>,
}

impl<'d> FieldIndex<'d> {
    pub fn new(document: &'d crate::load::Document) -> Self {
        let mut fields: Vec<_> = document
            .records
            .iter()
            .flat_map(|record| {
                record.fields.iter().map(move |entry| {
                    let start = entry.key_span.start.min(entry.value.span.start);
                    let end = entry.key_span.end.max(entry.value.span.end);
                    (
                        crate::source::Span::new(start, end),
                        record.span,
                        &*entry.key,
                    )
                })
            })
            .collect();
        fields.sort_by_key(|(field, _, _)| field.start);
        Self { fields }
    }

    /// The key of the record field whose key or value holds `span`.
    pub fn field_at(&self, span: crate::source::Span) -> Option<String> {
        let after = self
            .fields
            .partition_point(|(field, _, _)| field.start <= span.start);
        let (field, record, key) = self.fields.get(after.checked_sub(1)?)?;
        let holds =
            |outer: &crate::source::Span| outer.start <= span.start && span.end <= outer.end;
        (holds(field) && holds(record)).then(|| (*key).to_owned())
    }
}

/// The credential columns of each kind, listed once: every field of every
/// record is compared with them, and their names are searched for in text.
static SECRET_COLUMNS: LazyLock<Vec<(RecordKind, &'static str)>> = LazyLock::new(|| {
    RecordKind::ALL
        .into_iter()
        .flat_map(|kind| {
            columns(kind)
                .iter()
                .filter(|c| c.secret)
                .map(move |c| (kind, c.name))
        })
        .collect()
});

/// The value spans of every credential in a document (`pass`, `conf_secret`,
/// ... and keys that differ from those only in case), so that renderers can
/// mask them.
pub fn secret_spans(document: &crate::load::Document) -> Vec<crate::source::Span> {
    let is_secret = |kind: RecordKind, key: &str| {
        SECRET_COLUMNS
            .iter()
            .any(|(of, name)| *of == kind && name.eq_ignore_ascii_case(key))
    };
    let mut spans: Vec<crate::source::Span> = document
        .records
        .iter()
        .flat_map(|record| {
            record
                .fields
                .iter()
                .filter(move |entry| is_secret(record.kind, &entry.key))
                .map(|entry| entry.value.span)
        })
        .collect();
    // A duplicate key's dropped value is in no record, but still on screen.
    for problem in &document.problems {
        if let crate::load::Problem::DuplicateKey {
            key,
            dropped_value: Some(span),
            ..
        } = problem
            && RecordKind::ALL.into_iter().any(|kind| is_secret(kind, key))
        {
            spans.push(*span);
        }
    }
    spans
}

/// Whether `key` names a credential column of some record kind, case
/// ignored (MySQL compares column names so).
pub fn is_credential_name(key: &str) -> bool {
    SECRET_COLUMNS
        .iter()
        .any(|(_, name)| name.eq_ignore_ascii_case(key))
}

/// The values written after a credential key anywhere in `text`, found by
/// reading the text rather than parsing it: `pass = "..."`, `"pass": "...",`,
/// the separator or the value on a later line, and a quoted key spelt with
/// escapes (`"p\u0061ss"`). A belt to [`secret_spans`]' braces, for what the
/// parser could not read (a line with a syntax error, a record it dropped),
/// so a snippet never shows one. It may mask a little more than the value,
/// never less. Linear in the text: each stretch is read once.
pub fn textual_secret_spans(text: &str) -> Vec<crate::source::Span> {
    // Every credential column name ends in `pass` or `secret`: those two are
    // searched for (with SIMD) in one lower-cased copy of the text (ASCII
    // lower-casing keeps every byte offset), and each hit is checked against
    // the names ending in it. Every occurrence of every name is found this
    // way, overlapping ones included (`pass` inside `login_pass` is refused
    // below by the character before it).
    static NAMES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
        let mut names: Vec<String> = SECRET_COLUMNS
            .iter()
            .map(|(_, name)| name.to_ascii_lowercase())
            .collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|name| {
                let anchor = ["pass", "secret"]
                    .into_iter()
                    .find(|anchor| name.ends_with(anchor))
                    .map_or_else(|| name.clone(), str::to_owned);
                (anchor, name)
            })
            .collect()
    });
    static ANCHORS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let mut anchors: Vec<&str> = NAMES.iter().map(|(anchor, _)| anchor.as_str()).collect();
        anchors.sort_unstable();
        anchors.dedup();
        anchors
    });
    let lower = text.to_ascii_lowercase();
    // Where each key written plainly starts and ends.
    let mut keys: Vec<(usize, usize)> = Vec::new();
    for anchor in ANCHORS.iter().copied() {
        for at in memchr::memmem::find_iter(lower.as_bytes(), anchor.as_bytes()) {
            let end = at + anchor.len();
            for (_, name) in NAMES.iter().filter(|(a, _)| a == anchor) {
                let Some(start) = end.checked_sub(name.len()) else {
                    continue;
                };
                if lower.as_bytes().get(start..end) != Some(name.as_bytes()) {
                    continue;
                }
                let before = text.get(..start).and_then(|head| head.chars().next_back());
                let starts_a_key = before.is_none_or(|c| {
                    matches!(
                        c,
                        ' ' | '\t' | '\n' | '\r' | '"' | '\'' | '{' | ',' | '.' | '\u{FEFF}'
                    )
                });
                if starts_a_key {
                    keys.push((start, end));
                }
            }
        }
    }
    // Quoted keys written with escapes, decoded.
    keys.extend(escaped_credential_keys(text));
    keys.sort_unstable();
    let mut spans = Vec::new();
    // The end of the last value found: a key inside it is part of a value.
    let mut covered = 0;
    for (start, end) in keys {
        if start < covered {
            continue;
        }
        if let Some(value) = value_after_key(text, end) {
            covered = value.end;
            spans.push(value);
        }
    }
    spans
}

/// The keys in double quotes that hold an escape and decode to a credential
/// name (`"p\u0061ss"`, `"\u0050ASS"`), as (start, end) of the written key.
/// Only read when the text has a `\u`, `\U` or `\x` escape at all.
fn escaped_credential_keys(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let has_escape = [&b"\\u"[..], b"\\U", b"\\x"]
        .iter()
        .any(|escape| memchr::memmem::find(bytes, escape).is_some());
    if !has_escape {
        return Vec::new();
    }
    let mut keys = Vec::new();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        let rest = bytes.get(at + 1..).unwrap_or_default();
        match b {
            // A TOML comment: to the end of its line.
            b'#' => at += 1 + memchr::memchr(b'\n', rest).unwrap_or(rest.len()),
            // A literal string has no escapes: skip it (to its quote or the
            // end of its line).
            b'\'' => at += 1 + memchr::memchr2(b'\'', b'\n', rest).map_or(rest.len(), |i| i + 1),
            b'"' => {
                let end = basic_string_end(bytes, at);
                let body = text.get(at + 1..end.saturating_sub(1)).unwrap_or_default();
                if body.contains('\\') && unescape(body).is_some_and(|key| is_credential_name(&key))
                {
                    keys.push((at, end));
                }
                at = end.max(at + 1);
            }
            _ => at += 1,
        }
    }
    keys
}

/// Where the double-quoted string starting at `open` ends (after its closing
/// quote; at the end of the line if it has none). A `"""` string is skipped
/// whole.
fn basic_string_end(bytes: &[u8], open: usize) -> usize {
    if bytes.get(open..open + 3) == Some(b"\"\"\"") {
        let rest = bytes.get(open + 3..).unwrap_or_default();
        return memchr::memmem::find(rest, b"\"\"\"").map_or(bytes.len(), |i| open + 3 + i + 3);
    }
    let mut at = open + 1;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\\' => at += 2,
            b'"' => return at + 1,
            b'\n' => return at,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// A basic string's body with its escapes decoded (JSON's and TOML's);
/// `None` if an escape is malformed.
fn unescape(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex = |chars: &mut std::str::Chars<'_>, digits: usize| {
            let code: String = chars.take(digits).collect();
            u32::from_str_radix(&code, 16).ok().and_then(char::from_u32)
        };
        match chars.next()? {
            'u' => out.push(hex(&mut chars, 4)?),
            'U' => out.push(hex(&mut chars, 8)?),
            'x' => out.push(hex(&mut chars, 2)?),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            other => out.push(other),
        }
    }
    Some(out)
}

/// The value after a key ending at `key_end`: past the key's closing quote,
/// blanks and line breaks, `=` or `:`, blanks and line breaks again; a
/// quoted string to its closing quote (a triple-quoted one to its closing
/// triple; one left open to the end of its line), else the bare word.
fn value_after_key(text: &str, key_end: usize) -> Option<crate::source::Span> {
    let rest = text.get(key_end..)?;
    let after_quote = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    let after_space = after_quote.trim_start();
    let after_sep = after_space.strip_prefix(['=', ':'])?;
    let value = after_sep.trim_start();
    let start = key_end + (rest.len() - value.len());
    let length = match value.as_bytes().first()? {
        quote @ (b'"' | b'\'') => {
            let triple: &[u8] = if *quote == b'"' { b"\"\"\"" } else { b"'''" };
            if value.as_bytes().starts_with(triple) {
                let body = value.as_bytes().get(3..).unwrap_or_default();
                memchr::memmem::find(body, triple).map_or(value.len(), |i| 3 + i + 3)
            } else {
                let escapes = *quote == b'"';
                let mut escaped = false;
                let close = value.bytes().enumerate().skip(1).find(|&(_, b)| {
                    let closes = (b == *quote && !escaped) || b == b'\n';
                    escaped = escapes && b == b'\\' && !escaped;
                    closes
                });
                match close {
                    Some((i, b'\n')) => value.get(..i).map_or(i, |v| v.trim_end().len()),
                    Some((i, _)) => i + 1,
                    None => value.trim_end().len(),
                }
            }
        }
        _ => value
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#'))
            .unwrap_or(value.len()),
    };
    (length > 0).then(|| crate::source::Span::new(start, start + length))
}

/// A value as a rule sees it: written in the file, or VICIdial's default.
#[derive(Debug, Clone)]
pub enum Effective<'r> {
    Written {
        entry: &'r Entry,
        text: Cow<'r, str>,
    },
    Default(&'static str),
}

impl Effective<'_> {
    pub fn text(&self) -> &str {
        match self {
            Effective::Written { text, .. } => text,
            Effective::Default(text) => text,
        }
    }

    pub fn entry(&self) -> Option<&Entry> {
        match self {
            Effective::Written { entry, .. } => Some(entry),
            Effective::Default(_) => None,
        }
    }
}

/// A record read through VICIdial's eyes.
#[derive(Debug, Clone, Copy)]
pub struct RecordView<'r> {
    pub record: &'r Record,
}

impl<'r> RecordView<'r> {
    pub fn new(record: &'r Record) -> Self {
        Self { record }
    }

    pub fn kind(&self) -> RecordKind {
        self.record.kind
    }

    pub fn entry(&self, name: &str) -> Option<&'r Entry> {
        debug_assert!(
            !self.record.pruned || CROSS_FILE_COLUMNS.contains(&name),
            "`{name}` is read after the record was pruned: add it to CROSS_FILE_COLUMNS"
        );
        self.record.field(name)
    }

    /// The text VICIdial would store for a written column, if any.
    pub fn written(&self, name: &str) -> Option<Cow<'r, str>> {
        let entry = self.entry(name)?;
        let column = column(self.kind(), name)?;
        column.stored_text(&entry.value.value)
    }

    /// The written value or, when the column is omitted, the schema default.
    pub fn effective(&self, name: &str) -> Option<Effective<'r>> {
        let column = column(self.kind(), name)?;
        match self.entry(name) {
            Some(entry) => column
                .stored_text(&entry.value.value)
                .map(|text| Effective::Written { entry, text }),
            None => column.default.map(Effective::Default),
        }
    }

    /// Active Account, if written validly.
    pub fn active(&self) -> Option<Active> {
        let entry = self.entry("active")?;
        Active::from_value(&entry.value.value)
    }

    /// The status, if written as a string.
    pub fn status(&self) -> Option<Status> {
        let entry = self.entry("status")?;
        entry.value.value.as_str().map(Status::parse)
    }

    /// The record's identity in messages and fingerprints:
    /// `extension@server_ip` for phones, `alias_id`, `server_id`.
    pub fn key(&self) -> String {
        let part = |name: &str| {
            self.written(name)
                .map_or_else(|| "?".to_owned(), Cow::into_owned)
        };
        match self.kind() {
            RecordKind::Phone => format!("{}@{}", part("extension"), part("server_ip")),
            RecordKind::Alias => part("alias_id"),
            RecordKind::Server => part("server_id"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Format, load_str};

    #[test]
    fn every_column_is_indexed_once() {
        for kind in RecordKind::ALL {
            let cols = columns(kind);
            for col in cols {
                assert!(
                    std::ptr::eq(column(kind, col.name).unwrap(), col),
                    "{}",
                    col.name
                );
            }
        }
        assert_eq!(PHONE_COLUMNS.len(), 107);
        assert!(column(RecordKind::Phone, "Extension").is_none());
    }

    #[test]
    fn effective_values_fall_back_to_schema_defaults() {
        let doc = load_str(
            "[[phones]]\nextension = \"cc100\"\nserver_ip = \"10.0.0.1\"\nactive = false\n",
            Format::Toml,
        );
        let phone = RecordView::new(&doc.records[0]);
        assert_eq!(phone.effective("protocol").unwrap().text(), "SIP");
        assert!(phone.effective("protocol").unwrap().entry().is_none());
        assert_eq!(phone.effective("active").unwrap().text(), "N");
        assert_eq!(phone.active(), Some(Active::No));
        assert_eq!(phone.key(), "cc100@10.0.0.1");
        assert!(phone.effective("login").is_none());
    }
}

#[cfg(test)]
mod secret_tests {
    use super::textual_secret_spans;

    #[test]
    fn credential_values_are_found_without_parsing() {
        let text = "[[phones]]\npass = \"abc def\" # c\nconf_secret = 'x\\y'\n\"ASTmgrSECRET\": \"s\\\"t\",\nlogin_pass: bare}\nDBX_pass = \"unterminated\npassword = \"not a column\"\nfullname = \"pass = no\"\n";
        let found: Vec<&str> = textual_secret_spans(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert!(found.contains(&"\"abc def\""), "{found:?}");
        assert!(found.contains(&"'x\\y'"), "{found:?}");
        assert!(found.contains(&"\"s\\\"t\""), "{found:?}");
        assert!(found.contains(&"bare"), "{found:?}");
        assert!(found.contains(&"\"unterminated"), "{found:?}");
        assert!(
            !found.iter().any(|v| v.contains("not a column")),
            "{found:?}"
        );
        // Over-masking inside a string is harmless; a value is never missed.
        assert!(textual_secret_spans("").is_empty());
    }
}
