//! A file's text with a line index, so that spans turn into line and column
//! numbers without rescanning the file for every diagnostic, and the spans
//! of its secret values.

use std::borrow::Cow;
use std::path::PathBuf;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::span::{LineColumn, Span};
use crate::files::read::{ByDirectory, MAX_FILE_SIZE, ReadError};
use crate::text::bytes::widen;
use crate::text::hash::digest;

/// One file as read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// Where the file is on disk, as discovered (used to read and to write fixes).
    pub path: PathBuf,
    /// The path shown to users, as they typed it: relative to the current
    /// directory, `/` separators.
    pub name: String,
    pub text: String,
    /// Where lines start, built on first use: most files of a check never
    /// show a finding.
    line_starts: std::sync::OnceLock<Box<LineStarts>>,
    /// Values of credential columns: masked wherever the text is shown.
    /// Unset while they have not been looked for: a file read only for the
    /// rules across files, or one with nothing to show, does not look for
    /// them until a finding shows it (see [`SourceFile::with_secrets_unknown`]).
    secrets: std::sync::OnceLock<Vec<Span>>,
    /// The path relative to the project root (`/` separators), when it
    /// differs from `name` (see [`SourceFile::relative`]). Boxed, not a
    /// `String`: the room spared holds `document_secrets`.
    relative: Option<Box<str>>,
    /// The whole text parsed as TOML/JSON: fixes are written only to such files.
    pub parsed: bool,
    /// Findings located in this file are reported: the file was asked about,
    /// or it is not a file of the repository (phonelint.toml, the baseline).
    /// A file only read for the rules across files is not.
    pub reported: bool,
    /// The secret values to mask in messages, found on first use.
    secret_values: std::sync::OnceLock<Box<SecretValues>>,
    /// Set when the text has been let go (see [`SourceFile::released`]):
    /// what it was, to tell it is read back unchanged.
    released: Option<Released>,
    /// The secrets of the parsed document, kept while the file's secrets are
    /// unknown (see [`SourceFile::with_document_secrets`]).
    document_secrets: DocumentSecrets,
}

/// The spans of the secrets of a file's parsed document, when there are
/// few: a file read back for a finding across files finds its secrets in
/// its text alone, without parsing it again. Inline, not on the heap: a
/// hundred thousand files of one phone (two secrets each) keep theirs in
/// the allocation they had. Gathered with [`DocumentSecrets::push`].
#[derive(Debug, Clone, Copy)]
pub struct DocumentSecrets {
    spans: [(u32, u32); DOCUMENT_SECRETS],
    /// How many of `spans` are the document's; [`DocumentSecrets::UNKNOWN`]
    /// when they are not kept.
    count: u8,
}

/// The most document secrets a file keeps (a phone has two: `pass` and
/// `conf_secret`).
const DOCUMENT_SECRETS: usize = 2;

impl Default for DocumentSecrets {
    /// None yet.
    fn default() -> Self {
        Self {
            spans: [(0, 0); DOCUMENT_SECRETS],
            count: 0,
        }
    }
}

impl DocumentSecrets {
    const UNKNOWN: u8 = u8::MAX;

    fn unknown() -> Self {
        Self {
            count: Self::UNKNOWN,
            ..Self::default()
        }
    }

    /// Adds a span: past `DOCUMENT_SECRETS` of them (or past 32 bits),
    /// none are kept.
    pub fn push(&mut self, span: Span) {
        let slot = self.spans.get_mut(usize::from(self.count));
        match (slot, u32::try_from(span.start), u32::try_from(span.end)) {
            (Some(slot), Ok(start), Ok(end)) => {
                *slot = (start, end);
                self.count += 1;
            }
            _ => *self = Self::unknown(),
        }
    }

    fn spans(&self) -> Option<Vec<Span>> {
        let count = usize::from(self.count);
        let spans = self.spans.get(..count)?;
        Some(spans.iter().copied().map(wide).collect())
    }
}

/// What a released text was: its length and [`digest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Released {
    length: usize,
    digest: u64,
}

/// Why a released file's text could not be read back.
#[derive(Debug)]
pub enum ReadBackError {
    /// It is no longer what was checked (or no longer UTF-8 text).
    Changed,
    /// It could not be read again.
    Unreadable(ReadError),
}

/// Where every [`LINES_A_MARK`]th line starts, and how many lines there are:
/// a line's start is found from the mark before it with a scan of at most
/// that many lines, for a sixty-fourth of the memory of every line's start
/// (a file read back for its findings keeps its index while they are shown).
#[derive(Debug)]
struct LineStarts {
    /// The start of every [`LINES_A_MARK`]th line (a file is at most 32 MiB).
    marks: Vec<u32>,
    lines: usize,
}

const LINES_A_MARK: usize = 16;

