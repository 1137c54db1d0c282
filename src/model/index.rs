//! The repository's cross-file index: every record of every definition file,
//! grouped by the keys VICIdial compares across records. Built once per
//! [`Repository`](super::Repository), in one pass over the records, so the
//! rules that look across files stay near linear: they look groups up
//! instead of comparing records pairwise.
//!
//! Entries are [`RecordId`]s (file and record positions), so the index does not
//! borrow the repository and every occurrence knows its file: a report filter
//! that checks the whole repository but reports only some files needs nothing
//! more than the finding's file.
//!
//! A group is known by its key's 64-bit hash, not the key: the keys are the
//! records' values, which the repository keeps anyway. Records that share
//! a hash are checked to share the key (a key is derived again from a kept
//! record for that), so two keys that collide never make one group; and a
//! lookup checks the key of the group it finds the same way.
//!
//! Keys are compared as VICIdial's database compares them: its install
//! creates it with `utf8_unicode_ci` (docs/BASE_INSTALL.txt 251), so case and
//! accents are ignored and trailing spaces do not count. See [`fold_key`].

use std::borrow::Cow;
use std::hash::Hasher;
use std::sync::Arc;

use rayon::prelude::*;

use super::kept::{KeptRecord, KeptView, kind_number};
use super::view::RecordView;
use crate::load::{Record, Value};
use crate::source::{SourceFile, Span};
use crate::text::bytes::widen;
use crate::text::bytes::{Reader, put_bytes, put_size};
use crate::vicidial::RecordKind;
use crate::vicidial::collation::{Key, KeyText, fold_key, key_text};

/// Where a record is: its file's position in the repository and its own
/// position in that file's document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId {
    pub file: u32,
    pub record: u32,
}

/// A record resolved from a [`RecordId`].
#[derive(Debug, Clone, Copy)]
pub struct Located<'r> {
    pub id: RecordId,
    pub file: &'r Arc<SourceFile>,
    pub record: &'r KeptRecord,
    pub view: KeptView<'r>,
}

impl<'r> Located<'r> {
    /// The record's identity (`extension@server_ip`, `alias_id`, `server_id`).
    pub fn key(&self) -> String {
        self.view.key()
    }

    /// The span of the written value of `name`, if written.
    pub fn value_span(&self, name: &str) -> Option<Span> {
        self.view.value_span(name)
    }

    /// The column of the kept field of its file that holds `span` (see
    /// [`super::KeptFile::field_at`]), searched from this record's fields.
    pub fn field_at(&self, span: Span) -> Option<&'static str> {
        self.view.field_in_record(widen(self.id.record), span)
    }
}

/// One member of an alias's `logins_list`, with the bytes it was written with
/// (the array element, or its part of the comma-separated string; the whole
/// string when escapes make the part impossible to locate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub login: String,
    pub span: Span,
}

/// An alias and its members.
#[derive(Debug, Clone)]
pub struct AliasEntry {
    pub id: RecordId,
    pub members: Vec<Member>,
    /// The group of [`Index::phones_by_login`] each member names, if any:
    /// looked up once, for every rule that follows a member to its phones.
    logins: Vec<Option<u32>>,
}

impl AliasEntry {
    /// The group of phones each member names, by position (`None`: no
    /// phone has that login).
    pub(super) fn login_groups(&self) -> &[Option<u32>] {
        &self.logins
    }
}

/// The keys records are grouped by, each of one kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// Phones by (extension, server_ip): VICIdial's only unique key.
    Extension,
    /// Phones by (server_ip, dialplan_number).
    Dialplan,
    /// Phones by login.
    Login,
    /// Phones by server_ip.
    Server,
    /// Phones by voicemail_id.
    Voicemail,
    /// Aliases by alias_id.
    AliasId,
    /// Servers by server_id.
    ServerId,
    /// Servers by server_ip.
    ServerIp,
}

impl Grouping {
    /// The groupings of a kind of record, in the order [`RecordKeys`] keeps
    /// their hashes.
    fn of_kind(kind: RecordKind) -> &'static [Grouping] {
        match kind {
            RecordKind::Phone => &[
                Grouping::Extension,
                Grouping::Dialplan,
                Grouping::Login,
                Grouping::Server,
                Grouping::Voicemail,
            ],
            RecordKind::Alias => &[Grouping::AliasId],
            RecordKind::Server => &[Grouping::ServerId, Grouping::ServerIp],
        }
    }

    /// Whether the rules read only the keys that two or more records share
    /// in this grouping (a duplicate is their business): the other keys,
    /// one for nearly every phone, are not kept. The groupings looked up by
    /// key keep every group.
    fn shared_only(self) -> bool {
        matches!(
            self,
            Grouping::Extension | Grouping::Dialplan | Grouping::Voicemail
        )
    }

    /// The columns a key of this grouping is made of.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Grouping::Extension => &["extension", "server_ip"],
            Grouping::Dialplan => &["server_ip", "dialplan_number"],
            Grouping::Login => &["login"],
            Grouping::Server | Grouping::ServerIp => &["server_ip"],
            Grouping::Voicemail => &["voicemail_id"],
            Grouping::AliasId => &["alias_id"],
            Grouping::ServerId => &["server_id"],
        }
    }

    /// The folded key of a record in this grouping, from the text VICIdial
    /// stores for each column (`written`): a pair's two keys are joined by
    /// a NUL, which no folded key holds. `None` when a column is missing.
    pub fn key<'v>(self, written: impl Fn(&str) -> Option<Cow<'v, str>>) -> Option<Key> {
        let key = |name: &str| written(name).and_then(|text| fold_key(&text));
        let pair = |first: &str, second: &str| {
            let (first, second) = (key(first)?, key(second)?);
            let mut pair = Key::with_capacity(first.len() + 1 + second.len());
            pair.push_str(&first);
            pair.push('\0');
            pair.push_str(&second);
            Some(pair)
        };
        match self {
            Grouping::Extension => pair("extension", "server_ip"),
            Grouping::Dialplan => pair("server_ip", "dialplan_number"),
            Grouping::Login => key("login"),
            Grouping::Server | Grouping::ServerIp => key("server_ip"),
            Grouping::Voicemail => key("voicemail_id"),
            Grouping::AliasId => key("alias_id"),
            Grouping::ServerId => key("server_id"),
        }
    }
}

