//! A check's findings in report order, read back a chunk at a time: each
//! file's own findings from the spill, with the file's text read again from
//! disk (it was let go once the file's own rules had run), merged with the
//! findings across files (encoded too, in memory) and those about the
//! policy (held whole).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::codec;
use super::secrets::find_secrets;
use super::spill::{Piece, Spill, Spilled};
use crate::files::read::ReadError;
use crate::model::{CHUNK, Finding, FindingStream, ReadFailure, RunError, Summary};
use crate::source::display::MASK;
use crate::source::{LineColumn, ReadBackError, SourceFile, Span, file_key};
use crate::text::bytes::widen;
use crate::text::hash::FnvBuild;

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
    /// Each rule's findings, encoded.
    parts: Vec<Vec<u8>>,
    /// Every finding, in report order.
    entries: Vec<Entry>,
    /// The positions of the files they show, their own and related.
    shown: Vec<u32>,
    /// The line and column of the start and end of each related location,
    /// entry after entry (see [`Across::locate`]); a line 0 is not known.
    located: Vec<[u32; 4]>,
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
    /// Where its related locations' lines and columns start in
    /// [`Across::located`].
    located: usize,
    /// No secret value of its files occurs in its texts (see
    /// [`Across::locate`]).
    secret_free: bool,
    /// Where its texts start in what [`Across::locate`] asked.
    texts: usize,
}

/// One rule's findings across files, encoded (see [`Across::part`]).
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

/// What [`Across::locate`] asks of each file: (file, start, end, slot) of
/// each related location, each entry's texts (in its part), and (file,
/// entry) for each file of each entry.
#[derive(Default)]
struct Asked<'b> {
    places: Vec<(u32, usize, usize, usize)>,
    texts: Vec<&'b str>,
    masks: Vec<(u32, u32)>,
}

/// What one file answers [`Across::locate`]: the slot and the line and
/// column of the start and end of each related location in it, and the
/// entries whose texts hold one of its secret values.
type Answered = (Vec<(usize, [u32; 4])>, Vec<u32>);

/// Entries read in place by one task of [`Across::locate`].
const LOCATED_A_BLOCK: usize = 4096;

impl Across {
    /// `files`: the repository's files, by position.
    pub fn new(files: Vec<Arc<SourceFile>>) -> Self {
        Self {
            files: files.into_iter().map(Some).collect(),
            ..Self::default()
        }
    }

    /// Encodes one rule's findings (in order); `positions` gives a file's
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
                        located: 0,
                        secret_free: false,
                        texts: 0,
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

