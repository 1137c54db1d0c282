//! The VICIdial domain: what phones, aliases and servers are, what their
//! columns accept, and what a record's values mean (`Status`, `Active`).

mod column;
mod columns;
mod index;
mod repository;
mod status;
pub mod values;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

pub use column::{Column, ColumnType, TEXT_MAX_BYTES, ValueError};
pub use columns::{ALIAS_COLUMNS, PHONE_COLUMNS, SERVER_COLUMNS};
pub use index::{AliasEntry, Index, Located, Member, RecordId, fold_key};
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

type ColumnIndex = HashMap<&'static str, &'static Column>;

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

/// Columns a phone must set: VICIdial's admin refuses a phone without them
/// (admin.php 14938, 19723), and `status`/`active` are the point of a definition.
pub const REQUIRED_PHONE_COLUMNS: [&str; 8] = [
    "extension",
    "dialplan_number",
    "voicemail_id",
    "server_ip",
    "login",
    "pass",
    "status",
    "active",
];

/// The value spans of every credential in a document (`pass`, `conf_secret`,
/// ... and keys that differ from those only in case), so that renderers can
/// mask them.
pub fn secret_spans(document: &crate::load::Document) -> Vec<crate::source::Span> {
    let is_secret = |kind: RecordKind, key: &str| {
        columns(kind)
            .iter()
            .any(|c| c.secret && c.name.eq_ignore_ascii_case(key))
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
