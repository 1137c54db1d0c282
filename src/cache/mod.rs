//! The cache between runs: what the rules across files read of each file
//! (its entry, which the check writes and reads), by the file's path
//! relative to the project root and its [`Stamp`], so that a run that asks
//! about one file need not read the thousands of others.
//!
//! Only a speed-up: an entry is used only when the file's stamp is the one
//! it was written with, by this very build of phonelint, for this root;
//! only files whose timestamps had settled when they were read get one
//! ([`Stamp::settled_before`]); a cache that cannot be read, written or
//! trusted is not used, never an error. It lives in the user's cache
//! directory ([`user_dir`]), one file per project root, written whole to a
//! temporary file and renamed, readable by the user only; a credential is
//! in it only as a keyed digest, under a key kept beside it ([`place::key`]).
//!
//! An entry has two parts: its head (what a run reads of every file it does
//! not judge) and its records (read only for the files whose records the
//! rules across files need). The file holds every head first, under one
//! digest, then the records, each under its own: a run reads the heads
//! only, and the records of an entry when it needs them.

mod place;
mod stamp;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

pub use place::user_dir;
pub use stamp::Stamp;

use crate::text::bytes::{Reader, put_bytes, put_number, put_size, widen};
use crate::text::hash::{DigestKey, FnvBuild, digest, fnv1a, keyed};

/// What a cache file starts with.
const MAGIC: &[u8; 16] = b"phonelint-cache\n";

/// The layout of the file; a build that changes it changes this too (the
/// build's identity is in the header anyway).
const FORMAT: u64 = 3;

/// A cache file larger than this is not read (it would be a cache of ten
/// million files).
const MAX_CACHE_SIZE: u64 = 1 << 30;

/// The records of this many entries are read one by one; past them, the
/// records of every entry are read at once.
const ONE_BY_ONE: usize = 64;

/// The cache of one project root, as this run found it.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    file: PathBuf,
    key: DigestKey,
    /// The header this build writes: a file that starts otherwise was
    /// written by another build, for another root or with another key.
    header: Vec<u8>,
    /// When this run started: only files settled before it get an entry.
    started: SystemTime,
    /// The heads of the cache file as read (the header, every entry
    /// without its records, their digest).
    bytes: Vec<u8>,
    /// Its entries, in the order of their relative paths.
    entries: Vec<Stored>,
    /// Each entry's position in `entries`, by the hash of its relative
    /// path (the first, should two paths share a hash).
    positions: HashMap<u64, usize, FnvBuild>,
    /// The cache file as opened: the records are read from it (not from
    /// the path, which another run may have written again since).
    opened: Option<File>,
    /// Where the records start in the file, and how many bytes they take.
    records_at: u64,
    records_len: usize,
    /// The records of every entry, once read at once.
    records: OnceLock<Option<Vec<u8>>>,
    /// How many entries' records were read one by one.
    read_one_by_one: AtomicUsize,
    /// The entries whose records were not as written: no longer found,
    /// so that the files read instead get their entries again.
    refused: Mutex<Vec<usize>>,
    any_refused: AtomicBool,
}

/// One entry of the file read: where its parts are, in [`Cache::bytes`]
/// (under 4 GB: see [`MAX_CACHE_SIZE`]) and among the records.
#[derive(Debug)]
struct Stored {
    /// Where it starts.
    at: u32,
    /// Its relative path, which its stamp follows.
    relative: (u32, u32),
    head: (u32, u32),
    /// Where it ends, after the length and digest of its records.
    end: u32,
    /// Where its records start among the records, and their length.
    records: u32,
    records_len: u32,
}

