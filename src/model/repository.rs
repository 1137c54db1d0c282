//! Every definition file of a check, for the rules that look across files.

use std::sync::Arc;

use super::RecordView;
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
}
