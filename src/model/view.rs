//! A record read through VICIdial's eyes: each column's written value or
//! schema default, `active`, `status`, and the record's identity.

use std::borrow::Cow;

use super::written;
use crate::load::{Entry, Record};
use crate::source::{SourceFile, Span};
use crate::vicidial::{Active, RecordKind, Status, column};

/// A value as a rule sees it: written in the file, or VICIdial's default.
#[derive(Debug, Clone)]
pub enum Effective<'r> {
    /// The text VICIdial would store for the written value.
    Written(Cow<'r, str>),
    Default(&'static str),
}

impl Effective<'_> {
    pub fn text(&self) -> &str {
        match self {
            Effective::Written(text) => text,
            Effective::Default(text) => text,
        }
    }

    /// Whether the value is written (not the schema default).
    pub fn is_written(&self) -> bool {
        matches!(self, Effective::Written(_))
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
        written::stored_text(entry.column?, &entry.value.value)
    }

    /// The written value or, when the column is omitted, the schema default.
    pub fn effective(&self, name: &str) -> Option<Effective<'r>> {
        match self.entry(name) {
            Some(entry) => {
                written::stored_text(entry.column?, &entry.value.value).map(Effective::Written)
            }
            None => column(self.kind(), name)?.default.map(Effective::Default),
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
        record_key(self.kind(), |name| self.written(name))
    }
}

/// The first line of the text `span` covers (a record's `[[phones]]`, or
/// the opening of its JSON object), without trailing spaces.
pub fn first_line(file: &SourceFile, span: Span) -> Span {
    let text = file.slice(span);
    // Every record passes here (its anchor is kept): a byte search, not a
    // character pattern's.
    let first_line = memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len());
    let first_line = text.get(..first_line).unwrap_or("").trim_end();
    Span::new(span.start, span.start + first_line.len())
}

/// A record's identity from its written columns: `extension@server_ip`
/// for phones (`?` for what is not written), `alias_id`, `server_id`.
pub(super) fn record_key<'v>(
    kind: RecordKind,
    written: impl Fn(&str) -> Option<Cow<'v, str>>,
) -> String {
    let part = |name: &str| written(name).unwrap_or(Cow::Borrowed("?"));
    match kind {
        RecordKind::Phone => {
            let (extension, server_ip) = (part("extension"), part("server_ip"));
            let mut key = String::with_capacity(extension.len() + 1 + server_ip.len());
            key.push_str(&extension);
            key.push('@');
            key.push_str(&server_ip);
            key
        }
        RecordKind::Alias => part("alias_id").into_owned(),
        RecordKind::Server => part("server_id").into_owned(),
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
        assert!(!phone.effective("protocol").unwrap().is_written());
        assert_eq!(phone.effective("active").unwrap().text(), "N");
        assert_eq!(phone.active(), Some(Active::No));
        assert_eq!(phone.key(), "cc100@10.0.0.1");
        assert!(phone.effective("login").is_none());
    }
}