impl Stored {
    /// The entry at `at` of `bytes`, and where its records start among the
    /// records (`records`).
    fn at(bytes: &[u8], at: usize, records: usize) -> Option<Self> {
        let narrow = |n: usize| u32::try_from(n).ok();
        let mut reader = Reader::new(bytes.get(at..)?);
        // A part written by `put_bytes`: where it starts and ends.
        let part = |reader: &mut Reader<'_>| {
            let length = reader.size()?;
            let start = at + reader.at();
            reader.take(length)?;
            Some((narrow(start)?, narrow(at + reader.at())?))
        };
        let relative = part(&mut reader)?;
        Stamp::decode(&mut reader)?;
        let head = part(&mut reader)?;
        let records_len = narrow(reader.size()?)?;
        reader.take(8)?;
        Some(Stored {
            at: narrow(at)?,
            relative,
            head,
            end: narrow(at + reader.at())?,
            records: narrow(records)?,
            records_len,
        })
    }

    fn relative<'b>(&self, bytes: &'b [u8]) -> Option<&'b [u8]> {
        bytes.get(widen(self.relative.0)..widen(self.relative.1))
    }

    fn stamp(&self, bytes: &[u8]) -> Option<Stamp> {
        Stamp::decode(&mut Reader::new(bytes.get(widen(self.relative.1)..)?))
    }

    fn head<'b>(&self, bytes: &'b [u8]) -> Option<&'b [u8]> {
        bytes.get(widen(self.head.0)..widen(self.head.1))
    }

    /// The whole entry, to be written again as it is.
    fn whole<'b>(&self, bytes: &'b [u8]) -> Option<&'b [u8]> {
        bytes.get(widen(self.at)..widen(self.end))
    }

    /// The digest of its records.
    fn records_digest(&self, bytes: &[u8]) -> Option<[u8; 8]> {
        let end = widen(self.end);
        bytes.get(end.checked_sub(8)?..end)?.try_into().ok()
    }

    /// Its records among the records.
    fn records(&self) -> std::ops::Range<usize> {
        widen(self.records)..widen(self.records).saturating_add(widen(self.records_len))
    }
}

/// The entries of a cache file, their positions by the hashes of their
/// relative paths, and how many bytes their records take.
type Parsed = (Vec<Stored>, HashMap<u64, usize, FnvBuild>, usize);

/// An entry to write: its relative path, its head as written, its records.
type Kept<'a> = (&'a [u8], Cow<'a, [u8]>, &'a [u8]);

/// An entry written by this run: a file read whole.
#[derive(Debug)]
pub struct Fresh {
    pub relative: String,
    pub stamp: Stamp,
    /// What a run reads of every file it does not judge.
    pub head: Vec<u8>,
    /// What it reads only of the files it needs the records of.
    pub records: Vec<u8>,
}

/// What a run did with each file it might have found in the cache.
#[derive(Debug)]
pub enum Seen {
    /// Its entry was used instead of reading it (the number
    /// [`Cache::lookup`] gave).
    Used(usize),
    /// It was read, and is as its entry says (that number).
    Unchanged(usize),
    /// It was read, and has no entry as it is (boxed: a run keeps one
    /// [`Seen`] a file, and nearly all are the others).
    Read(Box<Fresh>),
}

impl Cache {
    /// The cache of the project at `root` in the directory `dir` (made when
    /// missing): empty when there is no file yet or the file cannot be used
    /// (another build's, damaged). An error when the directory, its key or
    /// this build's identity cannot be had: no cache at all.
    pub fn open(dir: &Path, root: &Path) -> Result<Self, String> {
        let started = SystemTime::now();
        place::make_dir(dir).map_err(|error| format!("cannot make {}: {error}", dir.display()))?;
        let key = place::key(dir)?;
        let root = std::fs::canonicalize(root)
            .map_err(|error| format!("cannot resolve {}: {error}", root.display()))?;
        let root = root.as_os_str().as_encoded_bytes();
        let file = place::file_of(dir, root);
        let mut header = MAGIC.to_vec();
        put_number(&mut header, FORMAT);
        put_bytes(&mut header, env!("CARGO_PKG_VERSION").as_bytes());
        put_bytes(&mut header, &build_identity()?);
        put_bytes(&mut header, root);
        header.extend_from_slice(&keyed(&key, b"phonelint cache").to_le_bytes());
        let mut cache = Cache {
            dir: dir.to_path_buf(),
            file,
            key,
            header,
            started,
            bytes: Vec::new(),
            entries: Vec::new(),
            positions: HashMap::default(),
            opened: None,
            records_at: 0,
            records_len: 0,
            records: OnceLock::new(),
            read_one_by_one: AtomicUsize::new(0),
            refused: Mutex::new(Vec::new()),
            any_refused: AtomicBool::new(false),
        };
        // A file that is not there, or not this build's, is an empty cache.
        if let Some((opened, bytes, length)) = cache.read_heads()
            && let Some((entries, positions, records_len)) = cache.parse(&bytes, length)
        {
            cache.entries = entries;
            cache.positions = positions;
            cache.records_at = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
            cache.records_len = records_len;
            cache.opened = Some(opened);
            cache.bytes = bytes;
        }
        Ok(cache)
    }