/// The start of the last span located (see
/// [`SourceFile::line_columns_after`]): its file, offset and 0-based line.
#[derive(Debug, Default, Clone, Copy)]
pub struct LineCursor<'f> {
    at: Option<(&'f SourceFile, usize, usize)>,
}

/// Up to this many bytes on from the last span, a start's line is counted
/// on from it; farther, it is searched for in the file's [`LineStarts`].
const NEAR_BYTES: usize = 4096;

/// Texts up to this many bytes find a line without [`LineStarts`] (a file
/// of one phone is a few hundred).
const SHORT_TEXT: usize = 1024;

impl LineStarts {
    fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut marks = vec![0];
        let mut lines = 1;
        for newline in memchr::memchr_iter(b'\n', bytes) {
            if lines % LINES_A_MARK == 0 {
                marks.push(u32::try_from(newline + 1).unwrap_or(u32::MAX));
            }
            lines += 1;
        }
        marks.shrink_to_fit();
        Self { marks, lines }
    }

    /// The 0-based index of the line holding `offset` (at most the text's
    /// length).
    fn line_index(&self, text: &str, offset: usize) -> usize {
        let mark = self
            .marks
            .partition_point(|start| widen(*start) <= offset)
            .saturating_sub(1);
        let from = self.marks.get(mark).copied().map_or(0, widen);
        let between = text.as_bytes().get(from..offset).unwrap_or_default();
        mark * LINES_A_MARK + memchr::memchr_iter(b'\n', between).count()
    }

    /// Where line `line` starts; the text's length past the last line.
    fn line_start(&self, text: &str, line: usize) -> usize {
        if line >= self.lines {
            return text.len();
        }
        let mark = line / LINES_A_MARK;
        let mut at = self.marks.get(mark).copied().map_or(0, widen);
        for _ in 0..line % LINES_A_MARK {
            let rest = text.as_bytes().get(at..).unwrap_or_default();
            match memchr::memchr(b'\n', rest) {
                Some(newline) => at += newline + 1,
                None => return text.len(),
            }
        }
        at
    }
}

/// Shortest secret masked inside messages: shorter values occur in ordinary
/// text too often to be told apart (and shipped defaults are public anyway).
const MIN_MASKED_IN_MESSAGES: usize = 4;

/// Above this many values, a [`PrefixIndex`] finds them all in a message: a
/// file of a thousand phones has thousands of secrets, and comparing each
/// with every finding's message would make a packed repository quadratic.
/// Below it, the index would cost more than the comparisons.
const MANY_SECRET_VALUES: usize = 16;

/// The secret values of a file as they may appear in a message: each value
/// as written (quotes included) and bare, when long enough to mask.
#[derive(Debug, Default)]
struct SecretValues {
    /// Each value's start and end (a file is at most 32 MiB).
    spans: Vec<(u32, u32)>,
    /// The values by prefix, when there are many.
    index: Option<PrefixIndex>,
}

/// Secret values by their first four bytes (each has at least four), to find
/// the leftmost longest value in a message in one pass: two bits of one word
/// of a filter per hashed prefix reject nearly every position at once, and
/// the values of that word, listed together, are the few that may start
/// there. Built in a fraction of the time an automaton over thousands of
/// values takes, for a file that may show one finding.
#[derive(Debug)]
struct PrefixIndex {
    /// A bit for each pair of first two bytes of a value: read straight at
    /// the pair, it rejects most positions before the hash of four bytes.
    pairs: Vec<u64>,
    filter: Vec<u64>,
    /// Where each filter word's values start in `values`; one more entry
    /// than words.
    starts: Vec<u32>,
    /// (prefix, position in `spans`), word after word.
    values: Vec<(u32, u32)>,
}

/// A span in 32 bits a side (a file is at most 32 MiB; a larger offset
/// is saturated, and slices to nothing).
fn narrow(span: Span) -> (u32, u32) {
    let side = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
    (side(span.start), side(span.end))
}

fn wide((start, end): (u32, u32)) -> Span {
    Span::new(widen(start), widen(end))
}

/// Words in [`PrefixIndex::filter`].
const PREFIX_FILTER_WORDS: usize = 1 << 10;

fn prefix_of(bytes: &[u8]) -> Option<u32> {
    let four: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    Some(u32::from_le_bytes(four))
}

/// Words in [`PrefixIndex::pairs`]: a bit for each pair of bytes.
const PAIR_WORDS: usize = (1 << 16) / 64;

/// The word and bit of the first two bytes of a prefix in
/// [`PrefixIndex::pairs`].
fn pair_place(prefix: u32) -> (usize, u64) {
    let pair = usize::try_from(prefix & 0xffff).unwrap_or(0);
    (pair / 64, 1 << (pair % 64))
}

/// The word of a prefix in the filter, and its two bits there (from the
/// high bits of a multiplicative hash, the well-mixed ones).
fn filter_place(prefix: u32) -> (usize, u64) {
    let hash = u64::from(prefix).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = usize::try_from(hash >> 54).unwrap_or(0) % PREFIX_FILTER_WORDS;
    let bits = (1 << ((hash >> 48) & 63)) | (1 << ((hash >> 42) & 63));
    (word, bits)
}

