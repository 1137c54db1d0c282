//! A record read through VICIdial's eyes: each column's written value or
//! schema default, `active`, `status`, and the record's identity.

use std::borrow::Cow;

use super::fields::CROSS_FILE_COLUMNS;
use super::written;
use crate::load::{Entry, Record};
use crate::vicidial::{Active, RecordKind, Status, column};

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
        written::stored_text(column, &entry.value.value)
    }

    /// The written value or, when the column is omitted, the schema default.
    pub fn effective(&self, name: &str) -> Option<Effective<'r>> {
        let column = column(self.kind(), name)?;
        match self.entry(name) {
            Some(entry) => written::stored_text(column, &entry.value.value)
                .map(|text| Effective::Written { entry, text }),
            None => column.default.map(Effective::Default),
        }
    }

    /// Active Account, if written validly.
    pub fn active(&self) -> Option<Active> {
        let entry = self.entry("active")?;
        written::active(&entry.value.value)
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
