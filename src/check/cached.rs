//! A file's entry in the cache between runs (see [`crate::cache`]): what
//! the rules across files read of it, so that a run that does not judge the
//! file (it was not asked about) need not read it. The same as reading it
//! gives: whether it is a definition, whether it parsed, the length and
//! digest of its text (to read it back, unchanged, when a finding shows
//! it), the index keys of its records and what is kept of them. A file not judged
//! has no suppression comments that count and no findings of its own, so
//! nothing else of it is needed.

use std::path::Path;
use std::sync::Arc;

use crate::cache::{Cache, Seen, Stamp};
use crate::discover::DiscoveredFile;
use crate::files::read::ByDirectory;
use crate::model::{KeptFile, RecordKeys};
use crate::source::SourceFile;
use crate::text::bytes::{Reader, put_size};
use crate::text::hash::{digest, keyed_parts};

/// The file holds definitions: what is kept of them follows.
const DEFINITION: u8 = 1;
/// The whole text parsed (see [`SourceFile::parsed`]).
const PARSED: u8 = 2;

/// What the check keeps of a file, from its entry.
pub(super) struct FromCache {
    pub kept: Option<KeptFile>,
    pub keys: Vec<RecordKeys>,
    pub seen: Seen,
}

/// A file's entry, found and trusted, of which only the keys of its records
/// are read yet: what is kept of the records is read only if the rules
/// across files may need them ([`Entry::read`]).
pub(super) struct Entry<'c> {
    cache: &'c Cache,
    file: DiscoveredFile,
    stamp: Stamp,
    number: usize,
    flags: u8,
    length: usize,
    masked: u64,
    /// The keys of its records (none when it holds no definitions).
    pub keys: Vec<RecordKeys>,
}

/// The stamp of the regular file at `path`, without following a link.
#[cfg_attr(not(target_os = "linux"), allow(unused_variables))]
fn stamp_of(path: &Path, directories: &mut ByDirectory) -> Option<Stamp> {
    #[cfg(target_os = "linux")]
    if let Some((directory, name)) = directories.directory_of(path) {
        return Stamp::of_stat(&directory.stat(name).ok()?);
    }
    Stamp::of(&std::fs::symlink_metadata(path).ok()?)
}

/// The file's entry, when the cache has one for it as it is now (its
/// stamp, taken without following a link, is the entry's), with the keys
/// of its records read; else the file, given back.
pub(super) fn lookup<'c>(
    cache: &'c Cache,
    file: DiscoveredFile,
    directories: &mut ByDirectory,
) -> Result<Entry<'c>, DiscoveredFile> {
    let found = stamp_of(&file.path, directories)
        .and_then(|stamp| Some((stamp, cache.lookup(file.relative(), &stamp)?)));
    let Some((stamp, (number, head))) = found else {
        return Err(file);
    };
    let mut reader = Reader::new(head);
    let (Some(flags), Some(length), Some(masked)) = (
        reader.byte(),
        reader.size(),
        reader.take(8).and_then(|bytes| bytes.try_into().ok()),
    ) else {
        return Err(file);
    };
    let keys = if flags & DEFINITION != 0 {
        RecordKeys::decode_file(&mut reader, length)
    } else {
        Some(Vec::new())
    };
    // Bytes this build did not write: read the file.
    let Some(keys) = keys.filter(|_| reader.is_done()) else {
        return Err(file);
    };
    Ok(Entry {
        cache,
        file,
        stamp,
        number,
        flags,
        length,
        masked: u64::from_le_bytes(masked),
        keys,
    })
}

impl Entry<'_> {
    /// What the check keeps of the file: its records as the entry keeps
    /// them; else, when the entry cannot be read, the file, given back.
    pub(super) fn read(self) -> Result<FromCache, DiscoveredFile> {
        let text_digest = self.masked ^ mask(self.cache, self.file.relative(), &self.stamp);
        let (flags, length, number) = (self.flags, self.length, self.number);
        let Entry {
            cache, file, keys, ..
        } = self;
        let format = file.format;
        let DiscoveredFile {
            path,
            name,
            relative,
            ..
        } = file;
        let source = SourceFile::known_by_digest(path, name, length, text_digest)
            .with_relative(relative)
            .with_reported(false)
            .with_parsed(flags & PARSED != 0);
        let source = Arc::new(source);
        // What is kept of its records, read now, and as they were written.
        let kept = if flags & DEFINITION != 0 {
            cache.records(number).and_then(|records| {
                let mut rest = Reader::new(&records);
                KeptFile::decode(Arc::clone(&source), length, &mut rest)
                    .filter(|kept| kept.records().len() == keys.len() && rest.is_done())
                    .map(Some)
            })
        } else {
            Some(None)
        };
        match kept {
            Some(kept) => Ok(FromCache {
                kept,
                keys,
                seen: Seen::Used(number),
            }),
            // Bytes this build did not write: read the file.
            None => Err(rediscovered(&source, format)),
        }
    }

    /// The entry used as it is, its records not read: they are not needed.
    pub(super) fn unread(self) -> Seen {
        Seen::Used(self.number)
    }
}

/// The file a source stands for, as discovered.
fn rediscovered(source: &SourceFile, format: crate::load::Format) -> DiscoveredFile {
    let relative = (source.relative() != source.name).then(|| source.relative().to_owned());
    DiscoveredFile {
        path: source.path.clone(),
        name: source.name.clone(),
        relative,
        format,
    }
}

/// The entry of a file read whole, whose metadata was `stamp` when it was
/// read; `None` when it gets none (it changed too lately to be trusted).
pub(super) fn entry(
    cache: &Cache,
    relative: &str,
    stamp: Stamp,
    source: &SourceFile,
    kept: Option<&KeptFile>,
    keys: &[RecordKeys],
) -> Option<Seen> {
    if !cache.admits(&stamp) {
        return None;
    }
    if let Some((number, _)) = cache.lookup(relative, &stamp) {
        return Some(Seen::Unchanged(number));
    }
    let mut head = Vec::new();
    let mut flags = 0;
    if kept.is_some() {
        flags |= DEFINITION;
    }
    if source.parsed {
        flags |= PARSED;
    }
    head.push(flags);
    let text = source.text.as_bytes();
    put_size(&mut head, text.len());
    let masked = digest(text) ^ mask(cache, relative, &stamp);
    head.extend_from_slice(&masked.to_le_bytes());
    // The keys in the head: a run reads them of every entry, and the
    // records only of the entries it needs.
    let mut records = Vec::new();
    if let Some(kept) = kept {
        RecordKeys::encode_file(keys, &mut head);
        kept.encode(&mut records);
    }
    Some(Seen::Read(Box::new(crate::cache::Fresh {
        relative: relative.to_owned(),
        stamp,
        head,
        records,
    })))
}

/// What the digest of a file's text is kept under: the digest is of the
/// whole text, credentials included, and not keyed, so it is kept only
/// masked with a keyed digest of the file's path and stamp.
fn mask(cache: &Cache, relative: &str, stamp: &Stamp) -> u64 {
    keyed_parts(cache.key(), &[relative.as_bytes(), &stamp.to_bytes()])
}