impl PrefixIndex {
    fn new<'v>(values: impl Iterator<Item = &'v [u8]>) -> Self {
        let mut filter = vec![0u64; PREFIX_FILTER_WORDS];
        let mut pairs = vec![0u64; PAIR_WORDS];
        let mut placed: Vec<(u16, u32, u32)> = Vec::new();
        // How many values each filter word has, then (summed) where its
        // values start: placed word by word in two passes, where a sort
        // of thousands of values was most of the time a file's index took.
        let mut starts = vec![0u32; PREFIX_FILTER_WORDS + 1];
        for (position, value) in values.enumerate() {
            let Some(prefix) = prefix_of(value) else {
                continue;
            };
            let (word, bit) = pair_place(prefix);
            if let Some(word) = pairs.get_mut(word) {
                *word |= bit;
            }
            let (word, bits) = filter_place(prefix);
            if let Some(word) = filter.get_mut(word) {
                *word |= bits;
            }
            if let Some(count) = starts.get_mut(word + 1) {
                *count += 1;
            }
            let word = u16::try_from(word).unwrap_or(u16::MAX);
            placed.push((word, prefix, u32::try_from(position).unwrap_or(u32::MAX)));
        }
        let mut sum = 0;
        for start in &mut starts {
            sum += *start;
            *start = sum;
        }
        let mut values = vec![(0, 0); placed.len()];
        let mut next = starts.clone();
        for (word, prefix, position) in placed {
            if let Some(at) = next.get_mut(usize::from(word))
                && let Some(slot) = values.get_mut(widen(*at))
            {
                *slot = (prefix, position);
                *at += 1;
            }
        }
        Self {
            pairs,
            filter,
            starts,
            values,
        }
    }

    /// The filter word of `prefix`, when the filter knows the prefix (values
    /// may start with it).
    fn knows(&self, prefix: u32) -> Option<usize> {
        let (word, bits) = filter_place(prefix);
        let known = self.filter.get(word).is_some_and(|w| w & bits == bits);
        known.then_some(word)
    }

    /// The first position from `at` on where a value may start: where the
    /// filter knows the four bytes there. The one pass over a message that
    /// nearly always finds none.
    fn next_candidate(&self, text: &[u8], at: usize) -> Option<usize> {
        let known = |four: &[u8]| {
            <[u8; 4]>::try_from(four).is_ok_and(|four| {
                let prefix = u32::from_le_bytes(four);
                let (word, bit) = pair_place(prefix);
                self.pairs.get(word).is_some_and(|w| w & bit != 0) && self.knows(prefix).is_some()
            })
        };
        let found = text.get(at..)?.windows(4).position(known)?;
        Some(at + found)
    }

    /// The length of the longest value that `text` starts with, if any.
    fn longest_at<'v>(&self, text: &[u8], value: impl Fn(usize) -> &'v [u8]) -> Option<usize> {
        let prefix = prefix_of(text)?;
        let word = self.knows(prefix)?;
        let start = self.starts.get(word).map_or(0, |at| widen(*at));
        let end = self.starts.get(word + 1).map_or(0, |at| widen(*at));
        self.values
            .get(start..end)?
            .iter()
            .filter(|(p, _)| *p == prefix)
            .map(|(_, position)| value(widen(*position)))
            .filter(|candidate| text.starts_with(candidate))
            .map(<[u8]>::len)
            .max()
    }
}

/// Texts up to this many bytes are searched for a value by its first byte
/// (see [`occurs`]).
const SHORT_MESSAGE: usize = 512;

/// Whether `value` occurs in `text`, as `str::contains` tells. A message is
/// a short text: each place its first byte is at is compared, where a
/// searcher set up for every value and message costs more than the search.
fn occurs(text: &[u8], value: &[u8]) -> bool {
    let Some((first, rest)) = value.split_first() else {
        return true;
    };
    if text.len() > SHORT_MESSAGE {
        return memchr::memmem::find(text, value).is_some();
    }
    let Some(last_start) = text.len().checked_sub(value.len()) else {
        return false;
    };
    let starts = text.get(..=last_start).unwrap_or_default();
    memchr::memchr_iter(*first, starts).any(|at| {
        text.get(at + 1..)
            .is_some_and(|after| after.starts_with(rest))
    })
}

/// Whether `text` has at least `count` characters: told by its length
/// alone unless it is between `count` and four times `count` bytes long.
fn has_chars(text: &str, count: usize) -> bool {
    if text.len() < count {
        false
    } else if text.len() >= 4 * count {
        true
    } else {
        text.chars().count() >= count
    }
}