    /// The cache file opened, the bytes of its heads (up to their digest
    /// included), and its length: `None` when it is not there, not a
    /// regular file, too large, or does not start with this build's header.
    fn read_heads(&self) -> Option<(File, Vec<u8>, u64)> {
        let opened = crate::files::read::open_regular(&self.file).ok()?;
        let meta = opened.metadata().ok()?;
        (meta.is_file() && meta.len() <= MAX_CACHE_SIZE).then_some(())?;
        let start = self.header.len() + 16;
        let mut bytes = Vec::with_capacity(start);
        (&opened)
            .take(u64::try_from(start).ok()?)
            .read_to_end(&mut bytes)
            .ok()?;
        (bytes.starts_with(&self.header) && bytes.len() == start).then_some(())?;
        let heads = u64::from_le_bytes(bytes.get(start - 8..start)?.try_into().ok()?);
        let wanted = heads.checked_add(8)?;
        (wanted <= meta.len()).then_some(())?;
        bytes.reserve_exact(usize::try_from(wanted).ok()?);
        (&opened).take(wanted).read_to_end(&mut bytes).ok()?;
        Some((opened, bytes, meta.len()))
    }

    /// The key of the digests of credentials in the entries.
    pub fn key(&self) -> &DigestKey {
        &self.key
    }

    /// How many entries the file read holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries of the heads `bytes` of a cache file of `length` bytes,
    /// if it is a cache file this build wrote for this root and key, whole:
    /// sorted by relative path; their positions by the hash of their
    /// relative paths; how many bytes their records take.
    fn parse(&self, bytes: &[u8], length: u64) -> Option<Parsed> {
        let (content, trailer) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        (digest(content).to_le_bytes() == trailer).then_some(())?;
        let rest = content.strip_prefix(self.header.as_slice())?;
        let number = |at: usize| {
            let bytes: [u8; 8] = rest.get(at..at + 8)?.try_into().ok()?;
            usize::try_from(u64::from_le_bytes(bytes)).ok()
        };
        let (count, heads) = (number(0)?, number(8)?);
        let index = rest.get(16..)?;
        (index.len() == heads).then_some(())?;
        let start = self.header.len() + 16;
        // An entry takes at least its relative path's length, a stamp, a
        // head's length, its records' length and their digest.
        (count <= heads / 30).then_some(())?;
        let mut entries: Vec<Stored> = Vec::with_capacity(count);
        let mut positions = HashMap::with_capacity_and_hasher(count, FnvBuild::default());
        let mut at = start;
        let mut records = 0usize;
        let mut last: Option<&[u8]> = None;
        for _ in 0..count {
            let entry = Stored::at(bytes, at, records)?;
            (widen(entry.end) <= content.len()).then_some(())?;
            let relative = entry.relative(bytes)?;
            if let Some(last) = last {
                (last < relative).then_some(())?;
            }
            last = Some(relative);
            positions.entry(fnv1a(relative)).or_insert(entries.len());
            records = records.checked_add(widen(entry.records_len))?;
            at = widen(entry.end);
            entries.push(entry);
        }
        let whole = u64::try_from(bytes.len().checked_add(records)?).ok()?;
        (at == content.len() && whole == length).then_some((entries, positions, records))
    }

    /// The entry of the file at `relative` whose metadata now gives `stamp`,
    /// if there is one with that stamp: its number (for [`Seen::Used`]) and
    /// head.
    pub fn lookup(&self, relative: &str, stamp: &Stamp) -> Option<(usize, &[u8])> {
        let wanted = relative.as_bytes();
        let found = *self.positions.get(&fnv1a(wanted))?;
        let entry = self.entries.get(found)?;
        (entry.relative(&self.bytes)? == wanted).then_some(())?;
        (entry.stamp(&self.bytes)? == *stamp).then_some(())?;
        if self.any_refused.load(Ordering::Acquire) && self.refused().contains(&found) {
            return None;
        }
        Some((found, entry.head(&self.bytes)?))
    }

