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

mod place;
mod stamp;

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub use place::user_dir;
#[cfg(target_os = "linux")]
pub use stamp::Directory;
pub use stamp::Stamp;

use crate::text::bytes::{Reader, put_bytes, put_number, put_size};
use crate::text::hash::{DigestKey, FnvBuild, digest, fnv1a, keyed};

/// What a cache file starts with.
const MAGIC: &[u8; 16] = b"phonelint-cache\n";

/// The layout of the file; a build that changes it changes this too (the
/// build's identity is in the header anyway).
const FORMAT: u64 = 2;

/// A cache file larger than this is not read (it would be a cache of ten
/// million files).
const MAX_CACHE_SIZE: u64 = 1 << 30;

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
    /// The cache file as read.
    bytes: Vec<u8>,
    /// Its entries, by relative path.
    entries: Vec<Stored>,
    /// Each entry's position in `entries`, by the hash of its relative
    /// path (the first, should two paths share a hash).
    positions: HashMap<u64, usize, FnvBuild>,
}

/// One entry of the file read: where its parts are in [`Cache::bytes`].
#[derive(Debug)]
struct Stored {
    relative: Range<usize>,
    stamp: Stamp,
    payload: Range<usize>,
    /// The whole entry, to be written again as it is.
    whole: Range<usize>,
}

