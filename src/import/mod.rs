//! Database exports -> definition files: `phonelint import`.
//!
//! A front end of its own: read a mysqldump/mariadb-dump SQL file or
//! `mysql --batch` output ([`dump`]: [`sql`], [`tsv`]), turn its rows into records
//! ([`convert`]), pick safe file names ([`names`]) and write them atomically
//! ([`write`]). The binary then runs the normal check over the output directory.

mod convert;
pub mod dump;
mod error;
mod names;
mod sql;
mod table;
mod tsv;
mod write;

use std::path::{Path, PathBuf};

pub use convert::{ImportedRecord, records};
pub use dump::read_export;
pub use error::ImportError;
pub use names::safe_file_stem;
pub use table::{RawValue, TableData, model_column_names, table_kind};
pub use write::{Layout, Planned, Written, render};

use crate::text::words::count;
use crate::vicidial::RecordKind;

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub format: crate::load::Format,
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
    format!(
        "{}, {}, {}",
        count(phones, "phone", "phones"),
        count(aliases, "alias", "aliases"),
        count(servers, "server", "servers")
    )
}