/// A key's hash, as groups are known by.
pub fn key_hash(key: &str) -> u64 {
    crate::text::hash::fnv1a(key.as_bytes())
}

impl Grouping {
    /// [`key_hash`] of [`Grouping::key`], hashed as the parts are folded:
    /// every record of a file is hashed in each grouping of its kind, and
    /// a plain ASCII part (nearly all) is lower-cased into the hash rather
    /// than into a key of its own.
    fn key_hash<'v>(self, written: impl Fn(&str) -> Option<Cow<'v, str>>) -> Option<u64> {
        let mut hasher = crate::text::hash::Fnv::default();
        for (n, name) in self.columns().iter().enumerate() {
            if n > 0 {
                hasher.write_u8(0);
            }
            match key_text(&written(name)?)? {
                KeyText::Plain(text) => {
                    for byte in text.bytes() {
                        hasher.write_u8(byte.to_ascii_lowercase());
                    }
                }
                KeyText::Other(text) => hasher.write(fold_key(text)?.as_bytes()),
            }
        }
        Some(hasher.finish())
    }
}

/// Groups of records sharing a key; every group lists its records in
/// repository order (file order, then position in the file). Groups that
/// are only read for the keys records share hold no group of one record
/// (see [`Grouping::shared_only`]).
///
/// Built by sorting rather than hashing into a map of lists: a hundred
/// thousand keys are sorted (on all cores) faster than they are inserted one
/// by one, and the groups then sit in three flat lists instead of a list per
/// key. Groups are in the order of their keys' hashes.
#[derive(Debug, Default)]
pub struct Groups {
    /// Each group's key hash, in group order.
    hashes: Vec<u64>,
    /// Where each group starts in `ids`; the last group ends at its end.
    starts: Vec<u32>,
    /// Every member of every group, group after group.
    ids: Vec<RecordId>,
    /// Where the groups of each range of hashes start, by the top bits of
    /// the hash (`bucket_shift`): a look-up searches one bucket of a few
    /// groups instead of every hash, which at a million keys misses the
    /// processor's caches at every step. Empty for few groups.
    buckets: Vec<u32>,
    bucket_shift: u32,
    /// No group of one record is kept.
    shared_only: bool,
}

/// Groups a bucket holds on average, at most.
const GROUPS_A_BUCKET: usize = 8;

/// A keyed record before grouping: the key's hash, the record.
type Keyed = (u64, RecordId);

/// `entries` in the order of their hashes, then of their records: counted
/// into buckets by the hash's top bits (hashes are spread evenly, so a
/// bucket holds a few), each bucket then sorted on its own. Linear in the
/// entries where a sort of the whole list costs a logarithm more; the
/// entries are moved once, to a list of their own size.
fn sorted_by_hash(mut entries: Vec<Keyed>) -> Vec<Keyed> {
    let wanted = entries.len() / ENTRIES_A_BUCKET;
    if wanted < 2 {
        entries.sort_unstable();
        return entries;
    }
    let bits = wanted.ilog2().min(20);
    let shift = u64::BITS - bits;
    let bucket = |hash: u64| usize::try_from(hash >> shift).unwrap_or(usize::MAX);
    // Where each bucket starts, then where its next entry goes.
    let mut next = vec![0usize; (1 << bits) + 1];
    for (hash, _) in &entries {
        if let Some(count) = next.get_mut(bucket(*hash) + 1) {
            *count += 1;
        }
    }
    for at in 1..next.len() {
        let before = next.get(at - 1).copied().unwrap_or_default();
        if let Some(count) = next.get_mut(at) {
            *count += before;
        }
    }
    let starts = next.clone();
    let mut sorted = vec![(0, RecordId { file: 0, record: 0 }); entries.len()];
    for entry in entries {
        if let Some(at) = next.get_mut(bucket(entry.0))
            && let Some(slot) = sorted.get_mut(*at)
        {
            *slot = entry;
            *at += 1;
        }
    }
    for range in starts.windows(2) {
        if let [start, end] = range
            && let Some(bucket) = sorted.get_mut(*start..*end)
        {
            bucket.sort_unstable();
        }
    }
    sorted
}

/// Records of one hash that [`Groups::from_entries`] checks on all cores.
const PARALLEL_RUN: usize = 1 << 14;

/// Entries a bucket of [`sorted_by_hash`] holds on average, at least.
const ENTRIES_A_BUCKET: usize = 4;

