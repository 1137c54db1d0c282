//! Matching the repository's records with the database's rows by their keys,
//! as VICIdial's collation compares keys, and finding the columns whose
//! values differ.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::database::{Database, Table};
use crate::import::RawValue;
use crate::load::{Entry, Record, Value};
use crate::model::LoadedFile;
use crate::model::written::stored_text;
use crate::source::SourceFile;
use crate::vicidial::RecordKind;
use crate::vicidial::collation::{collation_eq, comparison_key};
use crate::vicidial::{Column, ColumnType, column, columns};

/// The columns that identify a record: VICIdial's unique keys
/// (MySQL_AST_CREATE_tables.sql: `extenserver` on phones, the primary key
/// of phones_alias, the unique server_id of servers).
pub fn key_columns(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Phone => &["extension", "server_ip"],
        RecordKind::Alias => &["alias_id"],
        RecordKind::Server => &["server_id"],
    }
}

/// Flags of `servers` that VICIdial sets and clears as work is queued and
/// done (admin.php 19748; ADMIN_keepalive_ALL.pl 3003, 5523;
/// ADMIN_audio_store_sync.pl 218, 230, 569): compared, they would report
/// VICIdial at work, not drift.
const SERVER_WORK_FLAGS: [&str; 5] = [
    "rebuild_conf_files",
    "rebuild_music_on_hold",
    "sounds_update",
    "audio_store_purge",
    "asterisk_temp_no_restart",
];

/// Whether a column is VICIdial's to write, and so not compared.
pub fn owned_by_vicidial(kind: RecordKind, column: &Column) -> bool {
    column.runtime || (kind == RecordKind::Server && SERVER_WORK_FLAGS.contains(&column.name))
}

/// A record of the repository.
#[derive(Debug, Clone, Copy)]
pub struct Held<'a> {
    pub file: &'a Arc<SourceFile>,
    pub record: &'a Record,
}

impl Held<'_> {
    /// The text a column holds as written, or "" when it is not written.
    pub fn text(&self, name: &str) -> String {
        let written = self.record.field(name).and_then(|entry| {
            column(self.record.kind, name)
                .and_then(|column| stored_text(column, &entry.value.value))
                .map(Cow::into_owned)
        });
        written.unwrap_or_default()
    }
}

/// A row of the database: its table and its position there.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub table: &'a Table,
    pub index: usize,
}

impl Row<'_> {
    /// A column's value: `None` for NULL; a missing column or `DEFAULT` is
    /// the schema default.
    pub fn value(&self, name: &str) -> Option<String> {
        let default = || column(self.table.kind, name).and_then(|c| c.default.map(str::to_owned));
        match self.table.value(self.index, name) {
            Some(RawValue::Text(text) | RawValue::Number(text)) => Some(text.clone()),
            Some(RawValue::Null) => None,
            Some(RawValue::Default) | None => default(),
        }
    }
}

/// The identity of a record in messages: `extension@server_ip`, an
/// alias_id, a server_id.
pub fn display_key(kind: RecordKind, part: impl Fn(&str) -> String) -> String {
    match kind {
        RecordKind::Phone => format!("{}@{}", part("extension"), part("server_ip")),
        RecordKind::Alias => part("alias_id"),
        RecordKind::Server => part("server_id"),
    }
}

/// What the repository says of a column.
#[derive(Debug, Clone)]
pub enum Stated<'a> {
    /// Written; `None` for a JSON `null`.
    Written {
        entry: &'a Entry,
        text: Option<String>,
    },
    /// Not written: VICIdial's schema default (`None`: NULL).
    Omitted { default: Option<&'static str> },
}

impl Stated<'_> {
    /// The value VICIdial would store (`None`: NULL).
    pub fn value(&self) -> Option<&str> {
        match self {
            Stated::Written { text, .. } => text.as_deref(),
            Stated::Omitted { default } => *default,
        }
    }
}

/// What the database holds of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The value (`None`: NULL).
    Value(Option<String>),
    /// The table has no such column (an older schema).
    NoColumn,
}

/// A column whose values differ.
#[derive(Debug, Clone)]
pub struct ColumnDifference<'a> {
    /// VICIdial's spelling, or the repository's for a column phonelint
    /// does not know.
    pub name: String,
    pub column: Option<&'static Column>,
    pub repository: Stated<'a>,
    pub database: Found,
}

