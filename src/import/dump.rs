//! Reading an export: a mysqldump/mariadb-dump SQL file or `mysql --batch`
//! output, told apart by its first line, into the rows of the tables
//! phonelint imports.

use super::error::{ImportError, NOT_UTF8};
use super::table::TableData;
use super::{sql, tsv};

/// What kind of export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Sql,
    Tsv,
}

/// Tells SQL from `mysql --batch` output: a batch export starts with a header
/// row of tab-separated column names.
pub fn sniff(text: &str) -> InputKind {
    let first = text.lines().next().unwrap_or_default();
    let first = first.strip_suffix('\r').unwrap_or(first);
    let is_header = first.contains('\t')
        && first.split('\t').all(|name| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
    if is_header {
        InputKind::Tsv
    } else {
        InputKind::Sql
    }
}

/// The tables of an export: one [`TableData`] per INSERT or TSV file, and
/// an empty one (the dump's column order) per `CREATE TABLE` of phones,
/// phones_alias or servers. Bytes that are not UTF-8 are an error only inside
/// an imported value: a whole-database dump may hold binary data in tables
/// phonelint skips.
pub fn read_export(bytes: &[u8]) -> Result<Vec<TableData>, ImportError> {
    let text = String::from_utf8_lossy(bytes);
    let utf8 = matches!(text, std::borrow::Cow::Borrowed(_));
    match sniff(&text) {
        InputKind::Sql => sql::parse(&text, utf8),
        InputKind::Tsv if !utf8 => {
            let at = text.find('\u{FFFD}').unwrap_or_default();
            Err(ImportError::syntax(&text, at, NOT_UTF8))
        }
        InputKind::Tsv => Ok(vec![tsv::parse(&text)?]),
    }
}
