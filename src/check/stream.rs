//! A check's findings in report order, read back a chunk at a time: each
//! file's own findings from the spill, with the file's text read again from
//! disk (it was let go once the file's own rules had run), merged with the
//! findings across files (encoded too, in memory) and those about the
//! policy (held whole).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::codec;
use super::secrets::find_secrets;
use super::spill::{Piece, Spill, Spilled};
use crate::files::read::{ByDirectory, ReadError};
use crate::model::{CHUNK, Finding, FindingStream, ReadFailure, RunError, Summary};
use crate::source::{ReadBackError, SourceFile, file_key};
use crate::text::hash::FnvBuild;

/// Findings read back at a time: with files of some 500 findings, a chunk
/// of [`CHUNK`] holds two files, too few to keep every core reading.
const READ_CHUNK: usize = 2 * CHUNK;

/// One file's own findings, set aside.
#[derive(Debug)]
pub struct SetAside {
    /// The file, its text let go (or held, when it could not be).
    pub file: Arc<SourceFile>,
    pub piece: Piece,
    /// How many findings the piece holds.
    pub count: usize,
}

/// The findings across files, encoded: each rule's one after the other,
/// a file written as its position in the repository.
#[derive(Debug, Default)]
pub struct Across {
    /// The repository's files that the findings show, by position.
    files: Vec<Option<Arc<SourceFile>>>,
    /// Each rule's findings, encoded, in pieces (see [`Across::part`]).
    parts: Vec<Vec<u8>>,
    /// Every finding, in report order.
    entries: Vec<Entry>,
    /// The positions of the files they show, their own and related.
    shown: Vec<u32>,
}

/// Where a finding across files goes in the report, and where it is.
#[derive(Debug)]
struct Entry {
    file: u32,
    start: usize,
    end: usize,
    rule: &'static str,
    part: usize,
    at: usize,
}

/// Findings of one rule across files, encoded (see [`Across::part`]).
#[derive(Debug, Default)]
pub struct Part {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    shown: Vec<u32>,
    /// Those that could not be encoded.
    pub whole: Vec<Finding>,
    /// The findings encoded, counted.
    pub counts: Summary,
}

impl Across {
    /// `files`: the repository's files, by position.
    pub fn new(files: Vec<Arc<SourceFile>>) -> Self {
        Self {
            files: files.into_iter().map(Some).collect(),
            ..Self::default()
        }
    }

    /// Encodes findings of one rule (in order: a rule's findings may come
    /// in several parts, one after the other); `positions` gives a file's
    /// position, by [`file_key`].
    pub fn part(findings: Vec<Finding>, positions: &HashMap<usize, u32, FnvBuild>) -> Part {
        let refer = |file: &Arc<SourceFile>| positions.get(&file_key(file)).copied();
        let mut part = Part::default();
        let mut encoded = codec::Encoded::default();
        for finding in findings {
            let at = encoded.bytes.len();
            let (file, start, end, rule) = (
                refer(&finding.file),
                finding.span.start,
                finding.span.end,
                finding.rule,
            );
            let related: Vec<Option<u32>> =
                finding.related.iter().map(|r| refer(&r.file)).collect();
            let mut counted = Summary::default();
            counted.count_one(&finding);
            match codec::encode(finding, &refer, &mut encoded) {
                Some(whole) => part.whole.push(whole),
                None => {
                    part.counts.add_findings(counted);
                    let file = file.unwrap_or_default();
                    part.shown.push(file);
                    part.shown.extend(related.into_iter().flatten());
                    part.entries.push(Entry {
                        file,
                        start,
                        end,
                        rule,
                        part: 0,
                        at,
                    });
                }
            }
        }
        part.bytes = encoded.bytes;
        part.shown.sort_unstable();
        part.shown.dedup();
        part
    }

    /// Adds the parts, in rule order, and puts every finding in report
    /// order.
    pub fn extend(&mut self, parts: Vec<Part>) {
        for part in parts {
            let number = self.parts.len();
            self.entries
                .extend(part.entries.into_iter().map(|entry| Entry {
                    part: number,
                    ..entry
                }));
            self.shown.extend(part.shown);
            self.parts.push(part.bytes);
        }
        self.shown.sort_unstable();
        self.shown.dedup();
        // The files no finding shows are let go.
        let mut shown = self.shown.iter().peekable();
        for (position, file) in self.files.iter_mut().enumerate() {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            while shown.next_if(|at| **at < position).is_some() {}
            if shown.peek() != Some(&&position) {
                *file = None;
            }
        }
        // Sorted by each file's rank in the order of names, not by the
        // names: a million entries compare two numbers, not two strings
        // reached through two more pointers.
        let ranks = name_ranks(&self.files);
        let rank = |entry: &Entry| {
            let file = usize::try_from(entry.file).unwrap_or(usize::MAX);
            ranks.get(file).copied().unwrap_or_default()
        };
        self.entries.par_sort_by(|a, b| {
            (rank(a), a.start, a.end, a.rule).cmp(&(rank(b), b.start, b.end, b.rule))
        });
    }