impl ColumnDifference<'_> {
    /// A credential: its values are never shown unless asked.
    pub fn is_secret(&self) -> bool {
        self.column.is_some_and(|column| column.secret)
    }
}

#[derive(Debug, Clone)]
pub enum Difference<'a> {
    OnlyInRepository(Held<'a>),
    OnlyInDatabase(Row<'a>),
    Columns {
        held: Held<'a>,
        row: Row<'a>,
        columns: Vec<ColumnDifference<'a>>,
    },
}

/// What a comparison found.
#[derive(Debug, Default)]
pub struct Compared<'a> {
    pub differences: Vec<Difference<'a>>,
    /// What was not compared, and why: notes on stderr.
    pub notes: Vec<String>,
    /// The repository's records compared.
    pub records: usize,
}

/// Compares every record of `files` with the rows of `database`.
pub fn compare<'a>(files: &'a [LoadedFile], database: &'a Database) -> Compared<'a> {
    let mut compared = Compared::default();
    for kind in [RecordKind::Server, RecordKind::Alias, RecordKind::Phone] {
        let held: Vec<Held<'a>> = files
            .iter()
            .flat_map(|file| {
                file.document
                    .records
                    .iter()
                    .filter(move |record| record.kind == kind)
                    .map(move |record| Held {
                        file: &file.source,
                        record,
                    })
            })
            .collect();
        let Some(table) = database.table(kind) else {
            if !held.is_empty() {
                compared.notes.push(format!(
                    "{} holds no `{}` table: the repository's {} are not compared",
                    database.name,
                    kind.table(),
                    kind.section()
                ));
            }
            continue;
        };
        if held.is_empty() {
            if !table.rows.is_empty() {
                compared.notes.push(format!(
                    "the repository declares no {}: the {} of {} are not compared",
                    kind.section(),
                    kind.section(),
                    database.name
                ));
            }
            continue;
        }
        compared.records += held.len();
        compare_kind(kind, &held, table, &mut compared);
    }
    compared
}

/// The folded key of a record, from the text of each key column.
fn fold(kind: RecordKind, text: impl Fn(&str) -> String) -> Vec<String> {
    key_columns(kind)
        .iter()
        .map(|name| comparison_key(&text(name)))
        .collect()
}

fn compare_kind<'a>(
    kind: RecordKind,
    held: &[Held<'a>],
    table: &'a Table,
    compared: &mut Compared<'a>,
) {
    // The first record of each key is compared; a later one is `phonelint
    // check`'s duplicate, noted and left alone.
    let mut by_key: HashMap<Vec<String>, usize> = HashMap::new();
    let mut first = vec![false; held.len()];
    for (index, record) in held.iter().enumerate() {
        let key = fold(kind, |name| record.text(name));
        if let Some(&earlier) = by_key.get(&key) {
            let at = |h: &Held<'_>| {
                let position = h.file.line_column(h.record.span.start);
                format!("{}:{}", h.file.name, position.line)
            };
            let first_at = held.get(earlier).map(at).unwrap_or_default();
            compared.notes.push(format!(
                "{}: {} `{}` is declared again (first at {first_at}): only the first is compared (`phonelint check` reports the duplicate)",
                at(record),
                kind.singular(),
                display_key(kind, |name| record.text(name)),
            ));
            continue;
        }
        by_key.insert(key, index);
        if let Some(flag) = first.get_mut(index) {
            *flag = true;
        }
    }
    let mut matched = vec![false; held.len()];
    for index in 0..table.rows.len() {
        let row = Row { table, index };
        let key = fold(kind, |name| row.value(name).unwrap_or_default());
        let found = by_key
            .get(&key)
            .copied()
            .filter(|&i| !matched.get(i).copied().unwrap_or(true));
        let Some(position) = found else {
            compared.differences.push(Difference::OnlyInDatabase(row));
            continue;
        };
        if let Some(flag) = matched.get_mut(position) {
            *flag = true;
        }
        let Some(&record) = held.get(position) else {
            continue;
        };
        // A record a syntax error damaged is matched, not compared (the
        // error is reported).
        if record.record.damaged {
            continue;
        }
        let columns = differing_columns(kind, record, row);
        if !columns.is_empty() {
            compared.differences.push(Difference::Columns {
                held: record,
                row,
                columns,
            });
        }
    }
    for ((record, matched), first) in held.iter().zip(matched).zip(first) {
        if first && !matched {
            compared
                .differences
                .push(Difference::OnlyInRepository(*record));
        }
    }
}