impl Groups {
    /// Groups `entries` by key, each group in record order; `key_of` gives a
    /// record's key, asked only of records that share a hash and are not
    /// known by `same` (two records written alike) to share the key. With
    /// `shared_only`, a key of one record makes no group.
    fn from_entries(
        entries: Vec<Keyed>,
        key_of: &(dyn Fn(RecordId) -> Option<Key> + Sync),
        same: &(dyn Fn(RecordId, RecordId) -> bool + Sync),
        shared_only: bool,
    ) -> Self {
        let entries = sorted_by_hash(entries);
        let mut groups = Groups {
            shared_only,
            ..Groups::default()
        };
        if !shared_only {
            groups.ids.reserve_exact(entries.len());
        }
        let mut rest = entries.as_slice();
        while let Some(&(hash, _)) = rest.first() {
            // Counted from the start: a binary search over the rest would
            // miss the caches at every step, for every group.
            let length = rest.iter().take_while(|(other, _)| *other == hash).count();
            let (run, after) = rest.split_at(length);
            rest = after;
            if shared_only && run.len() < 2 {
                continue;
            }
            let mut keyed: Vec<(Option<Key>, RecordId)> = Vec::new();
            let written_alike = match run.split_first() {
                // A run of a million phones on a few servers: on all cores.
                Some(((_, first), others)) if others.len() > PARALLEL_RUN => {
                    (others.par_iter()).all(|(_, id)| same(*first, *id))
                }
                Some(((_, first), others)) => others.iter().all(|(_, id)| same(*first, *id)),
                None => true,
            };
            if !written_alike {
                keyed = run.iter().map(|(_, id)| (key_of(*id), *id)).collect();
            }
            if keyed
                .iter()
                .all(|(key, _)| *key == keyed.first().and_then(|(first, _)| first.clone()))
            {
                groups.push(hash, run.iter().map(|(_, id)| *id));
                continue;
            }
            // Two keys, one hash: a group for each key.
            keyed.sort();
            for same in keyed.chunk_by(|a, b| a.0 == b.0) {
                groups.push(hash, same.iter().map(|(_, id)| *id));
            }
        }
        groups.hashes.shrink_to_fit();
        groups.starts.shrink_to_fit();
        groups.ids.shrink_to_fit();
        groups.fill_buckets();
        groups
    }

    /// Buckets of [`GROUPS_A_BUCKET`] groups or fewer on average, when there
    /// are more groups than that.
    fn fill_buckets(&mut self) {
        let wanted = self.hashes.len() / GROUPS_A_BUCKET;
        if wanted < 2 {
            return;
        }
        let bits = wanted.ilog2().min(24);
        self.bucket_shift = u64::BITS - bits;
        let count = 1usize << bits;
        self.buckets.reserve_exact(count);
        let mut group = 0;
        for bucket in 0..count {
            while self
                .hashes
                .get(group)
                .is_some_and(|hash| self.bucket_of(*hash) < bucket)
            {
                group += 1;
            }
            self.buckets.push(u32::try_from(group).unwrap_or(u32::MAX));
        }
    }

    fn bucket_of(&self, hash: u64) -> usize {
        usize::try_from(hash >> self.bucket_shift).unwrap_or(usize::MAX)
    }

    /// The groups whose hashes may be `hash`: its bucket's, or all.
    fn candidates(&self, hash: u64) -> (usize, usize) {
        let all = self.hashes.len();
        if self.buckets.is_empty() {
            return (0, all);
        }
        let bucket = self.bucket_of(hash);
        let start = self.buckets.get(bucket).map_or(all, |at| widen(*at));
        let end = (self.buckets.get(bucket + 1)).map_or(all, |at| widen(*at));
        (start, end.max(start))
    }

    fn push(&mut self, hash: u64, ids: impl ExactSizeIterator<Item = RecordId>) {
        if self.shared_only && ids.len() < 2 {
            return;
        }
        self.hashes.push(hash);
        self.starts
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
        self.ids.extend(ids);
    }

    /// How many groups (distinct keys; shared ones only, when only those
    /// are kept) there are.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    fn members(&self, group: usize) -> &[RecordId] {
        let start = self.starts.get(group).copied().map_or(0, widen);
        let end = self
            .starts
            .get(group + 1)
            .copied()
            .map_or(self.ids.len(), widen);
        self.ids.get(start..end).unwrap_or_default()
    }

    /// Every group's members.
    pub fn values(&self) -> impl Iterator<Item = &[RecordId]> {
        (0..self.hashes.len()).map(|group| self.members(group))
    }

    /// The members of the group whose key is `key`; `key_of` gives a
    /// record's key, to tell the group from one whose key merely shares
    /// its hash. (When only shared keys are kept, a key of one record is
    /// found in none.)
    pub fn get(&self, key: &str, key_of: impl Fn(RecordId) -> Option<Key>) -> Option<&[RecordId]> {
        self.find(key, key_of).map(|group| self.members(group))
    }

    /// The position of the group whose key is `key` (see [`Groups::get`]).
    fn find(&self, key: &str, key_of: impl Fn(RecordId) -> Option<Key>) -> Option<usize> {
        let hash = key_hash(key);
        let (start, end) = self.candidates(hash);
        let first = start
            + (self.hashes.get(start..end))
                .map_or(0, |bucket| bucket.partition_point(|h| *h < hash));
        (first..self.hashes.len())
            .take_while(|group| self.hashes.get(*group) == Some(&hash))
            .find(|group| {
                (self.members(*group).first())
                    .and_then(|id| key_of(*id))
                    .is_some_and(|found| found == key)
            })
    }

    /// The members of the group at `position` (see [`Groups::find`]).
    pub(super) fn group(&self, position: u32) -> &[RecordId] {
        self.members(widen(position))
    }
}

/// The phones whose server_ip is written as an earlier phone of their file
/// writes it ([`RecordKeys::server_as_before`]), one bit a record in
/// repository order: a few kilobytes, in the caches, where the records are
/// not.
struct AsBefore {
    /// The position of each file's first record among all records.
    file_starts: Vec<usize>,
    bits: Vec<u64>,
}

impl AsBefore {
    /// None yet, for the records of `files`.
    fn of(files: &[Vec<RecordKeys>]) -> Self {
        let mut total = 0;
        let file_starts = (files.iter())
            .map(|records| {
                let start = total;
                total += records.len();
                start
            })
            .collect();
        AsBefore {
            file_starts,
            bits: vec![0; total.div_ceil(64)],
        }
    }