/// An entry written by this run: a file read whole.
#[derive(Debug)]
pub struct Fresh {
    pub relative: String,
    pub stamp: Stamp,
    pub payload: Vec<u8>,
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
        };
        // A file that is not there, or not this build's, is an empty cache.
        if let Ok(bytes) = crate::files::read::read_regular(&cache.file, MAX_CACHE_SIZE) {
            cache.entries = cache.parse(&bytes).unwrap_or_default();
            cache.positions.reserve(cache.entries.len());
            for (position, entry) in cache.entries.iter().enumerate() {
                let name = bytes.get(entry.relative.clone()).unwrap_or_default();
                cache.positions.entry(fnv1a(name)).or_insert(position);
            }
            cache.bytes = bytes;
        }
        Ok(cache)
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

    /// The entries of `bytes`, if it is a cache file this build wrote for
    /// this root and key, whole: sorted by relative path.
    fn parse(&self, bytes: &[u8]) -> Option<Vec<Stored>> {
        let (content, trailer) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        (digest(content).to_le_bytes() == trailer).then_some(())?;
        let rest = content.strip_prefix(self.header.as_slice())?;
        let start = self.header.len();
        let mut reader = Reader::new(rest);
        let count = reader.count(3)?;
        let mut entries: Vec<Stored> = Vec::with_capacity(count);
        for _ in 0..count {
            let from = reader.at();
            let relative = reader.bytes()?.len();
            let relative = (start + reader.at() - relative)..(start + reader.at());
            let stamp = Stamp::decode(&mut reader)?;
            let payload = reader.bytes()?.len();
            let payload = (start + reader.at() - payload)..(start + reader.at());
            let whole = (start + from)..(start + reader.at());
            if let Some(last) = entries.last() {
                (bytes.get(last.relative.clone())? < bytes.get(relative.clone())?).then_some(())?;
            }
            entries.push(Stored {
                relative,
                stamp,
                payload,
                whole,
            });
        }
        reader.is_done().then_some(entries)
    }

    /// The entry of the file at `relative` whose metadata now gives `stamp`,
    /// if there is one with that stamp: its number (for [`Seen::Used`]) and
    /// payload.
    pub fn lookup(&self, relative: &str, stamp: &Stamp) -> Option<(usize, &[u8])> {
        let wanted = relative.as_bytes();
        let found = *self.positions.get(&fnv1a(wanted))?;
        let entry = self.entries.get(found)?;
        (entry.stamp == *stamp && self.bytes.get(entry.relative.clone())? == wanted)
            .then_some(())?;
        Some((found, self.bytes.get(entry.payload.clone())?))
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
        let mut kept: Vec<(&[u8], Vec<u8>)> = Vec::with_capacity(seen.len());
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
                            let mut entry = Vec::with_capacity(fresh.payload.len() + 64);
                            put_bytes(&mut entry, fresh.relative.as_bytes());
                            fresh.stamp.encode(&mut entry);
                            put_bytes(&mut entry, &fresh.payload);
                            kept.push((fresh.relative.as_bytes(), entry));
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
        let mut kept: Vec<(&[u8], &[u8])> = kept
            .iter()
            .map(|(relative, entry)| (*relative, entry.as_slice()))
            .collect();
        for number in used {
            let Some(entry) = self.entries.get(number) else {
                continue;
            };
            let (Some(relative), Some(whole)) = (
                self.bytes.get(entry.relative.clone()),
                self.bytes.get(entry.whole.clone()),
            ) else {
                continue;
            };
            kept.push((relative, whole));
        }
        kept.sort_unstable_by(|a, b| a.0.cmp(b.0));
        kept.dedup_by(|a, b| a.0 == b.0);
        let size = kept.iter().map(|(_, entry)| entry.len()).sum::<usize>();
        let mut out = Vec::with_capacity(self.header.len() + size + 16);
        out.extend_from_slice(&self.header);
        put_size(&mut out, kept.len());
        for (_, entry) in kept {
            out.extend_from_slice(entry);
        }
        let trailer = digest(&out).to_le_bytes();
        out.extend_from_slice(&trailer);
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

    #[test]
    fn entries_are_used_only_with_their_stamp_and_written_only_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (cache_dir, root) = (dir.path().join("cache"), dir.path().join("root"));
        std::fs::create_dir(&root).unwrap();
        let (a, b) = (root.join("a.toml"), root.join("b.toml"));
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        std::thread::sleep(Duration::from_millis(150));
        let fresh = |relative: &str, path: &Path, payload: &[u8]| {
            Seen::Read(Box::new(Fresh {
                relative: relative.to_owned(),
                stamp: stamp_of(path),
                payload: payload.to_vec(),
            }))
        };
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert!(cache.is_empty());
        let seen = vec![fresh("b.toml", &b, b"B"), fresh("a.toml", &a, b"A")];
        assert!(cache.save(seen).unwrap());
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert_eq!(cache.len(), 2);
        let (number, payload) = cache.lookup("a.toml", &stamp_of(&a)).unwrap();
        assert_eq!(payload, b"A");
        assert_eq!(cache.lookup("b.toml", &stamp_of(&b)).unwrap().1, b"B");
        assert!(cache.lookup("c.toml", &stamp_of(&b)).is_none());
        assert!(cache.lookup("a.toml", &stamp_of(&b)).is_none());
        // Nothing new: nothing written.
        let seen = vec![Seen::Used(number), fresh("b.toml", &b, b"B")];
        assert!(!cache.save(seen).unwrap());
        // A file gone: its entry dropped.
        assert!(cache.save(vec![Seen::Used(number)]).unwrap());
        let cache = Cache::open(&cache_dir, &root).unwrap();
        assert_eq!(cache.len(), 1);
        assert!(cache.lookup("b.toml", &stamp_of(&b)).is_none());
        // A file changed just now gets no entry.
        std::fs::write(&a, "A").unwrap();
        assert!(!cache.admits(&stamp_of(&a)));
        assert!(cache.lookup("a.toml", &stamp_of(&a)).is_none());
        assert!(cache.save(vec![fresh("a.toml", &a, b"2")]).unwrap());
        assert!(Cache::open(&cache_dir, &root).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_or_foreign_cache_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let (cache_dir, root) = (dir.path().join("cache"), dir.path().join("root"));
        std::fs::create_dir(&root).unwrap();
        let a = root.join("a.toml");
        std::fs::write(&a, "a").unwrap();
        std::thread::sleep(Duration::from_millis(150));
        let cache = Cache::open(&cache_dir, &root).unwrap();
        let seen = vec![Seen::Read(Box::new(Fresh {
            relative: "a.toml".into(),
            stamp: stamp_of(&a),
            payload: b"payload".to_vec(),
        }))];
        assert!(cache.save(seen).unwrap());
        let file = cache.file.clone();
        let good = std::fs::read(&file).unwrap();
        for at in 0..good.len() {
            let mut damaged = good.clone();
            damaged[at] ^= 0x20;
            std::fs::write(&file, &damaged).unwrap();
            assert!(Cache::open(&cache_dir, &root).unwrap().is_empty(), "{at}");
            std::fs::write(&file, &good[..at]).unwrap();
            assert!(Cache::open(&cache_dir, &root).unwrap().is_empty(), "{at}");
        }
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
        let seen = vec![Seen::Read(Box::new(Fresh {
            relative: "a.toml".into(),
            stamp: stamp_of(&a),
            payload: Vec::new(),
        }))];
        assert!(cache.save(seen).is_err());
    }
}
