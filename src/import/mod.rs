//! Database exports -> definition files: `phonelint import`.
//!
//! A front end of its own: read a mysqldump/mariadb-dump SQL file or
//! `mysql --batch` output ([`sql`], [`tsv`]), turn its rows into records
//! ([`convert`]), pick safe file names ([`names`]) and write them atomically
//! ([`write`]). The binary then runs the normal check over the output directory.

mod convert;
mod names;
mod sql;
mod tsv;
mod write;

use std::path::{Path, PathBuf};

pub use convert::{ImportedRecord, records};
pub use names::safe_file_stem;
pub use write::{Layout, OutputFormat, Planned, Written, render};

use crate::load::RecordKind;
use crate::model::columns;

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

/// Why an import failed. Shown on stderr; exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{} already exist{} (use --force to overwrite): {}",
        if .0.len() == 1 { "a file" } else { "files" },
        if .0.len() == 1 { "s" } else { "" },
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    Exists(Vec<PathBuf>),
}

impl ImportError {
    /// A syntax error at a byte offset of `text`, with a 1-based line and
    /// character column.
    pub fn syntax(text: &str, at: usize, message: impl Into<String>) -> Self {
        let before = text.get(..at).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
        ImportError::Syntax {
            line: before.matches('\n').count() + 1,
            column,
            message: message.into(),
        }
    }
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

const NOT_UTF8: &str = "text that is not UTF-8 (export with --default-character-set=utf8mb4)";

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub format: OutputFormat,
    pub layout: Layout,
    /// Also write columns equal to the schema default (NULL is always left out).
    pub all_columns: bool,
    /// Also write columns VICIdial writes at run time.
    pub runtime_columns: bool,
    pub force: bool,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub phones: usize,
    pub aliases: usize,
    pub servers: usize,
    pub written: Vec<Written>,
}

/// Imports the export at `dump` into `options.out`.
pub fn import(dump: &Path, options: &Options) -> Result<Imported, ImportError> {
    // The caller names the dump in its message.
    let bytes = std::fs::read(dump).map_err(|error| ImportError::Invalid(error.to_string()))?;
    import_tables(&read_export(&bytes)?, options)
}

/// Reads an export from memory and plans the files an import would write,
/// without touching the file system (`options.out` and `force` are not used).
/// The fuzz target `import` drives this with arbitrary bytes.
pub fn plan_bytes(
    bytes: &[u8],
    options: &Options,
) -> Result<(Imported, Vec<Planned>), ImportError> {
    plan_tables(&read_export(bytes)?, options)
}

/// The tables of an export (SQL dump or `mysql --batch` output): one
/// [`TableData`] per INSERT or TSV file, and an empty one (the dump's column
/// order) per `CREATE TABLE` of phones, phones_alias or servers.
pub fn read_export(bytes: &[u8]) -> Result<Vec<TableData>, ImportError> {
    // A whole-database dump may hold binary data in tables phonelint skips, so
    // bytes that are not UTF-8 are an error only inside an imported value.
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

/// Imports tables already read (from an export or a live database) into
/// `options.out`.
pub fn import_tables(tables: &[TableData], options: &Options) -> Result<Imported, ImportError> {
    let (mut imported, files) = plan_tables(tables, options)?;
    imported.written = write::write_all(&options.out, &files, options.force)?;
    Ok(imported)
}

/// Plans the files an import of `tables` would write.
pub fn plan_tables(
    tables: &[TableData],
    options: &Options,
) -> Result<(Imported, Vec<Planned>), ImportError> {
    if tables.iter().all(|table| table.rows.is_empty()) {
        return Err(ImportError::Invalid(
            "found no rows of the tables phones, phones_alias or servers".to_owned(),
        ));
    }
    let records = records(tables, options.all_columns, options.runtime_columns);
    let mut imported = Imported::default();
    for record in &records {
        match record.kind {
            RecordKind::Phone => imported.phones += 1,
            RecordKind::Alias => imported.aliases += 1,
            RecordKind::Server => imported.servers += 1,
        }
    }
    let files = write::plan(&records, options.layout, options.format);
    Ok((imported, files))
}

impl Imported {
    /// What was written, one line a file, and the totals.
    pub fn report(&self, dump: &Path) -> String {
        let mut out = String::new();
        for file in &self.written {
            let [phones, aliases, servers] = file.counts;
            out.push_str(&format!(
                "wrote {} ({})\n",
                file.path.display(),
                describe_counts(phones, aliases, servers)
            ));
        }
        out.push_str(&format!(
            "imported {} from {}\n\n",
            describe_counts(self.phones, self.aliases, self.servers),
            dump.display()
        ));
        out
    }
}

/// "152 phones, 0 aliases, 1 server".
fn describe_counts(phones: usize, aliases: usize, servers: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        plural(phones, "phone", "phones"),
        plural(aliases, "alias", "aliases"),
        plural(servers, "server", "servers")
    )
}