    /// Works out, a file at a time, what the report would otherwise look
    /// up in the files of every finding as it comes, out of the caches at a
    /// million phones (the related locations of findings across files are
    /// anywhere in the repository): the line and column of each related
    /// location, in the order of the file, and whether a secret value of
    /// any of a finding's files occurs in its message, help or related
    /// messages (rules never quote one; where one does, the report masks
    /// them as before). `whole` gives a file's whole copy.
    fn locate(&mut self, whole: &(dyn Fn(&Arc<SourceFile>) -> Option<Arc<SourceFile>> + Sync)) {
        // Read in place, on all cores, a block of entries at a time: what
        // each related location asks (file, start, end, slot) and where
        // each entry's texts are in its part; each file asked once an entry.
        let parts = &self.parts;
        let blocks: Vec<Asked> = (self.entries.par_chunks_mut(LOCATED_A_BLOCK).enumerate())
            .map(|(block, entries)| {
                let mut asked = Asked::default();
                let mut files_of: Vec<u32> = Vec::new();
                for (n, entry) in entries.iter_mut().enumerate() {
                    entry.located = asked.places.len();
                    entry.texts = asked.texts.len();
                    files_of.clear();
                    let number = block * LOCATED_A_BLOCK + n;
                    let (Some(bytes), Ok(number)) = (parts.get(entry.part), u32::try_from(number))
                    else {
                        continue;
                    };
                    let mut related = |file: u32, span: Span, message| {
                        let slot = asked.places.len();
                        asked.places.push((file, span.start, span.end, slot));
                        asked.texts.push(message);
                        files_of.push(file);
                    };
                    let Some(texts) = codec::texts(bytes, entry.at, &mut related) else {
                        continue;
                    };
                    asked.texts.push(texts.message);
                    asked.texts.extend(texts.help);
                    files_of.push(texts.file);
                    files_of.sort_unstable();
                    files_of.dedup();
                    asked
                        .masks
                        .extend(files_of.iter().map(|file| (*file, number)));
                    entry.secret_free = true;
                }
                asked
            })
            .collect();
        // The blocks put end to end: slots and texts numbered on.
        let mut asked = Asked::default();
        for (block, found) in self.entries.chunks_mut(LOCATED_A_BLOCK).zip(blocks) {
            let (slots, texts) = (asked.places.len(), asked.texts.len());
            for entry in block {
                entry.located += slots;
                entry.texts += texts;
            }
            let renumbered = found.places.into_iter();
            (asked.places).extend(
                renumbered.map(|(file, start, end, slot)| (file, start, end, slot + slots)),
            );
            asked.texts.extend(found.texts);
            asked.masks.extend(found.masks);
        }
        let Asked {
            mut places,
            texts,
            mut masks,
        } = asked;
        self.located = vec![[0; 4]; places.len()];
        places.par_sort_unstable();
        masks.par_sort_unstable();
        // Each file once, its related locations in order, then the texts
        // its secret values are looked for in.
        let (files, entries) = (&self.files, &self.entries);
        let done: Vec<Answered> = (0..files.len())
            .into_par_iter()
            .filter_map(|position| {
                let number = u32::try_from(position).ok()?;
                let from = places.partition_point(|place| place.0 < number);
                let places = places.get(from..places.partition_point(|place| place.0 <= number))?;
                let from = masks.partition_point(|mask| mask.0 < number);
                let masks = masks.get(from..masks.partition_point(|mask| mask.0 <= number))?;
                if places.is_empty() && masks.is_empty() {
                    return None;
                }
                let file = files.get(position)?.as_ref().and_then(whole);
                let located = (places.iter())
                    .filter_map(|(_, start, end, slot)| {
                        let (start, end) = file.as_ref()?.line_columns(*start, *end);
                        let narrow = |n: usize| u32::try_from(n).ok();
                        let four = [
                            narrow(start.line)?,
                            narrow(start.column)?,
                            narrow(end.line)?,
                            narrow(end.column)?,
                        ];
                        Some((*slot, four))
                    })
                    .collect();
                let quotes = |text: &str| {
                    file.as_ref().is_none_or(|file| {
                        matches!(file.mask_secret_values(text, MASK), Cow::Owned(_))
                    })
                };
                let quoting = (masks.iter())
                    .filter(|(_, number)| {
                        let number = widen(*number);
                        let Some(entry) = entries.get(number) else {
                            return true;
                        };
                        let end = entries
                            .get(number + 1)
                            .map_or(texts.len(), |next| next.texts);
                        (texts.get(entry.texts..end))
                            .is_none_or(|texts| texts.iter().any(|text| quotes(text)))
                    })
                    .map(|(_, number)| *number)
                    .collect();
                Some((located, quoting))
            })
            .collect();
        for (located, quoting) in done {
            for (slot, four) in located {
                if let Some(place) = self.located.get_mut(slot) {
                    *place = four;
                }
            }
            for number in quoting {
                if let Some(entry) = self.entries.get_mut(widen(number)) {
                    entry.secret_free = false;
                }
            }
        }
    }

    /// The line and column of the start and end of the related location
    /// at `slot` of [`Across::located`], if known.
    fn located(&self, slot: usize) -> Option<(LineColumn, LineColumn)> {
        let [line, column, end_line, end_column] = *self.located.get(slot)?;
        (line > 0).then(|| {
            (
                LineColumn {
                    line: widen(line),
                    column: widen(column),
                },
                LineColumn {
                    line: widen(end_line),
                    column: widen(end_column),
                },
            )
        })
    }
}

/// Each file's rank in the order of the files' names: equal names (every
/// file let go is named "") rank alike, and "" ranks 0, as an entry of a
/// position past the files does.
fn name_ranks(files: &[Option<Arc<SourceFile>>]) -> Vec<u32> {
    let names: Vec<&str> = (files.iter())
        .map(|file| file.as_ref().map_or("", |file| file.name.as_str()))
        .collect();
    let mut order: Vec<(&str, usize)> = names.iter().copied().zip(0..).collect();
    order.sort_unstable();
    let mut ranks = vec![0; names.len()];
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
        let mut released: HashMap<usize, &Arc<SourceFile>> = HashMap::new();
        let shown = (across.shown.iter())
            .filter_map(|position| across.files.get(usize::try_from(*position).ok()?)?.as_ref());
        let held_files = held.iter().flat_map(|finding| {
            std::iter::once(&finding.file).chain(finding.related.iter().map(|r| &r.file))
        });
        for file in shown.chain(held_files).filter(|file| file.is_released()) {
            released.insert(file_key(file), file);
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
        let mut across = across;
        across.locate(&|file: &Arc<SourceFile>| whole(&pinned, file));
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
        whole(&self.pinned, file)
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
        let findings =
            (self.spill.get(aside.piece).ok()).and_then(|bytes| codec::decode_all(&file, &bytes));
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
        let (mut finding, _) = codec::decode(bytes, entry.at, &resolve)?;
        for (slot, related) in (entry.located..).zip(&mut finding.related) {
            related.located = self.across.located(slot);
        }
        finding.secret_free = entry.secret_free;
        Some(finding)
    }

    /// The chunk of the set-aside files `files`, the findings across files
    /// `across` and those held `held`, in report order (at one place, a
    /// file's own findings first, then those across files, then the held).
    fn chunk(&self, files: &[SetAside], across: &[Entry], held: &[Finding]) -> Vec<Finding> {
        let read: Vec<Vec<Finding>> = files.par_iter().map(|aside| self.read(aside)).collect();
        let across: Vec<Finding> = across
            .par_iter()
            .filter_map(|entry| self.read_across(entry))
            .collect();
        let mut chunk: Vec<Finding> = read.into_iter().flatten().collect();
        chunk.extend(across);
        chunk.extend(held.iter().filter_map(|finding| self.rebound(finding)));
        chunk.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        chunk
    }
}

