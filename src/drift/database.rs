//! The database's side of a comparison: its `phones`, `phones_alias` and
//! `servers` tables as read from an export (`import`'s reader) or from a
//! live server, whichever the rows came from.

use std::collections::HashMap;

use crate::import::{RawValue, TableData};
use crate::vicidial::RecordKind;

/// One table: its columns as the database names them and its rows, each
/// with one value per column.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: RecordKind,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<RawValue>>,
    /// Each column's position by its lower-cased name: every value of every
    /// row is looked up by name.
    positions: HashMap<String, usize>,
}

impl Table {
    pub fn new(kind: RecordKind, columns: Vec<String>, rows: Vec<Vec<RawValue>>) -> Self {
        let mut table = Table {
            kind,
            columns,
            rows,
            positions: HashMap::new(),
        };
        table.index_columns();
        table
    }

    fn index_columns(&mut self) {
        self.positions.clear();
        for (position, name) in self.columns.iter().enumerate() {
            self.positions
                .entry(name.to_ascii_lowercase())
                .or_insert(position);
        }
    }

    /// The position of the column `name` (MySQL column names ignore case).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.positions.get(&name.to_ascii_lowercase()).copied()
    }

    /// The value of column `name` in row `row`: `None` when the table has no
    /// such column.
    pub fn value(&self, row: usize, name: &str) -> Option<&RawValue> {
        let column = self.column(name)?;
        self.rows.get(row)?.get(column)
    }

    /// Row `row` as the one-row export `import` converts and writes.
    pub fn row_data(&self, row: usize) -> TableData {
        TableData {
            kind: self.kind,
            columns: self.columns.clone(),
            rows: self.rows.get(row).cloned().into_iter().collect(),
        }
    }
}

/// The tables a source holds, at most one of each kind.
#[derive(Debug, Clone)]
pub struct Database {
    /// How the source is named in findings and messages: the export's path
    /// as given, or the URL without its password.
    pub name: String,
    pub tables: Vec<Table>,
}

impl Database {
    /// Gathers the tables of an export: every INSERT (and CREATE TABLE) of
    /// a kind is one table, its columns the union of theirs in order of
    /// appearance; a row that does not name a column has its default.
    pub fn from_tables(name: String, data: Vec<TableData>) -> Self {
        let mut tables: Vec<Table> = Vec::new();
        for part in data {
            let index = match tables.iter().position(|t| t.kind == part.kind) {
                Some(index) => index,
                None => {
                    tables.push(Table::new(part.kind, Vec::new(), Vec::new()));
                    tables.len() - 1
                }
            };
            let Some(table) = tables.get_mut(index) else {
                continue;
            };
            let positions: Vec<usize> = part
                .columns
                .iter()
                .map(|name| match table.column(name) {
                    Some(position) => position,
                    None => {
                        table.columns.push(name.clone());
                        table.index_columns();
                        for row in &mut table.rows {
                            row.push(RawValue::Default);
                        }
                        table.columns.len() - 1
                    }
                })
                .collect();
            for values in part.rows {
                let mut row = vec![RawValue::Default; table.columns.len()];
                for (position, value) in positions.iter().zip(values) {
                    if let Some(slot) = row.get_mut(*position) {
                        *slot = value;
                    }
                }
                table.rows.push(row);
            }
        }
        tables.sort_by_key(|table| table.kind);
        Self { name, tables }
    }

    /// The table of `kind`, if the source holds one.
    pub fn table(&self, kind: RecordKind) -> Option<&Table> {
        self.tables.iter().find(|table| table.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> RawValue {
        RawValue::Text(s.to_owned())
    }

    #[test]
    fn inserts_of_one_table_are_merged_by_column_name() {
        let data = vec![
            TableData {
                kind: RecordKind::Phone,
                columns: vec!["extension".into(), "login".into()],
                rows: vec![],
            },
            TableData {
                kind: RecordKind::Phone,
                columns: vec!["extension".into(), "login".into()],
                rows: vec![vec![text("a"), text("la")]],
            },
            TableData {
                kind: RecordKind::Phone,
                columns: vec!["LOGIN".into(), "pass".into()],
                rows: vec![vec![text("lb"), text("x")]],
            },
            TableData {
                kind: RecordKind::Server,
                columns: vec!["server_id".into()],
                rows: vec![],
            },
        ];
        let db = Database::from_tables("dump.sql".into(), data);
        let phones = db.table(RecordKind::Phone).unwrap();
        assert_eq!(phones.columns, ["extension", "login", "pass"]);
        assert_eq!(
            phones.rows,
            [
                vec![text("a"), text("la"), RawValue::Default],
                vec![RawValue::Default, text("lb"), text("x")],
            ]
        );
        assert_eq!(phones.value(1, "Login"), Some(&text("lb")));
        assert_eq!(phones.value(1, "fullname"), None);
        assert!(db.table(RecordKind::Server).unwrap().rows.is_empty());
        assert!(db.table(RecordKind::Alias).is_none());
        assert_eq!(phones.row_data(1).rows.len(), 1);
    }
}
