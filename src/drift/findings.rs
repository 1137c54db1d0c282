//! Differences -> ordinary findings of the drift rules, so that every output
//! format of `check` renders them. A finding is located in the repository;
//! a row only the database holds is located in a text that shows each such
//! row as `phonelint import` would write it, named `DATABASE#TABLE`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::compare::{
    ColumnDifference, Compared, Difference, Found, Held, Row, Stated, display_key,
};
use super::database::Database;
use super::rules::{ColumnDiffers, OnlyInDatabase, OnlyInRepository};
use crate::import;
use crate::load::{Format, load_str};
use crate::model::Finding;
use crate::model::LoadedFile;
use crate::rules::{RuleMeta, record_anchor};
use crate::source::{SourceFile, Span};
use crate::vicidial::RecordKind;
use crate::vicidial::collation::comparison_key;

/// How much a finding may show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Put credential values in messages (`--show-secrets`, human output).
    pub show_secret_values: bool,
}

/// The longest value quoted in a message, in characters.
const SHOWN_CHARS: usize = 60;

/// The findings of a comparison, unsorted.
pub fn findings<'a>(
    compared: &Compared<'a>,
    database: &'a Database,
    files: &'a [LoadedFile],
    options: Options,
) -> Vec<Finding> {
    let logins = Logins::of(compared, database, files);
    let mut out = Vec::new();
    let mut only_in_database: Vec<Row<'_>> = Vec::new();
    for difference in &compared.differences {
        match difference {
            Difference::OnlyInRepository(held) => out.push(only_in_repository(held)),
            Difference::OnlyInDatabase(row) => only_in_database.push(*row),
            Difference::Columns { held, row, columns } => {
                for column in columns {
                    out.push(column_differs(held, *row, column, &logins, options));
                }
            }
        }
    }
    for kind in RecordKind::ALL {
        let rows: Vec<Row<'_>> = only_in_database
            .iter()
            .copied()
            .filter(|row| row.table.kind == kind)
            .collect();
        if !rows.is_empty() {
            out.extend(database_rows(database, kind, &rows));
        }
    }
    out
}

fn held_key(held: &Held<'_>) -> String {
    display_key(held.record.kind, |name| held.text(name))
}

fn row_key(row: &Row<'_>) -> String {
    display_key(row.table.kind, |name| row.value(name).unwrap_or_default())
}

/// The value span of the record's first key column, or its first line.
fn key_span(file: &SourceFile, record: &crate::load::Record) -> Span {
    let key = super::compare::key_columns(record.kind).first().copied();
    key.and_then(|name| record.field(name))
        .map_or_else(|| record_anchor(file, record), |entry| entry.value.span)
}

fn finding(meta: &RuleMeta, held: &Held<'_>, span: Span, message: String) -> Finding {
    Finding::new(meta.name, meta.severity, held.file, span, message)
        .with_record(held.record.kind, held_key(held))
}

fn only_in_repository(held: &Held<'_>) -> Finding {
    let kind = held.record.kind;
    let meta = &OnlyInRepository::META;
    finding(
        meta,
        held,
        key_span(held.file, held.record),
        format!(
            "{} `{}` is not in the database",
            kind.singular(),
            held_key(held)
        ),
    )
    .with_label(format!("no row of `{}` has this key", kind.table()))
    .with_help(
        "if it was removed in production on purpose, remove it here too; else \
         `phonelint drift --format sql` prints the INSERT that adds it again",
    )
}