    fn refused(&self) -> std::sync::MutexGuard<'_, Vec<usize>> {
        self.refused
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// The records of the entry `number` (as [`Cache::lookup`] gave it),
    /// when they are as they were written; else the entry is no longer
    /// found.
    pub fn records(&self, number: usize) -> Option<Cow<'_, [u8]>> {
        let records = self.records_as_written(number);
        if records.is_none() {
            self.refused().push(number);
            self.any_refused.store(true, Ordering::Release);
        }
        records
    }

    fn records_as_written(&self, number: usize) -> Option<Cow<'_, [u8]>> {
        let entry = self.entries.get(number)?;
        let records = match self.records.get() {
            None if self.read_one_by_one.fetch_add(1, Ordering::Relaxed) < ONE_BY_ONE => {
                let at = self.records_at.checked_add(u64::from(entry.records))?;
                let length = widen(entry.records_len);
                Cow::Owned(read_at(self.opened.as_ref()?, at, length)?)
            }
            _ => Cow::Borrowed(self.all_records()?.get(entry.records())?),
        };
        let as_written = entry.records_digest(&self.bytes)?;
        (digest(&records).to_le_bytes() == as_written).then_some(records)
    }

    /// The records of every entry, read at once the first time.
    fn all_records(&self) -> Option<&[u8]> {
        let read = || read_at(self.opened.as_ref()?, self.records_at, self.records_len);
        self.records.get_or_init(read).as_deref()
    }

    /// Whether a file read now with `stamp` may get an entry: its timestamps
    /// had settled when this run started (see [`Stamp::settled_before`]).
    pub fn admits(&self, stamp: &Stamp) -> bool {
        stamp.settled_before(self.started)
    }

    /// Writes the cache of the files this run saw, when it differs from the
    /// one read: the entries used, and those of the files read that it
    /// [`admits`](Cache::admits). Whether it wrote.
    pub fn save(&self, seen: Vec<Seen>) -> Result<bool, String> {
        let mut kept: Vec<Kept<'_>> = Vec::with_capacity(seen.len());
        let mut used: Vec<usize> = Vec::new();
        let mut changed = false;
        for seen in &seen {
            match seen {
                Seen::Used(number) | Seen::Unchanged(number) => used.push(*number),
                Seen::Read(fresh) if self.admits(&fresh.stamp) => {
                    match self.lookup(&fresh.relative, &fresh.stamp) {
                        // Read again (asked about), and unchanged.
                        Some((number, _)) => used.push(number),
                        None => {
                            changed = true;
                            let mut head = Vec::with_capacity(fresh.head.len() + 96);
                            put_bytes(&mut head, fresh.relative.as_bytes());
                            fresh.stamp.encode(&mut head);
                            put_bytes(&mut head, &fresh.head);
                            put_size(&mut head, fresh.records.len());
                            head.extend_from_slice(&digest(&fresh.records).to_le_bytes());
                            kept.push((
                                fresh.relative.as_bytes(),
                                Cow::Owned(head),
                                &fresh.records,
                            ));
                        }
                    }
                }
                // Changed too lately to be trusted: no entry, and the old
                // one (if any) is dropped.
                Seen::Read(_) => {}
            }
        }
        used.sort_unstable();
        used.dedup();
        if !changed && used.len() == self.entries.len() {
            return Ok(false);
        }
        // The entries kept as they are, with their records as written: one
        // whose records are not is dropped.
        let all_records = if used.is_empty() {
            None
        } else {
            self.all_records()
        };
        for number in used {
            let Some(entry) = self.entries.get(number) else {
                continue;
            };
            let as_written = entry.records_digest(&self.bytes);
            let records = (all_records.and_then(|all| all.get(entry.records())))
                .filter(|records| Some(digest(records).to_le_bytes()) == as_written);
            let (Some(relative), Some(whole), Some(records)) = (
                entry.relative(&self.bytes),
                entry.whole(&self.bytes),
                records,
            ) else {
                continue;
            };
            kept.push((relative, Cow::Borrowed(whole), records));
        }
        kept.sort_unstable_by(|a, b| a.0.cmp(b.0));
        kept.dedup_by(|a, b| a.0 == b.0);
        let heads = kept.iter().map(|(_, head, _)| head.len()).sum::<usize>();
        let records = kept
            .iter()
            .map(|(_, _, records)| records.len())
            .sum::<usize>();
        let mut out = Vec::with_capacity(self.header.len() + 24 + heads + records);
        out.extend_from_slice(&self.header);
        let fixed = |n: usize| u64::try_from(n).unwrap_or(u64::MAX).to_le_bytes();
        out.extend_from_slice(&fixed(kept.len()));
        out.extend_from_slice(&fixed(heads));
        for (_, head, _) in &kept {
            out.extend_from_slice(head);
        }
        let trailer = digest(&out).to_le_bytes();
        out.extend_from_slice(&trailer);
        for (_, _, records) in &kept {
            out.extend_from_slice(records);
        }
        let written = place::temporary_in(&self.dir).and_then(|mut temporary| {
            temporary.write_all(&out)?;
            temporary.persist(&self.file).map_err(|error| error.error)?;
            Ok(())
        });
        written.map_err(|error| format!("cannot write {}: {error}", self.file.display()))?;
        place::prune(&self.dir, SystemTime::now());
        Ok(true)
    }
}

