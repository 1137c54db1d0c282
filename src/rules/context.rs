//! What a rule sees: a file, or one record with its view and the site's
//! facts; and the helpers that keep rule bodies declarative.

use std::sync::Arc;

use super::meta::RuleMeta;
use crate::load::{Document, Entry, Record};
use crate::model::{Finding, RecordView, SiteFacts};
use crate::source::{SourceFile, Span};
use crate::vicidial::{Active, Column, RecordKind, Status};

/// A file as the file-level rules see it.
pub struct FileContext<'a> {
    pub file: &'a Arc<SourceFile>,
    pub document: &'a Document,
    /// The configuration's `include` names the file's place (it sets
    /// patterns, and the file matches them): the file is meant to be a
    /// definition.
    pub meant_as_definition: bool,
}

/// A record as the record-level rules see it.
pub struct RecordContext<'a> {
    pub file: &'a Arc<SourceFile>,
    pub record: &'a Record,
    pub view: RecordView<'a>,
    /// The record's identity (see [`RecordView::key`]), made when a
    /// finding first needs it: most records have none.
    key: std::cell::OnceCell<String>,
    /// The site's VICIdial facts from phonelint.toml (`[site]`), e.g. the
    /// minimum secret length `weak-secret` enforces.
    pub site: SiteFacts,
}

impl<'a> RecordContext<'a> {
    pub fn new(file: &'a Arc<SourceFile>, record: &'a Record) -> Self {
        let view = RecordView::new(record);
        Self {
            file,
            record,
            key: std::cell::OnceCell::new(),
            view,
            site: SiteFacts::default(),
        }
    }

    /// The record's identity in messages and fingerprints.
    pub fn key(&self) -> &str {
        self.key.get_or_init(|| self.view.key())
    }

    /// Every field with its column (`None` for a key that is not one).
    pub fn fields(&self) -> impl Iterator<Item = (&'a Entry, Option<&'static Column>)> + '_ {
        self.record.fields.iter().map(|entry| (entry, entry.column))
    }

    /// The same record judged with a site's facts.
    pub fn with_site(mut self, site: SiteFacts) -> Self {
        self.site = site;
        self
    }

    /// A finding about this record, with the rule's default severity.
    pub fn finding(&self, meta: &RuleMeta, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(meta.name, meta.severity, self.file, span, message)
            .with_record(self.record.kind, self.key().to_owned())
    }

    /// The first line of the record (`[[phones]]`, or the opening of the JSON
    /// object): where to point when something is missing from it.
    pub fn anchor(&self) -> Span {
        record_anchor(self.file, self.record)
    }
}

/// The first line of a record, for findings about the record as a whole.
pub fn record_anchor(file: &SourceFile, record: &Record) -> Span {
    crate::model::first_line(file, record.span)
}

/// The finding of a contradiction between `active` and `status`: the primary
/// label on the status, a secondary label on `active`, both ways out in help.
/// `{key}` and `{status}` in the texts are replaced by the record's values.
pub fn contradiction(
    ctx: &RecordContext<'_>,
    meta: &RuleMeta,
    applies: impl Fn(Active, &Status) -> bool,
    message: &str,
    status_label: &str,
    active_label: &str,
    help: &str,
) -> Option<Finding> {
    if ctx.record.kind != RecordKind::Phone {
        return None;
    }
    let (active, status) = (ctx.view.active()?, ctx.view.status()?);
    if !applies(active, &status) {
        return None;
    }
    let status_entry = ctx.record.field("status")?;
    let active_entry = ctx.record.field("active")?;
    let fill = |text: &str| {
        text.replace("{key}", ctx.key())
            .replace("{status}", status.as_str())
    };
    Some(
        ctx.finding(meta, status_entry.value.span, fill(message))
            .with_label(fill(status_label))
            .with_secondary(active_entry.value.span, fill(active_label))
            .with_help(fill(help)),
    )
}

/// What MySQL does with a value its column cannot hold, as far as the site's
/// `[site] strict_sql_mode` says: a strict sql_mode (MariaDB's default since
/// 10.2.4) refuses the row; without one MySQL keeps going and `lax` says what
/// it stores ("stores ''", "truncates it to 15 characters").
pub fn mysql_outcome(site: &SiteFacts, lax: &str) -> String {
    match site.strict_sql_mode {
        Some(true) => "the site's strict sql_mode refuses the row".to_owned(),
        Some(false) => format!("MySQL {lax} (the site's sql_mode is not strict)"),
        None => format!(
            "a strict sql_mode (MariaDB's default) refuses the row; without one MySQL {lax}"
        ),
    }
}