    fn name(&self, entry: &Entry) -> &str {
        name(&self.files, entry)
    }
}

/// Each file's rank in the order of the files' names: equal names (every
/// file let go is named "") rank alike, and "" ranks 0, as an entry of a
/// position past the files does.
fn name_ranks(files: &[Option<Arc<SourceFile>>]) -> Vec<u32> {
    // Files let go rank 0 as "" does: only the named are put in order.
    let mut order: Vec<(&str, usize)> = (files.iter().zip(0..))
        .filter_map(|(file, position)| Some((file.as_ref()?.name.as_str(), position)))
        .collect();
    // The files come in the order of their names, or nearly: a sort of long
    // names with long common prefixes took one core a tenth of a second at
    // a hundred thousand files. Positions differ, so the sort is the same
    // whichever is used; the stable one goes through runs already in order.
    if !order.is_sorted() {
        order.sort();
    }
    let mut ranks = vec![0; files.len()];
    let mut rank = 0;
    let mut previous = "";
    for (name, position) in order {
        if name != previous {
            rank += 1;
            previous = name;
        }
        if let Some(slot) = ranks.get_mut(position) {
            *slot = rank;
        }
    }
    ranks
}

/// The name of the file an entry is in.
fn name<'f>(files: &'f [Option<Arc<SourceFile>>], entry: &Entry) -> &'f str {
    files
        .get(usize::try_from(entry.file).unwrap_or(usize::MAX))
        .and_then(Option::as_ref)
        .map_or("", |file| file.name.as_str())
}

#[derive(Debug)]
pub struct Streamed {
    /// Files with findings set aside, by name (the report's order).
    files: Vec<SetAside>,
    across: Across,
    /// The findings held whole, in report order.
    held: Vec<Finding>,
    spill: Spilled,
    /// The released files that findings across files and those held show,
    /// whole, by the key of the released copy (read back once, before the
    /// first chunk).
    pinned: HashMap<usize, Arc<SourceFile>>,
    errors: Mutex<Vec<RunError>>,
}

impl Streamed {
    /// `held` must be in report order.
    pub fn new(mut files: Vec<SetAside>, across: Across, held: Vec<Finding>, spill: Spill) -> Self {
        files.sort_by(|a, b| a.file.name.cmp(&b.file.name));
        let shown = (across.shown.iter())
            .filter_map(|position| across.files.get(usize::try_from(*position).ok()?)?.as_ref());
        let held_files = held.iter().flat_map(|finding| {
            std::iter::once(&finding.file).chain(finding.related.iter().map(|r| &r.file))
        });
        // Each once, in the order shown: the repository's files first, in
        // its order (nearly that of their names), so that the files of a
        // directory follow each other, read through one descriptor of it.
        let mut seen = HashSet::new();
        let released: Vec<(usize, &Arc<SourceFile>)> = (shown.chain(held_files))
            .filter(|file| file.is_released())
            .map(|file| (file_key(file), file))
            .filter(|(key, _)| seen.insert(*key))
            .collect();
        let read: Vec<(usize, Result<Arc<SourceFile>, RunError>)> = released
            .into_par_iter()
            .map_init(ByDirectory::default, |directory, (key, file)| {
                (key, read_back(file, directory))
            })
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
            across,
            held,
            spill: spill.finish(),
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
    fn read(&self, aside: &SetAside, directory: &mut ByDirectory) -> Vec<Finding> {
        let file = match self.whole(&aside.file) {
            Some(file) => Ok(file),
            None => read_back(&aside.file, directory),
        };
        let file = match file {
            Ok(file) => file,
            Err(error) => {
                self.error(error);
                return Vec::new();
            }
        };
        let findings = (self.spill.get(aside.piece).ok())
            .and_then(|bytes| codec::decode_all(&file, &bytes, aside.count));
        findings.unwrap_or_else(|| {
            self.error(RunError::Spill {
                path: file.name.clone(),
            });
            Vec::new()
        })
    }

    /// One finding across files, located in the whole copies of its files;
    /// `None` when one could not be read back (that is an error already).
    fn read_across(&self, entry: &Entry) -> Option<Finding> {
        let resolve = |position: u32| {
            let file = self
                .across
                .files
                .get(usize::try_from(position).ok()?)?
                .as_ref()?;
            self.whole(file)
        };
        let bytes = self.across.parts.get(entry.part)?;
        codec::decode(bytes, entry.at, &resolve).map(|(finding, _)| finding)
    }

    /// The chunk of the set-aside files `files`, the findings across files
    /// `across` and those held `held`, in report order (at one place, a
    /// file's own findings first, then those across files, then the held).
    fn chunk(&self, files: &[SetAside], across: &[Entry], held: &[Finding]) -> Vec<Finding> {
        let read: Vec<Vec<Finding>> = files
            .par_iter()
            .map_init(ByDirectory::default, |directory, aside| {
                self.read(aside, directory)
            })
            .collect();
        let across: Vec<Finding> = across
            .par_iter()
            .filter_map(|entry| self.read_across(entry))
            .collect();
        // Sized once: grown as it is filled, a chunk of a thousand findings
        // of a few hundred bytes each is copied again at every doubling.
        let own: usize = read.iter().map(Vec::len).sum();
        let mut chunk = Vec::with_capacity(own + across.len() + held.len());
        for findings in read {
            chunk.extend(findings);
        }
        chunk.extend(across);
        chunk.extend(held.iter().filter_map(|finding| self.rebound(finding)));
        chunk.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        chunk
    }
}

/// The whole copy of a released file, or why there is none.
fn read_back(
    file: &Arc<SourceFile>,
    directory: &mut ByDirectory,
) -> Result<Arc<SourceFile>, RunError> {
    match file.read_back(directory) {
        Ok(whole) => Ok(Arc::new(find_secrets(whole))),
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
        // A chunk written is freed on a thread of its own: freeing its
        // findings held up the writer (and with it the reading of the next
        // chunk) while cores stood idle. One chunk at most waits to be freed.
        std::thread::scope(|threads| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Finding>>(1);
            let freer = std::thread::Builder::new()
                .name("phonelint-free".into())
                .spawn_scoped(threads, move || receive.into_iter().for_each(drop));
            let free = |chunk: Vec<Finding>| {
                if freer.is_ok() {
                    let _ = send.send(chunk);
                }
            };
            self.chunks_freed_by(each, &free)
        })
    }