/// `length` bytes of `file` from `at` on, all of them or `None`.
fn read_at(file: &File, at: u64, length: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0; length];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, at).ok()?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < length {
            let offset = at.checked_add(u64::try_from(done).ok()?)?;
            let read =
                std::os::windows::fs::FileExt::seek_read(file, bytes.get_mut(done..)?, offset)
                    .ok()?;
            (read > 0).then_some(())?;
            done += read;
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, at);
        return None;
    }
    Some(bytes)
}

/// What tells this build of phonelint from another of the same version:
/// its executable's length, modification time and inode (a rebuild, an
/// upgrade, another copy). Not its change time, which a new hard link to
/// it changes (cargo's, a profiler's build-id cache).
fn build_identity() -> Result<Vec<u8>, String> {
    let exe = std::env::current_exe().map_err(|error| format!("no executable: {error}"))?;
    let meta = std::fs::metadata(&exe).map_err(|error| format!("no executable: {error}"))?;
    let modified = meta
        .modified()
        .map_err(|error| format!("no executable: {error}"))?;
    let mut identity = Vec::new();
    put_number(&mut identity, meta.len());
    identity.extend_from_slice(&stamp::since_epoch(modified).to_le_bytes());
    #[cfg(unix)]
    put_number(&mut identity, std::os::unix::fs::MetadataExt::ino(&meta));
    Ok(identity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A regular file's stamp, settled or not.
    fn stamp_of(path: &Path) -> Stamp {
        Stamp::of(&std::fs::metadata(path).unwrap()).unwrap()
    }

    fn fresh(relative: &str, path: &Path, head: &[u8], records: &[u8]) -> Seen {
        Seen::Read(Box::new(Fresh {
            relative: relative.to_owned(),
            stamp: stamp_of(path),
            head: head.to_vec(),
            records: records.to_vec(),
        }))
    }

    /// A cache directory and a root holding `files` (settled).
    fn root_with(files: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (cache_dir, root) = (dir.path().join("cache"), dir.path().join("root"));
        std::fs::create_dir(&root).unwrap();
        for file in files {
            std::fs::write(root.join(file), file).unwrap();
        }
        std::thread::sleep(Duration::from_millis(150));
        (dir, cache_dir, root)
    }

    #[test]
    fn entries_are_used_only_with_their_stamp_and_written_only_when_changed() {
        let (_dir, cache_dir, root) = root_with(&["a.toml", "b.toml"]);
        let (a, b) = (root.join("a.toml"), root.join("b.toml"));
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert!(cache.is_empty());
        let seen = vec![
            fresh("b.toml", &b, b"B", b"b records"),
            fresh("a.toml", &a, b"A", b"a records"),
        ];
        assert!(cache.save(seen).unwrap());
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert_eq!(cache.len(), 2);
        let (number, head) = cache.lookup("a.toml", &stamp_of(&a)).unwrap();
        assert_eq!(head, b"A");
        assert_eq!(cache.records(number).unwrap().as_ref(), b"a records");
        let (b_number, head) = cache.lookup("b.toml", &stamp_of(&b)).unwrap();
        assert_eq!(head, b"B");
        assert_eq!(cache.records(b_number).unwrap().as_ref(), b"b records");
        assert!(cache.lookup("c.toml", &stamp_of(&b)).is_none());
        assert!(cache.lookup("a.toml", &stamp_of(&b)).is_none());
        assert!(cache.records(2).is_none());
        // Nothing new: nothing written.
        let seen = vec![Seen::Used(number), fresh("b.toml", &b, b"B", b"b records")];
        assert!(!cache.save(seen).unwrap());
        // A file gone: its entry dropped, the other kept whole.
        assert!(cache.save(vec![Seen::Used(number)]).unwrap());
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert_eq!(cache.len(), 1);
        assert!(cache.lookup("b.toml", &stamp_of(&b)).is_none());
        let (number, head) = cache.lookup("a.toml", &stamp_of(&a)).unwrap();
        assert_eq!(head, b"A");
        assert_eq!(cache.records(number).unwrap().as_ref(), b"a records");
        // A file changed just now gets no entry.
        std::fs::write(&a, "A").unwrap();
        assert!(!cache.admits(&stamp_of(&a)));
        assert!(cache.lookup("a.toml", &stamp_of(&a)).is_none());
        assert!(cache.save(vec![fresh("a.toml", &a, b"2", b"")]).unwrap());
        assert!(Cache::open(&cache_dir, &root).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_or_foreign_cache_file_is_an_empty_cache() {
        let (_dir, cache_dir, root) = root_with(&["a.toml"]);
        let a = root.join("a.toml");
        let cache = Cache::open(&cache_dir, &root).unwrap();
        let seen = vec![fresh("a.toml", &a, b"head", b"records")];
        assert!(cache.save(seen).unwrap());
        let file = cache.file.clone();
        let good = std::fs::read(&file).unwrap();
        let records_at = good.len() - b"records".len();
        for at in 0..good.len() {
            let mut damaged = good.clone();
            damaged[at] ^= 0x20;
            std::fs::write(&file, &damaged).unwrap();
            let cache = Cache::open(&cache_dir, &root).unwrap();
            if at < records_at {
                assert!(cache.is_empty(), "{at}");
            } else {
                // Damaged records: the entry is found, its records are not
                // trusted.
                let (number, head) = cache.lookup("a.toml", &stamp_of(&a)).unwrap();
                assert_eq!(head, b"head");
                assert!(cache.records(number).is_none(), "{at}");
                assert!(cache.lookup("a.toml", &stamp_of(&a)).is_none(), "{at}");
            }
            std::fs::write(&file, &good[..at]).unwrap();
            assert!(Cache::open(&cache_dir, &root).unwrap().is_empty(), "{at}");
        }
        let mut longer = good.clone();
        longer.push(0);
        std::fs::write(&file, &longer).unwrap();
        assert!(Cache::open(&cache_dir, &root).unwrap().is_empty());
        std::fs::write(&file, &good).unwrap();
        assert_eq!(Cache::open(&cache_dir, &root).unwrap().len(), 1);
        // Another key: the entries are not this key's.
        std::fs::write(cache_dir.join("key"), [7u8; 16]).unwrap();
        assert!(Cache::open(&cache_dir, &root).unwrap().is_empty());
        // A directory where the file should be: an empty cache, and it
        // cannot be written.
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert!(cache.is_empty());
        assert!(cache.save(vec![fresh("a.toml", &a, b"", b"")]).is_err());
    }

    /// The records of an entry are read when asked for, from the file as
    /// it was opened (another run may have written the cache since): one by
    /// one, then all at once; a damaged one is refused, the others not.
    #[test]
    fn records_are_read_when_needed_from_the_file_opened() {
        let names: Vec<String> = (0..ONE_BY_ONE * 2)
            .map(|n| format!("{n:03}.toml"))
            .collect();
        let named: Vec<&str> = names.iter().map(String::as_str).collect();
        let (_dir, cache_dir, root) = root_with(&named);
        let records = |name: &str| format!("records of {name}").into_bytes();
        let seen = (names.iter())
            .map(|name| fresh(name, &root.join(name), name.as_bytes(), &records(name)))
            .collect();
        assert!(Cache::open(&cache_dir, &root).unwrap().save(seen).unwrap());
        let file = place::file_of(
            &cache_dir,
            std::fs::canonicalize(&root)
                .unwrap()
                .as_os_str()
                .as_encoded_bytes(),
        );
        // One entry's records damaged in the file.
        let mut bytes = std::fs::read(&file).unwrap();
        let damaged = names.last().unwrap();
        let at = bytes.len() - 1;
        bytes[at] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert_eq!(cache.len(), names.len());
        // Written again by another run: this one reads what it opened.
        Cache::open(&cache_dir, &root)
            .unwrap()
            .save(vec![fresh("000.toml", &root.join("000.toml"), b"", b"")])
            .unwrap();
        assert_eq!(Cache::open(&cache_dir, &root).unwrap().len(), 1);
        for name in &names {
            let (number, head) = cache.lookup(name, &stamp_of(&root.join(name))).unwrap();
            assert_eq!(head, name.as_bytes());
            let read = cache.records(number);
            if name == damaged {
                assert!(read.is_none());
            } else {
                assert_eq!(read.unwrap().as_ref(), records(name), "{name}");
            }
        }
        assert!(cache.records.get().is_some_and(Option::is_some));
    }
}