    fn set(&mut self, ordinal: usize) {
        if let Some(word) = self.bits.get_mut(ordinal / 64) {
            *word |= 1 << (ordinal % 64);
        }
    }

    fn has(&self, id: RecordId) -> bool {
        let Some(start) = self.file_starts.get(widen(id.file)) else {
            return false;
        };
        let ordinal = start + widen(id.record);
        (self.bits.get(ordinal / 64)).is_some_and(|word| word & (1 << (ordinal % 64)) != 0)
    }
}

/// The keyed records of an [`Index`] before they are grouped, by grouping.
#[derive(Default)]
struct Entries {
    lists: [Vec<Keyed>; 8],
}

impl Entries {
    fn list(&mut self, grouping: Grouping) -> Option<&mut Vec<Keyed>> {
        self.lists.get_mut(grouping as usize)
    }
}

#[derive(Debug, Default)]
pub struct Index {
    /// Every phone, in repository order.
    pub phones: Vec<RecordId>,
    /// Every alias with its members, in repository order.
    pub aliases: Vec<AliasEntry>,
    /// Every server, in repository order.
    pub servers: Vec<RecordId>,
    /// Phones by (extension, server_ip), VICIdial's only unique key: the
    /// keys two or more phones share.
    pub phones_by_extension: Groups,
    /// Phones by server_ip.
    pub phones_by_server: Groups,
    /// Phones by login.
    pub phones_by_login: Groups,
    /// Phones by (server_ip, dialplan_number): the keys two or more share.
    pub phones_by_dialplan: Groups,
    /// Phones by voicemail_id: the keys two or more share.
    pub phones_by_voicemail: Groups,
    /// Aliases by alias_id.
    pub aliases_by_id: Groups,
    /// Servers by server_id.
    pub servers_by_id: Groups,
    /// Servers by server_ip.
    pub servers_by_ip: Groups,
}

/// The keys one record is indexed by, as hashes of the folded keys (see
/// [`Grouping::key`]). Computed per file while files are checked in
/// parallel, so that building the index is only sorting hashes.
#[derive(Debug, Clone, Default)]
pub struct RecordKeys {
    kind: Option<RecordKind>,
    /// Which of `hashes` the record has (bit `n` for the `n`th grouping of
    /// its kind).
    present: u8,
    /// The hash of its key in each grouping of its kind.
    hashes: [u64; 5],
    /// An alias's members.
    members: Vec<Member>,
    /// A phone whose server_ip is written as an earlier phone of its file
    /// writes it: the two are in one group of [`Index::phones_by_server`]
    /// without comparing their kept texts again (a million phones on a few
    /// servers would be read again, one by one, at random).
    server_as_before: bool,
}

/// The server_ip texts of a file's phones that [`RecordKeys::of_file`]
/// compares each phone's with, at most: a file of phones names a few servers.
const SERVERS_A_FILE: usize = 64;

/// The bit of a record's `present` byte, as encoded, that says
/// [`RecordKeys::server_as_before`] (its groupings use the low bits).
const SERVER_AS_BEFORE: u8 = 0x80;

impl RecordKeys {
    /// The keys of every record of a file, in order; a damaged record has
    /// none and is not indexed.
    pub fn of_file(file: &SourceFile, records: &[Record]) -> Vec<RecordKeys> {
        // The server_ip texts of the file's phones so far, with their hashes.
        let mut servers: Vec<(u64, &str)> = Vec::new();
        // A phone alone in its file has none before it to share a text with.
        let room = if records.len() > 1 { SERVERS_A_FILE } else { 0 };
        records
            .iter()
            .map(|record| {
                if record.damaged {
                    return RecordKeys::default();
                }
                let mut keys = RecordKeys::of(file, record);
                if room > 0
                    && let Some(hash) = keys.hash(Grouping::Server)
                    && let Some(Cow::Borrowed(text)) = RecordView::new(record).written("server_ip")
                {
                    if servers
                        .iter()
                        .any(|(seen, before)| *seen == hash && *before == text)
                    {
                        keys.server_as_before = true;
                    } else if servers.len() < room {
                        servers.push((hash, text));
                    }
                }
                keys
            })
            .collect()
    }

    fn of(file: &SourceFile, record: &Record) -> RecordKeys {
        let view = RecordView::new(record);
        let mut keys = RecordKeys {
            kind: Some(record.kind),
            ..RecordKeys::default()
        };
        for (n, grouping) in Grouping::of_kind(record.kind).iter().enumerate() {
            if let Some(hash) = grouping.key_hash(|name| view.written(name))
                && let Some(slot) = keys.hashes.get_mut(n)
            {
                *slot = hash;
                keys.present |= 1 << n;
            }
        }
        if record.kind == RecordKind::Alias {
            keys.members = members(file, record);
        }
        keys
    }
}

impl RecordKeys {
    /// The kind of the record (`None`: damaged, not indexed).
    pub fn kind(&self) -> Option<RecordKind> {
        self.kind
    }

    /// The hash of the record's key in `grouping` (see [`key_hash`]), when
    /// the grouping is of its kind and the record has that key.
    pub fn hash(&self, grouping: Grouping) -> Option<u64> {
        let n = Grouping::of_kind(self.kind?)
            .iter()
            .position(|of_kind| *of_kind == grouping)?;
        (self.present & (1 << n) != 0)
            .then(|| self.hashes.get(n).copied())
            .flatten()
    }

    /// An alias's members (none for other records).
    pub fn members(&self) -> &[Member] {
        &self.members
    }
}

