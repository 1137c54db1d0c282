//! A file's entry in the cache between runs (see [`crate::cache`]): what
//! the rules across files read of it, so that a run that does not judge the
//! file (it was not asked about) need not read it. The same as reading it
//! gives: whether it is a definition, whether it parsed, the length and
//! digest of its text (to read it back, unchanged, when a finding shows
//! it), what is kept of its records and their index keys. A file not judged
//! has no suppression comments that count and no findings of its own, so
//! nothing else of it is needed.

use std::sync::Arc;

use crate::cache::{Cache, Seen, Stamp};
use crate::discover::DiscoveredFile;
use crate::model::{KeptFile, RecordKeys};
use crate::source::SourceFile;
use crate::text::bytes::{Reader, put_size};
use crate::text::hash::{digest, keyed};

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

/// The file's entry, when the cache has one for it as it is now (its
/// metadata, taken without following a link, is the entry's).
pub(super) fn lookup(cache: &Cache, file: &DiscoveredFile) -> Option<FromCache> {
    let meta = std::fs::symlink_metadata(&file.path).ok()?;
    let stamp = Stamp::of(&meta)?;
    let (number, payload) = cache.lookup(file.relative(), &stamp)?;
    let mut reader = Reader::new(payload);
    let flags = reader.byte()?;
    let length = reader.size()?;
    let masked = u64::from_le_bytes(reader.take(8)?.try_into().ok()?);
    let text_digest = masked ^ mask(cache, file.relative(), &stamp);
    let source =
        SourceFile::known_by_digest(file.path.clone(), file.name.clone(), length, text_digest)
            .with_relative(file.relative.clone())
            .with_reported(false)
            .with_parsed(flags & PARSED != 0);
    let source = Arc::new(source);
    let (kept, keys) = if flags & DEFINITION != 0 {
        let kept = KeptFile::decode(source, length, &mut reader)?;
        let keys = RecordKeys::decode_file(&mut reader, kept.records().len(), length)?;
        (Some(kept), keys)
    } else {
        (None, Vec::new())
    };
    reader.is_done().then_some(FromCache {
        kept,
        keys,
        seen: Seen::Used(number),
    })
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
    let mut payload = Vec::new();
    let mut flags = 0;
    if kept.is_some() {
        flags |= DEFINITION;
    }
    if source.parsed {
        flags |= PARSED;
    }
    payload.push(flags);
    let text = source.text.as_bytes();
    put_size(&mut payload, text.len());
    let masked = digest(text) ^ mask(cache, relative, &stamp);
    payload.extend_from_slice(&masked.to_le_bytes());
    if let Some(kept) = kept {
        kept.encode(&mut payload);
        RecordKeys::encode_file(keys, &mut payload);
    }
    Some(Seen::Read(crate::cache::Fresh {
        relative: relative.to_owned(),
        stamp,
        payload,
    }))
}

/// What the digest of a file's text is kept under: the digest is of the
/// whole text, credentials included, and not keyed, so it is kept only
/// masked with a keyed digest of the file's path and stamp.
fn mask(cache: &Cache, relative: &str, stamp: &Stamp) -> u64 {
    let mut named = relative.as_bytes().to_vec();
    stamp.encode(&mut named);
    keyed(cache.key(), &named)
}