/// The rows only the database holds, written as definitions into one text
/// per table, and a finding on each.
fn database_rows(database: &Database, kind: RecordKind, rows: &[Row<'_>]) -> Vec<Finding> {
    let imported: Vec<(Row<'_>, import::ImportedRecord)> = rows
        .iter()
        .filter_map(|row| {
            import::records(&[row.table.row_data(row.index)], false, false)
                .into_iter()
                .next()
                .map(|record| (*row, record))
        })
        .collect();
    let refs: Vec<&import::ImportedRecord> = imported.iter().map(|(_, record)| record).collect();
    let text = import::render(&refs, Format::Toml);
    let document = load_str(&text, Format::Toml);
    let name = format!("{}#{}", database.name, kind.table());
    let mut secrets = crate::model::secret_spans(&document);
    secrets.extend(crate::model::textual_secret_spans(&text));
    let source =
        Arc::new(SourceFile::new(PathBuf::from(&name), name.clone(), text).with_secrets(secrets));
    let meta = &OnlyInDatabase::META;
    imported
        .iter()
        .map(|(row, _)| row)
        .zip(&document.records)
        .map(|(row, record)| {
            Finding::new(
                meta.name,
                meta.severity,
                &source,
                whole(&source, record),
                format!(
                    "{} `{}` is in the database but not in the repository",
                    kind.singular(),
                    row_key(row)
                ),
            )
            .with_record(kind, row_key(row))
            .with_label("only in the database; shown as `phonelint import` writes it")
            .with_help(
                "if it belongs in production, add it to the repository as shown; else \
                 `phonelint drift --format sql` prints the DELETE that removes it",
            )
        })
        .collect()
}

/// The whole record, without the line break that ends it: the finding
/// shows the row as a definition.
fn whole(file: &SourceFile, record: &crate::load::Record) -> Span {
    let text = file.slice(record.span);
    Span::new(record.span.start, record.span.start + text.trim_end().len())
}

/// A value for a message: quoted and escaped, cut after [`SHOWN_CHARS`].
fn shown(value: Option<&str>) -> String {
    let Some(text) = value else {
        return "NULL".to_owned();
    };
    let mut cut: String = text.chars().take(SHOWN_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// What the repository states, for a message.
fn stated(repository: &Stated<'_>) -> String {
    match repository {
        Stated::Written { text, .. } => shown(text.as_deref()),
        Stated::Omitted {
            default: Some(default),
        } => format!("{} (not written: the default)", shown(Some(default))),
        Stated::Omitted { default: None } => "nothing (not written: NULL)".to_owned(),
    }
}

fn column_differs(
    held: &Held<'_>,
    row: Row<'_>,
    difference: &ColumnDifference<'_>,
    logins: &Logins<'_>,
    options: Options,
) -> Finding {
    let kind = held.record.kind;
    let meta = &ColumnDiffers::META;
    let name = &difference.name;
    let subject = format!("`{name}` of {} `{}`", kind.singular(), held_key(held));
    let show = !difference.is_secret() || options.show_secret_values;
    let (message, label) = match (&difference.database, show) {
        (Found::NoColumn, true) => (
            format!(
                "{subject} is {} in the repository, but the database's `{}` table has no such column",
                stated(&difference.repository),
                kind.table()
            ),
            "no such column in the database".to_owned(),
        ),
        (Found::NoColumn, false) => (
            format!(
                "{subject} is set in the repository, but the database's `{}` table has no such column",
                kind.table()
            ),
            "no such column in the database".to_owned(),
        ),
        (Found::Value(value), true) => (
            format!(
                "{subject} differs: the database has {}, the repository {}",
                shown(value.as_deref()),
                stated(&difference.repository)
            ),
            format!("the database has {}", shown(value.as_deref())),
        ),
        (Found::Value(_), false) => (
            format!("{subject} differs from the database"),
            "differs from the database (a credential: values not shown)".to_owned(),
        ),
    };
    let (span, label) = match &difference.repository {
        Stated::Written { entry, .. } => (entry.value.span, label),
        Stated::Omitted { .. } => (
            record_anchor(held.file, held.record),
            format!("`{name}` is not written here; {label}"),
        ),
    };
    let mut finding = finding(meta, held, span, message)
        .with_label(label)
        .with_help(help(kind, difference));
    finding.field = Some(name.clone());
    if kind == RecordKind::Phone
        && name == "login"
        && let Found::Value(Some(login)) = &difference.database
    {
        finding = logins.annotate(finding, login, held, row);
    }
    finding
}

fn help(kind: RecordKind, difference: &ColumnDifference<'_>) -> String {
    if difference.database == Found::NoColumn {
        return "upgrade the database's schema to this VICIdial version, or leave the column out \
                of the definition"
            .to_owned();
    }
    let restore = if difference.is_secret() {
        "`phonelint drift --format sql --show-secrets` prints the UPDATE that restores it"
    } else {
        "`phonelint drift --format sql` prints the UPDATE that restores it"
    };
    let why = match (kind, difference.name.as_str()) {
        (
            RecordKind::Phone,
            "pass" | "email" | "voicemail_timezone" | "voicemail_options" | "delete_vm_after_email",
        ) => {
            "keepalive copies a voicemail box changed on the Asterisk side (a PIN typed on a \
             handset) back into the phone (ADMIN_keepalive_ALL.pl 2752); "
        }
        (RecordKind::Phone, "login") => {
            "the admin UI does not re-check login uniqueness when a phone is edited \
             (admin.php 19710-19777); "
        }
        _ => "",
    };
    format!(
        "{why}if production is right, write its value here; if the repository is right, {restore}"
    )
}

/// Who holds each login, in the database and in the repository: a login
/// changed in production may now be another phone's.
struct Logins<'a> {
    database: HashMap<String, Vec<Row<'a>>>,
    repository: HashMap<String, Vec<Held<'a>>>,
}

impl<'a> Logins<'a> {
    fn of(compared: &Compared<'a>, database: &'a Database, files: &'a [LoadedFile]) -> Self {
        let mut logins = Logins {
            database: HashMap::new(),
            repository: HashMap::new(),
        };
        let changed = compared.differences.iter().any(|difference| {
            matches!(difference, Difference::Columns { columns, held, .. }
                if held.record.kind == RecordKind::Phone && columns.iter().any(|c| c.name == "login"))
        });
        if !changed {
            return logins;
        }
        if let Some(table) = database.table(RecordKind::Phone) {
            for index in 0..table.rows.len() {
                let row = Row { table, index };
                if let Some(login) = row.value("login").filter(|l| !l.is_empty()) {
                    logins
                        .database
                        .entry(comparison_key(&login))
                        .or_default()
                        .push(row);
                }
            }
        }
        let phones = files.iter().flat_map(|file| {
            file.document
                .records
                .iter()
                .filter(|record| record.kind == RecordKind::Phone)
                .map(move |record| Held {
                    file: &file.source,
                    record,
                })
        });
        for held in phones {
            let login = held.text("login");
            if !login.is_empty() {
                logins
                    .repository
                    .entry(comparison_key(&login))
                    .or_default()
                    .push(held);
            }
        }
        logins
    }

    /// Says which other phones hold `login`: in the database (in the
    /// message) and in the repository (as related locations).
    fn annotate(
        &self,
        mut finding: Finding,
        login: &str,
        held: &Held<'_>,
        row: Row<'_>,
    ) -> Finding {
        let key = comparison_key(login);
        let others: Vec<String> = self
            .database
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|other| other.index != row.index)
            .map(row_key)
            .collect();
        if !others.is_empty() {
            finding.message.push_str(&format!(
                "; in the database, {} {} the same login",
                others
                    .iter()
                    .map(|other| format!("phone `{other}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if others.len() == 1 { "has" } else { "have" }
            ));
        }
        for other in self.repository.get(&key).into_iter().flatten() {
            if std::ptr::eq(other.record, held.record) {
                continue;
            }
            if let Some(entry) = other.record.field("login") {
                finding = finding.with_related(
                    other.file,
                    entry.value.span,
                    format!(
                        "phone `{}` has this login in the repository",
                        held_key(other)
                    ),
                );
            }
        }
        finding
    }
}
