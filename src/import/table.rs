//! What an export holds of the tables phonelint imports: their rows, as
//! raw values before they meet a column.

use crate::vicidial::{RecordKind, columns};

/// A value as the export holds it, before it meets a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawValue {
    /// A quoted string (SQL) or any field (TSV), unescaped.
    Text(String),
    /// An unquoted numeric literal, as written.
    Number(String),
    Null,
    /// SQL `DEFAULT`: the column's schema default.
    Default,
}

/// The rows of one INSERT (or one TSV file) for a wanted table.
#[derive(Debug, Clone)]
pub struct TableData {
    pub kind: RecordKind,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<RawValue>>,
}

/// The kind of record a VICIdial table holds, if phonelint imports it.
pub fn table_kind(name: &str) -> Option<RecordKind> {
    RecordKind::ALL
        .into_iter()
        .find(|kind| kind.table().eq_ignore_ascii_case(name))
}

/// The current schema's column names, for an INSERT without a column list and
/// no CREATE TABLE before it.
pub fn model_column_names(kind: RecordKind) -> Vec<String> {
    columns(kind).iter().map(|c| c.name.to_owned()).collect()
}