/// What the repository states of a column, or `None` when the value cannot
/// be compared (an array or a table where text belongs: `phonelint check`
/// reports it).
fn stated<'a>(record: &'a Record, column: &Column) -> Option<Stated<'a>> {
    let Some(entry) = record.field(column.name) else {
        return Some(Stated::Omitted {
            default: column.default,
        });
    };
    let text = match &entry.value.value {
        Value::Null => None,
        value => Some(stored_text(column, value)?.into_owned()),
    };
    Some(Stated::Written { entry, text })
}

/// The columns of `record` and `row` whose values differ.
fn differing_columns<'a>(
    kind: RecordKind,
    held: Held<'a>,
    row: Row<'a>,
) -> Vec<ColumnDifference<'a>> {
    let mut out = Vec::new();
    for column in columns(kind) {
        if owned_by_vicidial(kind, column) {
            continue;
        }
        let Some(repository) = stated(held.record, column) else {
            continue;
        };
        let database = match row.table.column(column.name) {
            Some(_) => Found::Value(row.value(column.name)),
            None => Found::NoColumn,
        };
        if differs(Some(column), &repository, &database) {
            out.push(ColumnDifference {
                name: column.name.to_owned(),
                column: Some(column),
                repository,
                database,
            });
        }
    }
    // Keys phonelint does not know (`unknown-field`) are compared with a
    // column of that name when the database has one; a key that differs
    // from a known column only in case is left to `phonelint check`.
    let known = |key: &str| {
        columns(kind)
            .iter()
            .any(|column| column.name.eq_ignore_ascii_case(key))
    };
    for entry in &held.record.fields {
        if known(&entry.key) || row.table.column(&entry.key).is_none() {
            continue;
        }
        let text = match &entry.value.value {
            Value::Null => None,
            Value::String(s) => Some(s.to_string()),
            Value::Integer(i) => Some(i.to_string()),
            Value::Float(f) | Value::Datetime(f) => Some(f.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Array(_) | Value::Table(_) => continue,
        };
        let repository = Stated::Written { entry, text };
        let database = Found::Value(match row.table.value(row.index, &entry.key) {
            Some(RawValue::Text(text) | RawValue::Number(text)) => Some(text.clone()),
            _ => None,
        });
        if differs(None, &repository, &database) {
            out.push(ColumnDifference {
                name: entry.key.to_string(),
                column: None,
                repository,
                database,
            });
        }
    }
    out
}