impl RecordKeys {
    /// Appends the keys of a file's records to `out`, as
    /// [`RecordKeys::decode_file`] reads them.
    pub fn encode_file(keys: &[RecordKeys], out: &mut Vec<u8>) {
        put_size(out, keys.len());
        for record in keys {
            out.push(record.kind.map_or(u8::MAX, kind_number));
            out.push(if record.server_as_before {
                record.present | SERVER_AS_BEFORE
            } else {
                record.present
            });
            for (n, hash) in record.hashes.iter().enumerate() {
                if record.present & (1 << n) != 0 {
                    out.extend_from_slice(&hash.to_le_bytes());
                }
            }
            put_size(out, record.members.len());
            for member in &record.members {
                put_bytes(out, member.login.as_bytes());
                put_size(out, member.span.start);
                put_size(out, member.span.end);
            }
        }
    }

    /// What [`RecordKeys::encode_file`] wrote, read from `reader`, for a file
    /// whose text is `length` bytes long: `None` if the bytes are not what it
    /// wrote, or do not fit such a file (the caller checks that there are as
    /// many as the file has records).
    pub fn decode_file(reader: &mut Reader<'_>, length: usize) -> Option<Vec<RecordKeys>> {
        let count = reader.count(3)?;
        let mut keys = Vec::with_capacity(count);
        for _ in 0..count {
            let kind = match reader.byte()? {
                u8::MAX => None,
                n => Some(*RecordKind::ALL.get(usize::from(n))?),
            };
            let present = reader.byte()?;
            let server_as_before = present & SERVER_AS_BEFORE != 0;
            let present = present & !SERVER_AS_BEFORE;
            let groupings = kind.map_or(0, |kind| Grouping::of_kind(kind).len());
            (u32::from(present) >> groupings == 0).then_some(())?;
            // Only a phone with a server_ip is said to share it.
            let server_at = Grouping::of_kind(kind.unwrap_or(RecordKind::Alias))
                .iter()
                .position(|grouping| *grouping == Grouping::Server);
            (!server_as_before || server_at.is_some_and(|n| present & (1 << n) != 0))
                .then_some(())?;
            let mut record = RecordKeys {
                kind,
                present,
                server_as_before,
                ..RecordKeys::default()
            };
            for (n, hash) in record.hashes.iter_mut().enumerate() {
                if present & (1 << n) != 0 {
                    *hash = u64::from_le_bytes(reader.take(8)?.try_into().ok()?);
                }
            }
            let members = reader.count(3)?;
            record.members.reserve_exact(members);
            for _ in 0..members {
                let login = reader.text()?.to_owned();
                let span = Span::new(reader.size()?, reader.size()?);
                (span.start <= span.end && span.end <= length).then_some(())?;
                record.members.push(Member { login, span });
            }
            keys.push(record);
        }
        Some(keys)
    }
}

impl Index {
    /// Indexes records by their keys: one list of [`RecordKeys`] per file, in
    /// repository order. `key_of` gives a record's key in a grouping, asked
    /// only of records whose keys share a hash, unless `same` says that the
    /// two records write the columns of the grouping alike (their keys are
    /// then the same: a key is a function of those texts).
    pub fn from_keys(
        files: Vec<Vec<RecordKeys>>,
        key_of: &(dyn Fn(RecordId, Grouping) -> Option<Key> + Sync),
        same: &(dyn Fn(RecordId, RecordId, Grouping) -> bool + Sync),
    ) -> Self {
        let mut index = Index::default();
        let mut entries = Entries::default();
        // Every list its exact size: at a million phones, the room a growing
        // list leaves is tens of megabytes.
        let mut counts = [0usize; 8];
        let mut phones = 0;
        let mut servers = 0;
        for keys in files.iter().flatten() {
            let Some(kind) = keys.kind else {
                continue;
            };
            match kind {
                RecordKind::Phone => phones += 1,
                RecordKind::Server => servers += 1,
                RecordKind::Alias => {}
            }
            for (n, grouping) in Grouping::of_kind(kind).iter().enumerate() {
                if keys.present & (1 << n) != 0
                    && let Some(count) = counts.get_mut(*grouping as usize)
                {
                    *count += 1;
                }
            }
        }
        for (list, count) in entries.lists.iter_mut().zip(counts) {
            list.reserve_exact(count);
        }
        index.phones.reserve_exact(phones);
        index.servers.reserve_exact(servers);
        let mut as_before = AsBefore::of(&files);
        let mut ordinal = 0;
        for (file_position, records) in files.into_iter().enumerate() {
            for (record_position, keys) in records.into_iter().enumerate() {
                let id = RecordId {
                    file: u32::try_from(file_position).unwrap_or(u32::MAX),
                    record: u32::try_from(record_position).unwrap_or(u32::MAX),
                };
                if keys.server_as_before {
                    as_before.set(ordinal);
                }
                ordinal += 1;
                index.add(&mut entries, id, keys);
            }
        }
        // Eight independent groupings: side by side.
        let groups = |grouping: Grouping, entries: Vec<Keyed>| {
            Groups::from_entries(
                entries,
                &|id| key_of(id, grouping),
                &|a, b| (grouping == Grouping::Server && as_before.has(b)) || same(a, b, grouping),
                grouping.shared_only(),
            )
        };
        let [
            extension,
            dialplan,
            login,
            server,
            voicemail,
            alias_id,
            server_id,
            server_ip,
        ] = entries.lists;
        (
            (
                (index.phones_by_extension, index.phones_by_dialplan),
                (index.phones_by_server, index.phones_by_login),
            ),
            (
                (index.phones_by_voicemail, index.aliases_by_id),
                (index.servers_by_id, index.servers_by_ip),
            ),
        ) = rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || groups(Grouping::Extension, extension),
                            || groups(Grouping::Dialplan, dialplan),
                        )
                    },
                    || {
                        rayon::join(
                            || groups(Grouping::Server, server),
                            || groups(Grouping::Login, login),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || groups(Grouping::Voicemail, voicemail),
                            || groups(Grouping::AliasId, alias_id),
                        )
                    },
                    || {
                        rayon::join(
                            || groups(Grouping::ServerId, server_id),
                            || groups(Grouping::ServerIp, server_ip),
                        )
                    },
                )
            },
        );
        index.find_members(&|id| key_of(id, Grouping::Login));
        index
    }

    /// Looks up the phones of every alias member, once for the rules that
    /// follow members to their phones: in the order of the logins' hashes,
    /// so that a million phones' groups are read from start to end rather
    /// than at random.
    fn find_members(&mut self, key_of: &(dyn Fn(RecordId) -> Option<Key> + Sync)) {
        let mut wanted: Vec<(u64, Key, usize, usize)> = Vec::new();
        for (alias, entry) in self.aliases.iter_mut().enumerate() {
            entry.logins = vec![None; entry.members.len()];
            for (member, listed) in entry.members.iter().enumerate() {
                if let Some(login) = fold_key(&listed.login) {
                    wanted.push((key_hash(&login), login, alias, member));
                }
            }
        }
        wanted.sort_unstable_by_key(|(hash, ..)| *hash);
        for (_, login, alias, member) in wanted {
            let group = self.phones_by_login.find(&login, key_of);
            if let Some(slot) =
                (self.aliases.get_mut(alias)).and_then(|entry| entry.logins.get_mut(member))
            {
                *slot = group.and_then(|group| u32::try_from(group).ok());
            }
        }
    }

    fn add(&mut self, entries: &mut Entries, id: RecordId, keys: RecordKeys) {
        let Some(kind) = keys.kind else {
            return;
        };
        for (n, grouping) in Grouping::of_kind(kind).iter().enumerate() {
            if keys.present & (1 << n) != 0
                && let (Some(hash), Some(list)) = (keys.hashes.get(n), entries.list(*grouping))
            {
                list.push((*hash, id));
            }
        }
        match kind {
            RecordKind::Phone => self.phones.push(id),
            RecordKind::Alias => self.aliases.push(AliasEntry {
                id,
                members: keys.members,
                logins: Vec::new(),
            }),
            RecordKind::Server => self.servers.push(id),
        }
    }
}