/// The whole copy of `file` among those `pinned`: itself when its text is
/// held.
fn whole(
    pinned: &HashMap<usize, Arc<SourceFile>>,
    file: &Arc<SourceFile>,
) -> Option<Arc<SourceFile>> {
    if file.is_released() {
        pinned.get(&file_key(file)).cloned()
    } else {
        Some(Arc::clone(file))
    }
}

/// The whole copy of a released file, or why there is none.
fn read_back(file: &Arc<SourceFile>) -> Result<Arc<SourceFile>, RunError> {
    match file.read_back() {
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
        let mut files = self.files.as_slice();
        let mut across = self.across.entries.as_slice();
        let mut held = self.held.as_slice();
        // Each chunk is read while the one before it is written, so that
        // reading does not wait for the writer: two chunks at most in memory.
        let mut written: Option<Vec<Finding>> = None;
        loop {
            // Whole files up to a chunk's worth of findings, with the rest
            // up to the last of those files; without files, a chunk's worth
            // of the rest.
            let mut taken = 0;
            let mut count = 0;
            while let Some(aside) = files.get(taken)
                && (taken == 0 || count + aside.count <= CHUNK)
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
                }
            });
            result?;
            written = (!chunk.is_empty()).then_some(chunk);
        }
        Ok(())
    }

    fn take_errors(&self) -> Vec<RunError> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked out file by file, each related location's line and column
    /// are what its file gives, and a finding is secret-free exactly when
    /// masking its texts with its files changes none of them.
    #[test]
    fn findings_across_files_are_located_and_checked_for_secrets() {
        use crate::model::Severity;
        use crate::source::display::mask_secrets;
        let secret = "pass = \"Hunter42x\"\nx = 1\n";
        let file = |name: &str, text: &str| {
            Arc::new(
                SourceFile::new(name.into(), name.into(), text.into())
                    .with_secrets(vec![Span::new(7, 18)]),
            )
        };
        let a = file("a.toml", "pass = \"Aaaaaaaa1\"\nstatus = \"é\"\nb = 2\n");
        let b = file("b.toml", secret);
        let c = file("c.toml", "pass = \"Cccccccc3\"\n\n\nkey = 3\n");
        let finding = |message: &str, related: &str| {
            Finding::new(
                "duplicate-login",
                Severity::Error,
                &a,
                Span::new(20, 31),
                message,
            )
            .with_related(&b, Span::new(19, 24), related)
            .with_related(&c, Span::new(23, 30), "there")
            .with_help("a help")
        };
        let findings = vec![
            finding("plain", "here"),
            finding("quotes Hunter42x", "here"),
            finding("plain", "quotes Cccccccc3"),
            finding("plain", "quotes Aaaaaaaa1"),
        ];
        let files = vec![Arc::clone(&a), Arc::clone(&b), Arc::clone(&c)];
        let positions: HashMap<usize, u32, FnvBuild> = (files.iter().zip(0..))
            .map(|(f, n)| (file_key(f), n))
            .collect();
        let mut across = Across::new(files);
        across.extend(vec![Across::part(findings.clone(), &positions)]);
        across.locate(&|file: &Arc<SourceFile>| Some(Arc::clone(file)));
        let resolve = |n: u32| across.files.get(usize::try_from(n).ok()?)?.clone();
        assert_eq!(across.entries.len(), findings.len());
        for entry in &across.entries {
            let bytes = &across.parts[entry.part];
            let (finding, _) = codec::decode(bytes, entry.at, &resolve).unwrap();
            let files = finding.files();
            let texts = [
                &finding.message,
                &finding.related[0].message,
                &finding.related[1].message,
            ];
            let unmasked = texts
                .iter()
                .all(|text| matches!(mask_secrets(text, &files), Cow::Borrowed(_)));
            assert_eq!(entry.secret_free, unmasked, "{}", finding.message);
            for (n, related) in finding.related.iter().enumerate() {
                assert_eq!(
                    across.located(entry.located + n),
                    Some(
                        related
                            .file
                            .line_columns(related.span.start, related.span.end)
                    )
                );
            }
        }
        assert_eq!(across.entries.iter().filter(|e| e.secret_free).count(), 1);
    }

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
            located: 0,
            secret_free: false,
            texts: 0,
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
