//! Every definition file of a check, for the rules that look across files.

use std::sync::{Arc, OnceLock};

use super::index::{Index, Located, RecordId, RecordKeys};
use super::view::RecordView;
use crate::load::{Document, Record};
use crate::source::SourceFile;

/// One file as loaded.
#[derive(Debug)]
pub struct LoadedFile {
    pub source: Arc<SourceFile>,
    pub document: Document,
}

/// All definition files of a check.
#[derive(Debug, Default)]
pub struct Repository {
    pub files: Vec<LoadedFile>,
    /// Built on first use by [`Repository::index`], once every file is in.
    index: OnceLock<Index>,
    /// The site's VICIdial facts (`[site]`), for the rules across files.
    pub site: super::site::SiteFacts,
}

impl Repository {
    /// Every record a rule may judge (records damaged by syntax errors are left
    /// out), with its file, in file order.
    pub fn records(&self) -> impl Iterator<Item = (&Arc<SourceFile>, &Record, RecordView<'_>)> {
        self.files.iter().flat_map(|file| {
            file.document
                .records
                .iter()
                .filter(|record| !record.damaged)
                .map(move |record| (&file.source, record, RecordView::new(record)))
        })
    }

    /// The cross-file index of every record, built once, on the first call:
    /// add every file before asking for it.
    pub fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            Index::build(
                self.files
                    .iter()
                    .map(|file| (&file.source, file.document.records.as_slice())),
            )
        })
    }

    /// Sets the index from each file's [`RecordKeys`]
    /// (one list per file of `files`, in order), computed as the files were
    /// loaded; without it, [`Repository::index`] computes them.
    pub fn set_index_keys(&mut self, keys: Vec<Vec<RecordKeys>>) {
        self.index = OnceLock::from(Index::from_keys(keys));
    }

    /// The record an index entry names.
    pub fn get(&self, id: RecordId) -> Option<Located<'_>> {
        let file = self.files.get(id.file)?;
        let record = file.document.records.get(id.record)?;
        Some(Located {
            id,
            file: &file.source,
            record,
            view: RecordView::new(record),
        })
    }

    /// The records index entries name, in their order.
    pub fn resolve<'r>(&'r self, ids: &'r [RecordId]) -> impl Iterator<Item = Located<'r>> + 'r {
        ids.iter().filter_map(|id| self.get(*id))
    }
}