/// The members of an alias's `logins_list`: VICIdial splits the column on
/// commas; empty parts are skipped.
pub fn members(file: &SourceFile, record: &Record) -> Vec<Member> {
    let Some(entry) = record.field("logins_list") else {
        return Vec::new();
    };
    match &entry.value.value {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| {
                let login = item.value.as_str()?;
                (!login.is_empty()).then(|| Member {
                    login: login.to_owned(),
                    span: item.span,
                })
            })
            .collect(),
        Value::String(list) => {
            let span = entry.value.span;
            // The part's own bytes, when the string is written without escapes
            // (the source is the quoted text itself); else the whole value.
            let raw = file.slice(span);
            let plain = raw.len() == list.len() + 2 && raw.get(1..raw.len() - 1) == Some(list);
            let mut members = Vec::new();
            let mut offset = 0;
            for part in list.split(',') {
                if !part.is_empty() {
                    let start = span.start + 1 + offset;
                    members.push(Member {
                        login: part.to_owned(),
                        span: if plain {
                            Span::new(start, start + part.len())
                        } else {
                            span
                        },
                    });
                }
                offset += part.len() + 1;
            }
            members
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Format, load_str};

    fn source(text: &str) -> SourceFile {
        SourceFile::new("t.toml".into(), "t.toml".into(), text.to_owned())
    }

    /// Bucketed or not, entries come out as a sort of the whole list puts
    /// them: by hash, then by record, the extreme hashes and hashes shared
    /// by many records included.
    #[test]
    fn entries_sorted_by_hash_as_a_whole_sort_does() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for length in [0, 1, 2, 7, 8, 9, 31, 1000, 4096, 70_000] {
            let mut entries: Vec<Keyed> = (0..length)
                .map(|n| {
                    let hash = match n % 7 {
                        0 => 0,
                        1 => u64::MAX,
                        2 => 1 << 63,
                        3 => next() % 3,
                        _ => next(),
                    };
                    let id = RecordId {
                        file: u32::try_from(n / 100).unwrap(),
                        record: u32::try_from(n % 100).unwrap(),
                    };
                    (hash, id)
                })
                .collect();
            // Out of record order too: the sort owes nothing to the order given.
            entries.reverse();
            let mut expected = entries.clone();
            expected.sort_unstable();
            assert_eq!(sorted_by_hash(entries), expected, "{length} entries");
        }
    }

    #[test]
    fn keys_fold_case_and_trailing_spaces() {
        assert_eq!(fold_key("CC100  ").as_deref(), Some("cc100"));
        assert_eq!(fold_key(" cc100").as_deref(), Some(" cc100"));
        assert_eq!(fold_key("   "), None);
        assert_eq!(fold_key(""), None);
        assert_eq!(fold_key("Émilie"), fold_key("emilie"));
        assert_eq!(fold_key("\u{1}"), None);
    }

    /// A record's hash in each grouping is the hash of its key, plain ASCII,
    /// accented, trailing spaces, empty or missing parts alike.
    #[test]
    fn key_hashes_are_hashes_of_the_keys() {
        let text = "[[phones]]\nextension = \"CC100  \"\nserver_ip = \"10.0.0.1\"\n\
                    login = \"Émilie\"\ndialplan_number = \"   \"\n\
                    [[phones]]\nextension = \"x\\u0001\"\nserver_ip = \"Ä\"\nvoicemail_id = \" 7\"\n\
                    [[phones]]\nserver_ip = \"\"\nlogin = \"\\u0001\"\n\
                    [[aliases]]\nalias_id = \"Desk\"\n\
                    [[servers]]\nserver_id = \"ß\"\nserver_ip = \"10.0.0.1 \"\n";
        let doc = load_str(text, Format::Toml);
        assert_eq!(doc.records.len(), 5);
        for record in &doc.records {
            let view = RecordView::new(record);
            for grouping in Grouping::of_kind(record.kind) {
                let key = grouping.key(|name| view.written(name));
                assert_eq!(
                    grouping.key_hash(|name| view.written(name)),
                    key.as_deref().map(key_hash),
                    "{grouping:?} of {key:?}"
                );
            }
        }
    }

    #[test]
    fn members_of_a_string_list_point_at_their_own_bytes() {
        let text = "[[aliases]]\nalias_id = \"desk\"\nlogins_list = \"aa1,,bb2\"\n";
        let doc = load_str(text, Format::Toml);
        let file = source(text);
        let found = members(&file, &doc.records[0]);
        let logins: Vec<_> = found.iter().map(|m| m.login.as_str()).collect();
        assert_eq!(logins, ["aa1", "bb2"]);
        assert_eq!(file.slice(found[0].span), "aa1");
        assert_eq!(file.slice(found[1].span), "bb2");
    }

    #[test]
    fn members_of_an_escaped_string_point_at_the_whole_value() {
        let text = "[[aliases]]\nlogins_list = \"a\\u0061,b\"\n";
        let doc = load_str(text, Format::Toml);
        let file = source(text);
        let found = members(&file, &doc.records[0]);
        assert_eq!(found[0].login, "aa");
        assert_eq!(file.slice(found[1].span), "\"a\\u0061,b\"");
    }

    #[test]
    fn members_of_an_array() {
        let text = "{\"aliases\": [{\"logins_list\": [\"x1\", \"\", \"y2\"]}]}";
        let doc = load_str(text, Format::Json);
        let file = source(text);
        let found = members(&file, &doc.records[0]);
        assert_eq!(found.len(), 2);
        assert_eq!(file.slice(found[1].span), "\"y2\"");
    }

    #[test]
    fn sorted_groups_keep_members_in_order_and_find_every_key() {
        let id = |n: u32| RecordId { file: n, record: 0 };
        let key = |n: u32| Key::from(format!("k{}", n % 1000));
        // 3,000 records over 1,000 keys, each key's records far apart.
        let entries: Vec<Keyed> = (0..3000).map(|n| (key_hash(&key(n)), id(n))).collect();
        let key_of = |id: RecordId| Some(key(id.file));
        // Records written alike are known so without their keys: the same
        // groups.
        let alike = |a: RecordId, b: RecordId| key(a.file) == key(b.file);
        let known = Groups::from_entries(entries.clone(), &key_of, &alike, false);
        let groups = Groups::from_entries(entries, &key_of, &|_, _| false, false);
        assert_eq!(
            known.values().collect::<Vec<_>>(),
            groups.values().collect::<Vec<_>>()
        );
        assert_eq!(groups.len(), 1000);
        assert_eq!(groups.values().map(<[RecordId]>::len).sum::<usize>(), 3000);
        for n in 0..1000 {
            assert_eq!(
                groups.get(&key(n), key_of),
                Some(&[id(n), id(n + 1000), id(n + 2000)][..])
            );
        }
        assert_eq!(groups.get("k1000", key_of), None);
        assert!(Groups::default().get("x", key_of).is_none());
    }

    /// Every group is within the bucket of its hash, the first and last
    /// hashes there are included.
    #[test]
    fn buckets_hold_every_group() {
        let id = |n: u32| RecordId { file: n, record: 0 };
        let hashes = (0..300u64)
            .map(|n| n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .chain([0, 1, u64::MAX - 1, u64::MAX, 1 << 63]);
        let entries: Vec<Keyed> = hashes.zip(0..).map(|(hash, n)| (hash, id(n))).collect();
        let groups = Groups::from_entries(entries, &|_| None, &|_, _| true, false);
        assert!(!groups.buckets.is_empty());
        for (group, hash) in groups.hashes.iter().enumerate() {
            let (start, end) = groups.candidates(*hash);
            assert!((start..end).contains(&group), "{hash:x}");
        }
    }

    /// Two keys with one hash make two groups, each found by its own key.
    #[test]
    fn keys_that_share_a_hash_are_not_one_group() {
        let id = |n: u32| RecordId { file: n, record: 0 };
        // Every record given the same hash; keys a, b, a, b, ...
        let key_of =
            |id: RecordId| Some(Key::from(if id.file.is_multiple_of(2) { "a" } else { "b" }));
        let entries: Vec<Keyed> = (0..6).map(|n| (7, id(n))).collect();
        let groups = Groups::from_entries(entries.clone(), &key_of, &|_, _| false, false);
        assert_eq!(groups.len(), 2);
        let (a, b) = (&[id(0), id(2), id(4)][..], &[id(1), id(3), id(5)][..]);
        assert_eq!(groups.values().collect::<Vec<_>>(), [a, b]);
        // A lookup finds a group by hash and checks its key: here the
        // hashes of "a" and "b" are not 7, and a key sharing a hash with no
        // group is found in none.
        // Records said to be written alike are one group, unasked.
        let alike = Groups::from_entries(entries, &|_| unreachable!(), &|_, _| true, false);
        assert_eq!(alike.len(), 1);
        let forced =
            Groups::from_entries(vec![(key_hash("a"), id(1))], &key_of, &|_, _| false, false);
        assert_eq!(forced.get("a", key_of), None);
        assert_eq!(forced.get("b", key_of), None);
    }

    /// Shared keys only: a key of one record makes no group, also when it
    /// shares its hash with a key of several.
    #[test]
    fn shared_only_groups_leave_out_keys_of_one_record() {
        let id = |n: u32| RecordId { file: n, record: 0 };
        let key_of = |id: RecordId| Some(Key::from(if id.file < 3 { "a" } else { "b" }));
        let alike = |a: RecordId, b: RecordId| key_of(a) == key_of(b);
        // Records 0-2 share "a"; record 3's "b" has the same hash; 4 and 5
        // are alone with their own hashes.
        let mut entries: Vec<Keyed> = (0..4).map(|n| (7, id(n))).collect();
        entries.extend([(8, id(4)), (9, id(5))]);
        let groups = Groups::from_entries(entries.clone(), &key_of, &alike, true);
        assert_eq!(
            groups.values().collect::<Vec<_>>(),
            [&[id(0), id(1), id(2)][..]]
        );
        let every = Groups::from_entries(entries, &key_of, &alike, false);
        assert_eq!(every.len(), 4);
    }

    /// A phone whose server_ip is written as an earlier phone of its file
    /// writes it is marked (the cache keeps the mark), and the groups are
    /// those of the keys: a text written otherwise but folded alike (a
    /// trailing space) is grouped with them, unmarked.
    #[test]
    fn phones_sharing_a_server_text_in_a_file_are_marked() {
        let text = "[[phones]]\nextension = \"a\"\nserver_ip = \"10.0.0.1\"\n\
                    [[phones]]\nextension = \"b\"\nserver_ip = \"10.0.0.1\"\n\
                    [[phones]]\nextension = \"c\"\nserver_ip = \"10.0.0.2\"\n\
                    [[phones]]\nextension = \"d\"\nserver_ip = \"10.0.0.1 \"\n\
                    [[phones]]\nextension = \"e\"\nserver_ip = \"10.0.0.2\"\n\
                    [[phones]]\nextension = \"f\"\n";
        let doc = load_str(text, Format::Toml);
        let file = Arc::new(source(text));
        let keys = RecordKeys::of_file(&file, &doc.records);
        let marks = |keys: &[RecordKeys]| -> Vec<bool> {
            keys.iter().map(|keys| keys.server_as_before).collect()
        };
        assert_eq!(marks(&keys), [false, true, false, false, true, false]);
        let mut encoded = Vec::new();
        RecordKeys::encode_file(&keys, &mut encoded);
        let decoded = RecordKeys::decode_file(&mut Reader::new(&encoded), text.len()).unwrap();
        assert_eq!(marks(&decoded), marks(&keys));
        assert_eq!(
            decoded.iter().map(|keys| keys.present).collect::<Vec<_>>(),
            keys.iter().map(|keys| keys.present).collect::<Vec<_>>()
        );
        // A phone alone in its file is never marked.
        let alone = RecordKeys::of_file(&file, &doc.records[1..2]);
        assert_eq!(marks(&alone), [false]);
        let repository = super::super::Repository::of_documents([(&file, &doc), (&file, &doc)]);
        let ids = |records: &[u32]| -> Vec<RecordId> {
            (0..2)
                .flat_map(|file| {
                    records.iter().map(move |record| RecordId {
                        file,
                        record: *record,
                    })
                })
                .collect()
        };
        assert_eq!(repository.phones_on_server("10.0.0.1"), ids(&[0, 1, 3]));
        assert_eq!(repository.phones_on_server("10.0.0.2"), ids(&[2, 4]));
    }

    /// A mark on a record that has no server_ip is not what the cache
    /// wrote.
    #[test]
    fn a_mark_without_a_server_is_refused() {
        let text = "[[aliases]]\nalias_id = \"x\"\n";
        let doc = load_str(text, Format::Toml);
        let mut keys = RecordKeys::of_file(&source(text), &doc.records);
        keys[0].server_as_before = true;
        let mut encoded = Vec::new();
        RecordKeys::encode_file(&keys, &mut encoded);
        assert!(RecordKeys::decode_file(&mut Reader::new(&encoded), text.len()).is_none());
    }

    #[test]
    fn groups_by_folded_keys_in_repository_order() {
        let a = "[[phones]]\nextension = \"cc1\"\nserver_ip = \"10.0.0.1\"\nlogin = \"Cc1\"\n\
                 [[servers]]\nserver_id = \"S1\"\nserver_ip = \"10.0.0.1\"\n";
        let b = "{\"phones\": [{\"extension\": \"CC1\", \"server_ip\": \"10.0.0.1\", \"login\": \"cc1 \"}]}";
        let (da, db) = (load_str(a, Format::Toml), load_str(b, Format::Json));
        let (fa, fb) = (Arc::new(source(a)), Arc::new(source(b)));
        let repository = super::super::Repository::of_documents([(&fa, &da), (&fb, &db)]);
        let ids = [
            RecordId { file: 0, record: 0 },
            RecordId { file: 1, record: 0 },
        ];
        assert_eq!(repository.phones_with_login("CC1"), ids);
        let index = repository.index();
        assert_eq!(index.phones_by_extension.len(), 1);
        assert_eq!(index.phones_by_extension.values().next(), Some(&ids[..]));
        assert_eq!(repository.servers_with_ip("10.0.0.1").len(), 1);
        assert_eq!(repository.phones_on_server("10.0.0.1 "), ids);
        assert!(repository.phones_with_login("").is_empty());
        assert!(repository.phones_with_login("cc2").is_empty());
    }
}
