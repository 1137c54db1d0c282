//! A check's findings in report order, read back a chunk at a time: each
//! file's own findings from the spill, with the file's text read again from
//! disk (it was let go once the file's own rules had run), merged with the
//! findings held whole (those across files and about the policy).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::codec;
use super::spill::{Piece, Spill};
use crate::files::read::ReadError;
use crate::model::{CHUNK, Finding, FindingStream, ReadFailure, RunError};
use crate::source::{ReadBackError, SourceFile, file_key};

/// One file's own findings, set aside.
#[derive(Debug)]
pub struct SetAside {
    /// The file, its text let go (or held, when it could not be).
    pub file: Arc<SourceFile>,
    pub piece: Piece,
    /// How many findings the piece holds.
    pub count: usize,
}

#[derive(Debug)]
pub struct Streamed {
    /// Files with findings set aside, by name (the report's order).
    files: Vec<SetAside>,
    /// The findings held whole, in report order.
    held: Vec<Finding>,
    spill: Spill,
    /// The files that `held` shows, whole, by the key of the copy the
    /// findings hold (read back once, before the first chunk).
    pinned: HashMap<usize, Arc<SourceFile>>,
    errors: Mutex<Vec<RunError>>,
}

impl Streamed {
    /// `held` must be in report order.
    pub fn new(mut files: Vec<SetAside>, held: Vec<Finding>, spill: Spill) -> Self {
        files.sort_by(|a, b| a.file.name.cmp(&b.file.name));
        let mut released: HashMap<usize, &Arc<SourceFile>> = HashMap::new();
        for finding in &held {
            let files =
                std::iter::once(&finding.file).chain(finding.related.iter().map(|r| &r.file));
            for file in files.filter(|file| file.is_released()) {
                released.insert(file_key(file), file);
            }
        }
        let read: Vec<(usize, Result<Arc<SourceFile>, RunError>)> = released
            .into_par_iter()
            .map(|(key, file)| (key, read_back(file)))
            .collect();
        let mut pinned = HashMap::new();
        let mut errors = Vec::new();
        for (key, file) in read {
            match file {
                Ok(file) => {
                    pinned.insert(key, file);
                }
                Err(error) => errors.push(error),
            }
        }
        Self {
            files,
            held,
            spill,
            pinned,
            errors: Mutex::new(errors),
        }
    }

    /// Records `error`, once however many times the findings are read.
    fn error(&self, error: RunError) {
        let mut errors = self.errors.lock().unwrap_or_else(PoisonError::into_inner);
        let said = error.to_string();
        if !errors.iter().any(|known| known.to_string() == said) {
            errors.push(error);
        }
    }

    /// The whole copy of `file`: itself when its text is held.
    fn whole(&self, file: &Arc<SourceFile>) -> Option<Arc<SourceFile>> {
        if file.is_released() {
            self.pinned.get(&file_key(file)).cloned()
        } else {
            Some(Arc::clone(file))
        }
    }

    /// A held finding with the whole copies of its files; `None` when one
    /// could not be read back (that is an error already).
    fn rebound(&self, finding: &Finding) -> Option<Finding> {
        let mut finding = finding.clone();
        finding.file = self.whole(&finding.file)?;
        for related in &mut finding.related {
            related.file = self.whole(&related.file)?;
        }
        Some(finding)
    }

    /// The findings of one set-aside file, located in its whole copy.
    fn read(&self, aside: &SetAside) -> Vec<Finding> {
        let file = match self.whole(&aside.file) {
            Some(file) => Ok(file),
            None => read_back(&aside.file),
        };
        let file = match file {
            Ok(file) => file,
            Err(error) => {
                self.error(error);
                return Vec::new();
            }
        };
        let findings = self
            .spill
            .get(aside.piece)
            .ok()
            .and_then(|bytes| codec::decode(&file, &bytes));
        findings.unwrap_or_else(|| {
            self.error(RunError::Spill {
                path: file.name.clone(),
            });
            Vec::new()
        })
    }

    /// The chunk of the set-aside files `files` and of the held findings
    /// `held`, in report order (a file's own findings before those held, at
    /// one place).
    fn chunk(&self, files: &[SetAside], held: &[Finding]) -> Vec<Finding> {
        let read: Vec<Vec<Finding>> = files.par_iter().map(|aside| self.read(aside)).collect();
        let mut chunk: Vec<Finding> = read.into_iter().flatten().collect();
        chunk.extend(held.iter().filter_map(|finding| self.rebound(finding)));
        chunk.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        chunk
    }
}

/// The whole copy of a released file, or why there is none.
fn read_back(file: &Arc<SourceFile>) -> Result<Arc<SourceFile>, RunError> {
    match file.read_back() {
        Ok(whole) => Ok(Arc::new(whole)),
        Err(ReadBackError::Changed) => Err(RunError::Changed {
            path: file.name.clone(),
        }),
        Err(ReadBackError::Unreadable(error)) => {
            let path = file.name.clone();
            let why = match error {
                ReadError::TooLarge { .. } => return Err(RunError::Changed { path }),
                ReadError::Link => ReadFailure::NoLongerRegular,
                ReadError::NotRegular => ReadFailure::NotRegular,
                ReadError::Io(error) => ReadFailure::Io(error),
            };
            Err(RunError::Read { path, why })
        }
    }
}

impl FindingStream for Streamed {
    fn chunks(
        &self,
        each: &mut dyn FnMut(&[Finding]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut held = self.held.as_slice();
        let mut files = self.files.as_slice();
        while !files.is_empty() || !held.is_empty() {
            // Whole files up to a chunk's worth of findings, and the held
            // findings up to the last of those files.
            let mut taken = 0;
            let mut count = 0;
            while let Some(aside) = files.get(taken)
                && (taken == 0 || count + aside.count <= CHUNK)
            {
                count += aside.count;
                taken += 1;
            }
            let (now, later) = files.split_at(taken);
            files = later;
            let until = match now.last() {
                Some(last) => held.partition_point(|f| f.file.name <= last.file.name),
                // Held findings alone come a chunk at a time too.
                None => held.len().min(CHUNK),
            };
            let (held_now, held_later) = held.split_at(until);
            held = held_later;
            let chunk = self.chunk(now, held_now);
            if !chunk.is_empty() {
                each(&chunk)?;
            }
        }
        Ok(())
    }

    fn take_errors(&self) -> Vec<RunError> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