/// Whether the database's value differs from the repository's. NULL and ''
/// are the same; an omitted column is its default or NULL (a definition
/// cannot write NULL: `import` leaves NULL columns out); an ENUM compares as
/// MySQL stores it (the member the value equals under the collation); an
/// integer compares as a number; all else compares exactly. A column the
/// table lacks differs only when the repository writes a value other than
/// the default.
fn differs(column: Option<&Column>, repository: &Stated<'_>, database: &Found) -> bool {
    let stated = repository.value().unwrap_or("");
    let Found::Value(found) = database else {
        let default = column.and_then(|c| c.default).unwrap_or("");
        return matches!(repository, Stated::Written { .. }) && stated != default;
    };
    if matches!(repository, Stated::Omitted { .. }) && found.is_none() {
        return false;
    }
    let found = found.as_deref().unwrap_or("");
    match column.map(|c| c.ty) {
        Some(ColumnType::YesNo | ColumnType::ZeroOne | ColumnType::Enum(_)) => {
            !collation_eq(stated, found)
        }
        // A column phonelint does not know is compared as a number when
        // both sides are one: `import` writes an unquoted number as one.
        Some(ColumnType::Integer { .. }) | None => {
            match (stated.parse::<i64>(), found.parse::<i64>()) {
                (Ok(a), Ok(b)) => a != b,
                _ => stated != found,
            }
        }
        _ => stated != found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Format, load_str};

    fn database(columns: &[&str], rows: Vec<Vec<RawValue>>) -> Database {
        Database::from_tables(
            "db".into(),
            vec![crate::import::TableData {
                kind: RecordKind::Phone,
                columns: columns.iter().map(|c| (*c).to_owned()).collect(),
                rows,
            }],
        )
    }

    fn text(s: &str) -> RawValue {
        RawValue::Text(s.to_owned())
    }

    fn file(toml: &str) -> LoadedFile {
        LoadedFile {
            source: Arc::new(SourceFile::new(
                "a.toml".into(),
                "a.toml".into(),
                toml.to_owned(),
            )),
            document: load_str(toml, Format::Toml),
        }
    }

    fn names(compared: &Compared<'_>) -> Vec<String> {
        compared
            .differences
            .iter()
            .map(|d| match d {
                Difference::OnlyInRepository(h) => format!("repo {}", h.text("extension")),
                Difference::OnlyInDatabase(r) => format!("db {}", r.value("extension").unwrap()),
                Difference::Columns { columns, .. } => columns
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            })
            .collect()
    }

    #[test]
    fn keys_match_by_collation_values_compare_as_stored() {
        let files = [file(
            "[[phones]]\nextension = \"CC100\"\nserver_ip = \"10.0.0.1\"\nactive = \"y\"\nfullname = \"Desk\"\n\
             [[phones]]\nextension = \"cc101\"\nserver_ip = \"10.0.0.1\"\nphone_ring_timeout = 60\n\
             [[phones]]\nextension = \"cc102\"\nserver_ip = \"10.0.0.1\"\n",
        )];
        let db = database(
            &[
                "extension",
                "server_ip",
                "active",
                "fullname",
                "protocol",
                "phone_ring_timeout",
                "messages",
                "company",
            ],
            vec![
                // Same key under the collation; `Y` is how MySQL stores `y`;
                // fullname differs in case only, which counts.
                vec![
                    text("cc100 "),
                    text("10.0.0.1"),
                    text("Y"),
                    text("desk"),
                    text("SIP"),
                    text("60"),
                    text("7"),
                    RawValue::Null,
                ],
                // The default protocol, an integer, '' for an omitted column.
                vec![
                    text("cc101"),
                    text("10.0.0.1"),
                    RawValue::Null,
                    RawValue::Null,
                    RawValue::Default,
                    RawValue::Number("60".into()),
                    RawValue::Null,
                    text(""),
                ],
                vec![
                    text("cc103"),
                    text("10.0.0.1"),
                    text("Y"),
                    RawValue::Null,
                    text("IAX2"),
                    text("60"),
                    RawValue::Null,
                    RawValue::Null,
                ],
            ],
        );
        let compared = compare(&files, &db);
        assert_eq!(
            names(&compared),
            ["extension,fullname", "db cc103", "repo cc102"]
        );
        assert_eq!(compared.records, 3);
    }

    #[test]
    fn a_column_the_table_lacks_differs_only_when_set() {
        let files = [file(
            "[[phones]]\nextension = \"a\"\nserver_ip = \"1\"\nwebphone_settings = \"VICIPHONE_SETTINGS\"\n\
             [[phones]]\nextension = \"b\"\nserver_ip = \"1\"\nwebphone_settings = \"MINE\"\n",
        )];
        let db = database(
            &["extension", "server_ip"],
            vec![vec![text("a"), text("1")], vec![text("b"), text("1")]],
        );
        let compared = compare(&files, &db);
        assert_eq!(names(&compared), ["webphone_settings"]);
        let Difference::Columns { columns, .. } = &compared.differences[0] else {
            panic!()
        };
        assert_eq!(columns[0].database, Found::NoColumn);
    }

    #[test]
    fn duplicates_are_noted_and_kinds_without_records_are_not_compared() {
        let files = [file(
            "[[phones]]\nextension = \"a\"\nserver_ip = \"1\"\n[[phones]]\nextension = \"A\"\nserver_ip = \"1\"\n",
        )];
        let mut db = database(
            &["extension", "server_ip"],
            vec![vec![text("a"), text("1")]],
        );
        db.tables.push(Table::new(
            RecordKind::Server,
            vec!["server_id".into()],
            vec![vec![text("S1")]],
        ));
        let compared = compare(&files, &db);
        assert!(compared.differences.is_empty(), "{:?}", names(&compared));
        assert_eq!(compared.notes.len(), 2, "{:?}", compared.notes);
        assert!(compared.notes[0].contains("the repository declares no servers"));
        assert!(
            compared.notes[1]
                .starts_with("a.toml:4: phone `A@1` is declared again (first at a.toml:1)")
        );
    }
}