/// Identifies a loaded file by its allocation (files are shared as `Arc`s):
/// a key for maps from files, cheaper than hashing paths.
pub fn file_key(file: &std::sync::Arc<SourceFile>) -> usize {
    std::sync::Arc::as_ptr(file) as usize
}

/// Spans in order, those that overlap merged, so each secret is masked whole.
fn merged(mut secrets: Vec<Span>) -> Vec<Span> {
    // A stable sort: the spans come as a few runs already in order (those
    // of the document, then those of the text), which it merges in linear
    // time where an unstable sort would partition them all again.
    secrets.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(secrets.len());
    for span in secrets {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

impl SourceFile {
    pub fn new(path: PathBuf, name: String, text: String) -> Self {
        Self {
            path,
            relative: None,
            name,
            text,
            line_starts: std::sync::OnceLock::new(),
            secrets: std::sync::OnceLock::from(Vec::new()),
            parsed: true,
            reported: true,
            secret_values: std::sync::OnceLock::new(),
            released: None,
            document_secrets: DocumentSecrets::unknown(),
        }
    }

    /// Marks a file whose secrets were not looked for: whoever shows its
    /// text must find them first (and give them with
    /// [`SourceFile::with_secrets`]).
    pub fn with_secrets_unknown(mut self) -> Self {
        self.secrets = std::sync::OnceLock::new();
        self
    }

    /// Whether the file's secrets were looked for (see
    /// [`SourceFile::with_secrets_unknown`]).
    pub fn secrets_known(&self) -> bool {
        self.secrets.get().is_some()
    }

    /// The spans of the secret values, merged and in order; none while they
    /// are unknown.
    pub fn secrets(&self) -> &[Span] {
        self.secrets.get().map_or(&[], Vec::as_slice)
    }

    /// This file without its text: what its findings, its suppressions and
    /// the rules across files need of it once its own rules have run (its
    /// names, its flags, where its secrets are), for a fraction of the
    /// memory. [`SourceFile::read_back`] reads the text again, when a finding
    /// in it is shown.
    pub fn released(&self) -> SourceFile {
        let released = self.released.unwrap_or(Released {
            length: self.text.len(),
            digest: digest(self.text.as_bytes()),
        });
        self.copy(String::new(), Some(released))
    }

    /// This file with another text.
    fn copy(&self, text: String, released: Option<Released>) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            name: self.name.clone(),
            text,
            line_starts: std::sync::OnceLock::new(),
            secrets: self.secrets.clone(),
            relative: self.relative.clone(),
            parsed: self.parsed,
            reported: self.reported,
            secret_values: std::sync::OnceLock::new(),
            released,
            document_secrets: if self.secrets_known() {
                DocumentSecrets::unknown()
            } else {
                self.document_secrets
            },
        }
    }

    /// Whether the text has been let go (see [`SourceFile::released`]).
    pub fn is_released(&self) -> bool {
        self.released.is_some()
    }

    /// What a released text was: its length and [`digest`] (see
    /// [`SourceFile::released`]).
    pub fn released_text(&self) -> Option<(usize, u64)> {
        self.released
            .map(|released| (released.length, released.digest))
    }

    /// A file known without its text, as [`SourceFile::released`] leaves
    /// one: read back when a finding shows it, if it is still the text of
    /// that length and [`digest`] (its secrets are found then).
    pub fn known_by_digest(path: PathBuf, name: String, length: usize, digest: u64) -> Self {
        let mut file = SourceFile::new(path, name, String::new()).with_secrets_unknown();
        file.released = Some(Released { length, digest });
        file
    }

    /// A released file whole again: its text read from disk (read as every
    /// definition is, see [`crate::files::read::read_regular`]; by its name
    /// in its directory, which files read back one after another mostly
    /// share), if it is the text that was checked. A file whose text is held
    /// is given back as a copy.
    pub fn read_back(&self, directory: &mut ByDirectory) -> Result<SourceFile, ReadBackError> {
        let text = match self.released {
            None => self.text.clone(),
            Some(released) => {
                let bytes = (directory.read_regular(&self.path, MAX_FILE_SIZE))
                    .map_err(ReadBackError::Unreadable)?;
                if bytes.len() != released.length || digest(&bytes) != released.digest {
                    return Err(ReadBackError::Changed);
                }
                String::from_utf8(bytes).map_err(|_| ReadBackError::Changed)?
            }
        };
        Ok(self.copy(text, None))
    }

    /// Sets the path relative to the project root, when it differs from the
    /// name.
    pub fn with_relative(mut self, relative: Option<String>) -> Self {
        self.relative = relative
            .filter(|relative| *relative != self.name)
            .map(String::into_boxed_str);
        self
    }

    /// The path relative to the project root (`/` separators), for globs,
    /// `[[allow]]` paths, baselines and fingerprints (and, from the top of
    /// the checkout, github and SARIF). Kept once when it is the name, as it
    /// is when phonelint runs at the root.
    pub fn relative(&self) -> &str {
        self.relative.as_deref().unwrap_or(&self.name)
    }

    /// Marks the spans of secret values, to be masked in snippets.
    /// Overlapping spans are merged, so each secret is masked whole.
    pub fn with_secrets(mut self, secrets: Vec<Span>) -> Self {
        self.secrets = std::sync::OnceLock::from(merged(secrets));
        self.document_secrets = DocumentSecrets::unknown();
        self
    }

    /// Keeps the spans of the secrets of the file's parsed document (see
    /// [`crate::model::secret_spans`]) while its secrets are unknown: with
    /// those of its text, they are its secrets (see
    /// [`SourceFile::document_secrets`]).
    pub fn with_document_secrets(mut self, secrets: DocumentSecrets) -> Self {
        self.document_secrets = secrets;
        self
    }

    /// The spans of the secrets of the file's parsed document, when they
    /// were kept (see [`SourceFile::with_document_secrets`]).
    pub fn document_secrets(&self) -> Option<Vec<Span>> {
        self.document_secrets.spans()
    }

    /// Marks the spans of secret values of a file whose secrets were unknown
    /// (see [`SourceFile::with_secrets_unknown`]), now that it has findings
    /// to show; nothing changes for a file whose secrets are known.
    pub fn know_secrets(&self, secrets: Vec<Span>) {
        let _ = self.secrets.set(merged(secrets));
    }

    /// `text` with every secret value of this file replaced by `mask`;
    /// borrowed when none occurs in it.
    pub fn mask_secret_values<'t>(&self, text: &'t str, mask: &str) -> Cow<'t, str> {
        let values = self
            .secret_values
            .get_or_init(|| Box::new(self.find_secret_values()));
        if let Some(index) = &values.index {
            let value = |position: usize| {
                values
                    .spans
                    .get(position)
                    .map_or(&b""[..], |span| self.slice(wide(*span)).as_bytes())
            };
            let bytes = text.as_bytes();
            let mut masked: Option<String> = None;
            let (mut at, mut copied) = (0, 0);
            while let Some(start) = index.next_candidate(bytes, at) {
                let rest = bytes.get(start..).unwrap_or_default();
                let Some(length) = index.longest_at(rest, value).filter(|l| *l > 0) else {
                    at = start + 1;
                    continue;
                };
                // A value starts a character and ends one: both are boundaries.
                let out = masked.get_or_insert_with(|| String::with_capacity(text.len()));
                out.push_str(text.get(copied..start).unwrap_or_default());
                out.push_str(mask);
                at = start + length;
                copied = at;
            }
            return match masked {
                None => Cow::Borrowed(text),
                Some(mut out) => {
                    out.push_str(text.get(copied..).unwrap_or_default());
                    Cow::Owned(out)
                }
            };
        }
        let mut out = Cow::Borrowed(text);
        for span in &values.spans {
            let value = self.slice(wide(*span));
            if occurs(out.as_bytes(), value.as_bytes()) {
                out = Cow::Owned(out.replace(value, mask));
            }
        }
        out
    }

    fn find_secret_values(&self) -> SecretValues {
        let secrets = self.secrets();
        if secrets.is_empty() {
            return SecretValues::default();
        }
        // Each secret gives at most two values: sized once.
        let mut spans = Vec::with_capacity(2 * secrets.len());
        for span in secrets {
            let written = self.slice(*span);
            let quoted = written.len() >= 2
                && written.starts_with(['"', '\''])
                && written.ends_with(['"', '\'']);
            let bare = if quoted {
                Span::new(span.start + 1, span.end - 1)
            } else {
                *span
            };
            for value in [*span, bare] {
                if has_chars(self.slice(value), MIN_MASKED_IN_MESSAGES) {
                    spans.push(narrow(value));
                }
            }
        }
        spans.shrink_to_fit();
        let index = (spans.len() > MANY_SECRET_VALUES)
            .then(|| PrefixIndex::new(spans.iter().map(|span| self.slice(wide(*span)).as_bytes())));
        SecretValues { spans, index }
    }

    /// Marks a file read only for the rules across files (`false`).
    pub fn with_reported(mut self, reported: bool) -> Self {
        self.reported = reported;
        self
    }

    /// Marks a file whose text did not parse (syntax error, not UTF-8, binary).
    pub fn with_parsed(mut self, parsed: bool) -> Self {
        self.parsed = parsed;
        self
    }

    fn line_starts(&self) -> &LineStarts {
        self.line_starts
            .get_or_init(|| Box::new(LineStarts::of(&self.text)))
    }

    /// The 0-based index of the line holding `offset`.
    fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        // A short text's newlines are counted through, without the index:
        // building it (two allocations and a scan of the whole text) costs
        // more than the few findings a small file shows.
        if self.text.len() <= SHORT_TEXT && self.line_starts.get().is_none() {
            let before = self.text.as_bytes().get(..offset).unwrap_or_default();
            return before.iter().filter(|byte| **byte == b'\n').count();
        }
        self.line_starts().line_index(&self.text, offset)
    }

    fn line_start(&self, line: usize) -> usize {
        self.line_starts().line_start(&self.text, line)
    }

    /// Line and column of a byte offset; offsets past the end or inside a
    /// character are clamped to the nearest valid position before them.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = self.floor_char_boundary(offset);
        self.line_column_on(offset, self.line_index(offset))
    }

    /// The line and column of `start` and of `end` (as [`Self::line_column`]
    /// gives each): the end's line is counted on from the start's, without
    /// a second search of the file's lines.
    pub fn line_columns(&self, start: usize, end: usize) -> (LineColumn, LineColumn) {
        let (start, end) = (
            self.floor_char_boundary(start),
            self.floor_char_boundary(end),
        );
        let start_line = self.line_index(start);
        let end_line = match self.text.as_bytes().get(start..end) {
            Some(between) => start_line + memchr::memchr_iter(b'\n', between).count(),
            None => self.line_index(end),
        };
        (
            self.line_column_on(start, start_line),
            self.line_column_on(end, end_line),
        )
    }

    /// [`Self::line_columns`] of the spans of one file after another, in
    /// the order of their starts: a start's line is counted on from the
    /// start before it, when that is near, rather than searched for.
    pub fn line_columns_after<'f>(
        &'f self,
        start: usize,
        end: usize,
        before: &mut LineCursor<'f>,
    ) -> (LineColumn, LineColumn) {
        let (start, end) = (
            self.floor_char_boundary(start),
            self.floor_char_boundary(end),
        );
        let counted_on = match before.at {
            Some((file, offset, line)) if std::ptr::eq(file, self) && offset <= start => {
                (self.text.as_bytes().get(offset..start))
                    .filter(|between| between.len() <= NEAR_BYTES)
                    .map(|between| line + memchr::memchr_iter(b'\n', between).count())
            }
            _ => None,
        };
        let start_line = counted_on.unwrap_or_else(|| self.line_index(start));
        before.at = Some((self, start, start_line));
        let end_line = match self.text.as_bytes().get(start..end) {
            Some(between) => start_line + memchr::memchr_iter(b'\n', between).count(),
            None => self.line_index(end),
        };
        (
            self.line_column_on(start, start_line),
            self.line_column_on(end, end_line),
        )
    }

    /// The line and column of `offset`, a char boundary on the 0-based
    /// line `line`.
    fn line_column_on(&self, offset: usize, line: usize) -> LineColumn {
        // The line starts after the last newline before the offset.
        let start = (self.text.as_bytes().get(..offset))
            .and_then(|before| memchr::memrchr(b'\n', before))
            .map_or(0, |newline| newline + 1);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        // A byte order mark is not a column an editor counts.
        let bom = line == 0 && offset > 0 && self.text.starts_with('\u{FEFF}');
        LineColumn {
            line: line + 1,
            column: column + 1 - usize::from(bom),
        }
    }

    /// The largest char boundary not after `offset`.
    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The text a span covers, or "" if the span is not valid for this file.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.line_index(start);
        let last_span_line = self.line_index(end.saturating_sub(1).max(start));
        let last_line =
            (last_span_line + context_lines_after).min(self.line_starts().lines.saturating_sub(1));
        let (data_start, line, column) = if context_lines_before == 0 {
            (start, first_line, start - self.line_start(first_line))
        } else {
            let line = first_line.saturating_sub(context_lines_before);
            (self.line_start(line), line, 0)
        };
        let data_end = self.line_start(last_line + 1);
        let data = self
            .text
            .as_bytes()
            .get(data_start..data_end)
            .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(data_start.into(), data_end - data_start),
            line,
            column,
            last_line - line + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("x.toml".into(), "x.toml".into(), text.to_owned())
    }

    #[test]
    fn line_and_column_count_characters() {
        let f = file("a = 1\nné = \"é\"\n");
        assert_eq!(f.line_column(0), LineColumn { line: 1, column: 1 });
        assert_eq!(f.line_column(6), LineColumn { line: 2, column: 1 });
        // `=` after the two-byte `é` is the fourth character of line 2.
        let eq = f.text.find("= \"").unwrap();
        assert_eq!(f.line_column(eq), LineColumn { line: 2, column: 4 });
        assert_eq!(
            f.line_column(f.text.len()),
            LineColumn { line: 3, column: 1 }
        );
    }

    /// Lines found from the marked lines' starts are the lines a full index
    /// gives, in a file of many lines of every length.
    #[test]
    fn line_starts_from_marks_are_every_line_start() {
        let mut text = String::new();
        for n in 0..1000 {
            text.push_str(&"é".repeat(n % 7));
            text.push('\n');
            if n % 13 == 0 {
                text.push('\n');
            }
        }
        text.push_str("last");
        let every: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let f = file(&text);
        for (line, start) in every.iter().enumerate() {
            assert_eq!(f.line_start(line), *start, "line {line}");
        }
        assert_eq!(f.line_start(every.len()), text.len());
        for offset in 0..=text.len() {
            let line = every.partition_point(|start| *start <= offset) - 1;
            assert_eq!(f.line_index(offset), line, "offset {offset}");
            if text.is_char_boundary(offset) {
                let column = text[every[line]..offset].chars().count() + 1;
                assert_eq!(
                    f.line_column(offset),
                    LineColumn {
                        line: line + 1,
                        column
                    },
                    "offset {offset}"
                );
            }
        }
        assert_eq!(f.line_starts().lines, every.len());
    }

    /// A short text's lines, counted through, are the lines its index gives.
    #[test]
    fn a_short_text_counts_the_lines_its_index_gives() {
        let mut text = String::new();
        for n in 0..40 {
            text.push_str(&"é".repeat(n % 5));
            text.push('\n');
        }
        assert!(text.len() <= SHORT_TEXT);
        let f = file(&text);
        let counted: Vec<usize> = (0..=text.len() + 1).map(|o| f.line_index(o)).collect();
        assert!(f.line_starts.get().is_none());
        let index = f.line_starts();
        for (offset, line) in counted.into_iter().enumerate() {
            let offset = offset.min(text.len());
            assert_eq!(index.line_index(&text, offset), line, "offset {offset}");
        }
    }

    /// A byte-order mark, then `lines` lines of up to two two-byte
    /// characters and an `x`, each followed by an empty line.
    fn lines_of_wide_characters(lines: usize) -> String {
        let mut text = String::from("\u{FEFF}a\n");
        for n in 0..lines {
            text.push_str(&"é".repeat(n % 3));
            text.push_str("x\n\n");
        }
        text
    }

    /// A span's start and end together are where each is alone, whatever
    /// the order, characters and lines between them.
    #[test]
    fn line_columns_of_a_span_are_its_ends_alone() {
        let text = lines_of_wide_characters(40);
        let f = file(&text);
        for start in 0..=text.len() + 2 {
            for end in (0..=text.len() + 2).step_by(3) {
                assert_eq!(
                    f.line_columns(start, end),
                    (f.line_column(start), f.line_column(end)),
                    "{start}..{end}"
                );
            }
        }
    }

    /// With hundreds of values (the prefix index), every message is masked
    /// as the leftmost longest match of any value, quoted or bare, masks it.
    #[test]
    fn many_values_are_masked_leftmost_longest() {
        let seed = std::cell::Cell::new(7u64);
        let next = |below: u64| {
            seed.set(
                seed.get()
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1),
            );
            (seed.get() >> 33) % below
        };
        let alphabet: Vec<char> = "abcAB12é\"".chars().collect();
        let word = |length: u64| -> String {
            (0..length)
                .map(|_| alphabet[usize::try_from(next(9)).unwrap()])
                .collect()
        };
        let mut values: Vec<String> = (0..400).map(|n| word(4 + n % 9)).collect();
        // Values that are prefixes of others.
        for n in 0..40 {
            let shorter = values[n][..values[n]
                .char_indices()
                .nth(4)
                .map_or(values[n].len(), |(i, _)| i)]
                .to_owned();
            values.push(shorter);
        }
        let mut text = String::new();
        let mut spans = Vec::new();
        for value in &values {
            let line = format!("pass = \"{value}\"\n");
            spans.push(Span::new(text.len() + 7, text.len() + line.len() - 1));
            text.push_str(&line);
        }
        let f = file(&text).with_secrets(spans);
        let mut known: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        known.extend(values.iter().cloned());
        known.retain(|v| v.chars().count() >= MIN_MASKED_IN_MESSAGES);
        let naive = |message: &str| {
            let mut out = String::new();
            let mut at = 0;
            while let Some(rest) = message.get(at..).filter(|rest| !rest.is_empty()) {
                let longest = known
                    .iter()
                    .filter(|v| rest.starts_with(v.as_str()))
                    .map(String::len)
                    .max();
                if let Some(length) = longest {
                    out.push_str("****");
                    at += length;
                } else {
                    let c = rest.chars().next().unwrap();
                    out.push(c);
                    at += c.len_utf8();
                }
            }
            out
        };
        for n in 0..2000 {
            let mut message = word(next(6));
            for _ in 0..3 {
                let value = &values[usize::try_from(next(values.len() as u64)).unwrap()];
                let cut = value
                    .char_indices()
                    .nth(usize::try_from(next(4)).unwrap())
                    .map_or(0, |(i, _)| i);
                message.push_str(&value[cut..]);
                message.push_str(&word(next(5)));
            }
            assert_eq!(
                f.mask_secret_values(&message, "****"),
                naive(&message),
                "message {n}: {message}"
            );
        }
    }

    /// A value occurs in a text where `str::contains` finds it, short text
    /// or long, at its start, its end, or not at all.
    #[test]
    fn occurs_as_contains_tells() {
        let texts = [
            String::new(),
            "ab".into(),
            "xxabcabd".into(),
            "abcd".into(),
            "aaaab".into(),
            format!("{}abcd", "a".repeat(600)),
            "é abcé".into(),
        ];
        for text in &texts {
            for value in ["", "a", "abcd", "abd", "aab", "aaaab", "abcé", "ab"] {
                assert_eq!(
                    occurs(text.as_bytes(), value.as_bytes()),
                    text.contains(value),
                    "{value} in {text}"
                );
            }
        }
        assert!(has_chars("éééé", 4) && !has_chars("ééé", 4) && has_chars("abcd", 4));
        assert!(!has_chars("abc", 4) && has_chars(&"é".repeat(8), 4));
    }

    /// Spans located after one another, in order or not, in one file or
    /// two, are where each is alone.
    #[test]
    fn line_columns_after_others_are_their_ends_alone() {
        let text = lines_of_wide_characters(400);
        let f = file(&text);
        let g = file("one\ntwo\n");
        let mut cursor = LineCursor::default();
        let mut seed = 11usize;
        for _ in 0..3000 {
            seed = seed.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(3);
            let start = (seed >> 20) % (text.len() + 2);
            let end = start + (seed >> 40) % 40;
            assert_eq!(
                f.line_columns_after(start, end, &mut cursor),
                f.line_columns(start, end),
                "{start}..{end}"
            );
            if seed.is_multiple_of(5) {
                let at = (seed >> 8) % 10;
                assert_eq!(
                    g.line_columns_after(at, at, &mut cursor),
                    g.line_columns(at, at)
                );
            }
        }
        for start in 0..text.len() {
            assert_eq!(
                f.line_columns_after(start, start + 3, &mut cursor),
                f.line_columns(start, start + 3)
            );
        }
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let f = file("é");
        assert_eq!(f.line_column(1), LineColumn { line: 1, column: 1 });
        assert_eq!(f.line_column(99), LineColumn { line: 1, column: 2 });
    }

    #[test]
    fn document_secrets_take_no_room_of_their_own() {
        // Every file checked keeps one of these until its findings are
        // shown: the spans fit in the allocation of its `Arc` as it was.
        #[cfg(target_pointer_width = "64")]
        assert!(std::mem::size_of::<SourceFile>() <= 200);
        let kept = |spans: &[Span]| {
            let mut secrets = DocumentSecrets::default();
            spans.iter().for_each(|span| secrets.push(*span));
            file("abcdef").with_document_secrets(secrets)
        };
        let few = [Span::new(0, 1), Span::new(2, 3)];
        let few_kept = kept(&few).with_secrets_unknown();
        assert_eq!(few_kept.released().document_secrets(), Some(few.to_vec()));
        // Kept only while the file's secrets are unknown.
        assert_eq!(kept(&few).released().document_secrets(), None);
        assert_eq!(few_kept.with_secrets(Vec::new()).document_secrets(), None);
        assert_eq!(kept(&[]).document_secrets(), Some(Vec::new()));
        let many = [Span::new(0, 1), Span::new(2, 3), Span::new(4, 5)];
        assert_eq!(kept(&many).document_secrets(), None);
        assert_eq!(kept(&[Span::new(0, usize::MAX)]).document_secrets(), None);
        assert_eq!(file("abcdef").document_secrets(), None);
    }

    #[test]
    fn a_released_text_is_read_back_only_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "a = 1\n").unwrap();
        let whole = SourceFile::new(path.clone(), "a.toml".into(), "a = 1\n".into())
            .with_secrets(vec![Span::new(4, 5)])
            .with_reported(false);
        let released = whole.released();
        assert!(released.is_released() && released.text.is_empty());
        assert_eq!(released.secrets(), whole.secrets());
        let back = released.read_back(&mut ByDirectory::default()).unwrap();
        assert_eq!(back.text, whole.text);
        assert!(!back.reported && !back.is_released());
        assert_eq!(back.secrets(), whole.secrets());
        std::fs::write(&path, "a = 2\n").unwrap();
        assert!(matches!(
            released.read_back(&mut ByDirectory::default()),
            Err(ReadBackError::Changed)
        ));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(
            released.read_back(&mut ByDirectory::default()),
            Err(ReadBackError::Unreadable(_))
        ));
    }

    #[test]
    fn read_span_gives_context_lines() {
        let f = file("one\ntwo\nthree\nfour\n");
        let contents = f.read_span(&SourceSpan::new(8.into(), 5), 1, 1).unwrap();
        assert_eq!(
            std::str::from_utf8(contents.data()).unwrap(),
            "two\nthree\nfour\n"
        );
        assert_eq!(contents.line(), 1);
        assert!(f.read_span(&SourceSpan::new(30.into(), 1), 0, 0).is_err());
    }
}