    fn take_errors(&self) -> Vec<RunError> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Streamed {
    /// [`FindingStream::chunks`], each chunk given to `free` once written.
    fn chunks_freed_by(
        &self,
        each: &mut dyn FnMut(&[Finding]) -> std::io::Result<()>,
        free: &(dyn Fn(Vec<Finding>) + Sync),
    ) -> std::io::Result<()> {
        let mut files = self.files.as_slice();
        let mut across = self.across.entries.as_slice();
        let mut held = self.held.as_slice();
        // Each chunk is read while the one before it is written, so that
        // reading does not wait for the writer: four chunks at most in
        // memory (read, written, and two given to `free`).
        let mut written: Option<Vec<Finding>> = None;
        loop {
            // Whole files up to a chunk's worth of findings, with the rest
            // up to the last of those files; without files, a chunk's worth
            // of the rest.
            let mut taken = 0;
            let mut count = 0;
            while let Some(aside) = files.get(taken)
                && (taken == 0 || count + aside.count <= READ_CHUNK)
            {
                count += aside.count;
                taken += 1;
            }
            let (now, later) = files.split_at(taken);
            let last = match now.last() {
                Some(aside) => aside.file.name.as_str(),
                None => {
                    let across_last = across.get(across.len().min(CHUNK).wrapping_sub(1));
                    let held_last = held.get(held.len().min(CHUNK).wrapping_sub(1));
                    match (across_last, held_last) {
                        (Some(entry), Some(finding)) => {
                            self.across.name(entry).min(finding.file.name.as_str())
                        }
                        (Some(entry), None) => self.across.name(entry),
                        (None, Some(finding)) => finding.file.name.as_str(),
                        (None, None) => {
                            if let Some(chunk) = written.take() {
                                each(&chunk)?;
                                free(chunk);
                            }
                            break;
                        }
                    }
                }
            };
            files = later;
            let (across_now, across_later) =
                across.split_at(across.partition_point(|entry| self.across.name(entry) <= last));
            across = across_later;
            let (held_now, held_later) =
                held.split_at(held.partition_point(|finding| finding.file.name.as_str() <= last));
            held = held_later;
            let mut chunk = Vec::new();
            let mut result = Ok(());
            rayon::in_place_scope(|scope| {
                scope.spawn(|_| chunk = self.chunk(now, across_now, held_now));
                if let Some(before) = written.take() {
                    result = each(&before);
                    free(before);
                }
            });
            result?;
            written = (!chunk.is_empty()).then_some(chunk);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ranks compare as the names do, for every pair of files: files let go
    /// (no name), files named alike and a position past the files.
    #[test]
    fn ranks_order_files_as_their_names() {
        let named = |name: &str| {
            Some(Arc::new(SourceFile::new(
                name.into(),
                name.into(),
                String::new(),
            )))
        };
        let files = vec![
            named("b.toml"),
            None,
            named("a/z.json"),
            named("b.toml"),
            named("a.toml"),
            None,
            named("a/b.toml"),
        ];
        let ranks = name_ranks(&files);
        let entry = |file: u32| Entry {
            file,
            start: 0,
            end: 0,
            rule: "",
            part: 0,
            at: 0,
        };
        let past = u32::try_from(files.len()).unwrap();
        for a in 0..=past {
            for b in 0..=past {
                let rank = |at: u32| {
                    ranks
                        .get(usize::try_from(at).unwrap())
                        .copied()
                        .unwrap_or_default()
                };
                assert_eq!(
                    rank(a).cmp(&rank(b)),
                    name(&files, &entry(a)).cmp(name(&files, &entry(b))),
                    "{a} against {b}"
                );
            }
        }
    }
}
