//! The repository's cross-file index: every record of every definition file,
//! grouped by the keys VICIdial compares across records. Built once per
//! [`Repository`](super::Repository) (on first use), in one pass over the
//! records, so the rules that look across files stay near linear: they look
//! groups up in hash maps instead of comparing records pairwise.
//!
//! Entries are [`RecordId`]s (file and record positions), so the index does not
//! borrow the repository and every occurrence knows its file: a report filter
//! that checks the whole repository but reports only some files needs nothing
//! more than the finding's file.
//!
//! Keys are compared as VICIdial's database compares them: its install
//! creates it with `utf8_unicode_ci` (docs/BASE_INSTALL.txt 251), so case and
//! accents are ignored and trailing spaces do not count. See [`fold_key`].

use rayon::slice::ParallelSliceMut;
use std::sync::Arc;

use super::kept::{KeptRecord, KeptView};
use super::view::RecordView;
use crate::load::{Record, Value};
use crate::source::{SourceFile, Span};
use crate::vicidial::RecordKind;
use crate::vicidial::collation::{Key, fold_key};

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
}

/// Groups of records sharing a key; every group lists its records in
/// repository order (file order, then position in the file).
///
/// Built by sorting rather than hashing into a map of lists: a hundred
/// thousand keys are sorted (on all cores) faster than they are inserted one
/// by one, and the groups then sit in three flat lists instead of a list per
/// key. Keys are ordered by a hash first, so that comparing long shared
/// prefixes is rare; equal hashes only cost a string comparison, never a
/// wrong group.
#[derive(Debug)]
pub struct Groups<K> {
    /// Each group's key hash and key, in group order.
    keys: Vec<(u64, K)>,
    /// Where each group starts in `ids`; the last group ends at its end.
    starts: Vec<usize>,
    /// Every member of every group, group after group.
    ids: Vec<RecordId>,
}

impl<K> Default for Groups<K> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            starts: Vec::new(),
            ids: Vec::new(),
        }
    }
}

fn key_hash<K: std::hash::Hash + ?Sized>(key: &K) -> u64 {
    use std::hash::BuildHasher;
    crate::text::hash::FnvBuild::default().hash_one(key)
}

/// A keyed record before grouping: the key's hash, the key, the record.
type Keyed<K> = (u64, K, RecordId);

fn keyed<K: std::hash::Hash>(key: K, id: RecordId) -> Keyed<K> {
    (key_hash(&key), key, id)
}

impl<K: Ord + std::hash::Hash + Send> Groups<K> {
    /// Groups `entries` by key, each group in record order.
    fn from_entries(mut entries: Vec<Keyed<K>>) -> Self {
        // Ordered by the record last, so that an unstable sort (no buffer the
        // size of the list) keeps each group in repository order.
        entries.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.cmp(&b.1))
                .then_with(|| a.2.cmp(&b.2))
        });
        let mut groups = Groups::default();
        groups.ids.reserve_exact(entries.len());
        for (hash, key, id) in entries {
            let new_group = groups
                .keys
                .last()
                .is_none_or(|(last_hash, last)| *last_hash != hash || *last != key);
            if new_group {
                groups.starts.push(groups.ids.len());
                groups.keys.push((hash, key));
            }
            groups.ids.push(id);
        }
        groups.keys.shrink_to_fit();
        groups.starts.shrink_to_fit();
        groups
    }
}

impl<K> Groups<K> {
    /// How many groups (distinct keys) there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn members(&self, group: usize) -> &[RecordId] {
        let start = self.starts.get(group).copied().unwrap_or(0);
        let end = self
            .starts
            .get(group + 1)
            .copied()
            .unwrap_or(self.ids.len());
        self.ids.get(start..end).unwrap_or_default()
    }

    /// Every group's key and members.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &[RecordId])> {
        self.keys
            .iter()
            .enumerate()
            .map(|(group, (_, key))| (key, self.members(group)))
    }

    /// Every group's members.
    pub fn values(&self) -> impl Iterator<Item = &[RecordId]> {
        (0..self.keys.len()).map(|group| self.members(group))
    }

    /// The members of the group whose key is `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&[RecordId]>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + std::hash::Hash + ?Sized,
    {
        let hash = key_hash(key);
        let group = self
            .keys
            .binary_search_by(|(h, k)| h.cmp(&hash).then_with(|| k.borrow().cmp(key)))
            .ok()?;
        Some(self.members(group))
    }
}

impl<'g, K> IntoIterator for &'g Groups<K> {
    type Item = (&'g K, &'g [RecordId]);
    type IntoIter = Box<dyn Iterator<Item = Self::Item> + 'g>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// The keyed records of an [`Index`] before they are grouped.
#[derive(Default)]
struct Entries {
    phones_by_extension: Vec<Keyed<(Key, Key)>>,
    phones_by_server: Vec<Keyed<Key>>,
    phones_by_login: Vec<Keyed<Key>>,
    phones_by_dialplan: Vec<Keyed<(Key, Key)>>,
    phones_by_voicemail: Vec<Keyed<Key>>,
    aliases_by_id: Vec<Keyed<Key>>,
    servers_by_id: Vec<Keyed<Key>>,
    servers_by_ip: Vec<Keyed<Key>>,
}

#[derive(Debug, Default)]
pub struct Index {
    /// Every phone, in repository order.
    pub phones: Vec<RecordId>,
    /// Every alias with its members, in repository order.
    pub aliases: Vec<AliasEntry>,
    /// Every server, in repository order.
    pub servers: Vec<RecordId>,
    /// Phones by (extension, server_ip): VICIdial's only unique key.
    pub phones_by_extension: Groups<(Key, Key)>,
    /// Phones by server_ip.
    pub phones_by_server: Groups<Key>,
    /// Phones by login.
    pub phones_by_login: Groups<Key>,
    /// Phones by (server_ip, dialplan_number).
    pub phones_by_dialplan: Groups<(Key, Key)>,
    /// Phones by voicemail_id.
    pub phones_by_voicemail: Groups<Key>,
    /// Aliases by alias_id.
    pub aliases_by_id: Groups<Key>,
    /// Servers by server_id.
    pub servers_by_id: Groups<Key>,
    /// Servers by server_ip.
    pub servers_by_ip: Groups<Key>,
}

/// The keys one record is indexed by, folded (see [`fold_key`]). Computed per
/// file while files are checked in parallel, so that building the index is
/// only moving keys into maps.
#[derive(Debug, Clone, Default)]
pub struct RecordKeys {
    kind: Option<RecordKind>,
    login: Option<Key>,
    server_ip: Option<Key>,
    voicemail_id: Option<Key>,
    /// (extension, server_ip)
    extension: Option<(Key, Key)>,
    /// (server_ip, dialplan_number)
    dialplan_number: Option<(Key, Key)>,
    alias_id: Option<Key>,
    server_id: Option<Key>,
    members: Vec<Member>,
}

impl RecordKeys {
    /// The keys of every record of a file, in order; a damaged record has
    /// none and is not indexed.
    pub fn of_file(file: &SourceFile, records: &[Record]) -> Vec<RecordKeys> {
        records
            .iter()
            .map(|record| {
                if record.damaged {
                    RecordKeys::default()
                } else {
                    RecordKeys::of(file, record)
                }
            })
            .collect()
    }

    fn of(file: &SourceFile, record: &Record) -> RecordKeys {
        let view = RecordView::new(record);
        let key = |name: &str| view.written(name).and_then(|text| fold_key(&text));
        let mut keys = RecordKeys {
            kind: Some(record.kind),
            ..RecordKeys::default()
        };
        match record.kind {
            RecordKind::Phone => {
                keys.login = key("login");
                keys.server_ip = key("server_ip");
                keys.voicemail_id = key("voicemail_id");
                if let Some(server_ip) = &keys.server_ip {
                    keys.extension = key("extension").map(|e| (e, server_ip.clone()));
                    keys.dialplan_number =
                        key("dialplan_number").map(|number| (server_ip.clone(), number));
                }
            }
            RecordKind::Alias => {
                keys.alias_id = key("alias_id");
                keys.members = members(file, record);
            }
            RecordKind::Server => {
                keys.server_id = key("server_id");
                keys.server_ip = key("server_ip");
            }
        }
        keys
    }
}

impl Index {
    /// Indexes records by their keys: one list of [`RecordKeys`] per file, in
    /// repository order.
    pub fn from_keys(files: impl IntoIterator<Item = Vec<RecordKeys>>) -> Self {
        let mut index = Index::default();
        let mut entries = Entries::default();
        for (file_position, records) in files.into_iter().enumerate() {
            for (record_position, keys) in records.into_iter().enumerate() {
                let id = RecordId {
                    file: u32::try_from(file_position).unwrap_or(u32::MAX),
                    record: u32::try_from(record_position).unwrap_or(u32::MAX),
                };
                index.add(&mut entries, id, keys);
            }
        }
        // Eight independent groupings: side by side.
        let Entries {
            phones_by_extension,
            phones_by_server,
            phones_by_login,
            phones_by_dialplan,
            phones_by_voicemail,
            aliases_by_id,
            servers_by_id,
            servers_by_ip,
        } = entries;
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
                            || Groups::from_entries(phones_by_extension),
                            || Groups::from_entries(phones_by_dialplan),
                        )
                    },
                    || {
                        rayon::join(
                            || Groups::from_entries(phones_by_server),
                            || Groups::from_entries(phones_by_login),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || Groups::from_entries(phones_by_voicemail),
                            || Groups::from_entries(aliases_by_id),
                        )
                    },
                    || {
                        rayon::join(
                            || Groups::from_entries(servers_by_id),
                            || Groups::from_entries(servers_by_ip),
                        )
                    },
                )
            },
        );
        index
    }

    fn add(&mut self, entries: &mut Entries, id: RecordId, keys: RecordKeys) {
        let push = |list: &mut Vec<Keyed<Key>>, key: Option<Key>| {
            if let Some(key) = key {
                list.push(keyed(key, id));
            }
        };
        match keys.kind {
            None => {}
            Some(RecordKind::Phone) => {
                self.phones.push(id);
                if let Some(pair) = keys.extension {
                    entries.phones_by_extension.push(keyed(pair, id));
                }
                if let Some(pair) = keys.dialplan_number {
                    entries.phones_by_dialplan.push(keyed(pair, id));
                }
                push(&mut entries.phones_by_login, keys.login);
                push(&mut entries.phones_by_server, keys.server_ip);
                push(&mut entries.phones_by_voicemail, keys.voicemail_id);
            }
            Some(RecordKind::Alias) => {
                push(&mut entries.aliases_by_id, keys.alias_id);
                self.aliases.push(AliasEntry {
                    id,
                    members: keys.members,
                });
            }
            Some(RecordKind::Server) => {
                self.servers.push(id);
                push(&mut entries.servers_by_id, keys.server_id);
                push(&mut entries.servers_by_ip, keys.server_ip);
            }
        }
    }

    /// The phones whose login is `login` (as VICIdial compares it).
    pub fn phones_with_login(&self, login: &str) -> &[RecordId] {
        fold_key(login)
            .and_then(|key| self.phones_by_login.get(&key))
            .unwrap_or_default()
    }

    /// The servers whose server_ip is `ip` (as VICIdial compares it).
    pub fn servers_with_ip(&self, ip: &str) -> &[RecordId] {
        fold_key(ip)
            .and_then(|key| self.servers_by_ip.get(&key))
            .unwrap_or_default()
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

    #[test]
    fn keys_fold_case_and_trailing_spaces() {
        assert_eq!(fold_key("CC100  ").as_deref(), Some("cc100"));
        assert_eq!(fold_key(" cc100").as_deref(), Some(" cc100"));
        assert_eq!(fold_key("   "), None);
        assert_eq!(fold_key(""), None);
        assert_eq!(fold_key("Émilie"), fold_key("emilie"));
        assert_eq!(fold_key("\u{1}"), None);
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
        // 3,000 records over 1,000 keys, each key's records far apart.
        let entries: Vec<Keyed<String>> = (0..3000)
            .map(|n| keyed(format!("k{}", n % 1000), id(n)))
            .collect();
        let groups = Groups::from_entries(entries);
        assert_eq!(groups.len(), 1000);
        assert_eq!(groups.values().map(<[RecordId]>::len).sum::<usize>(), 3000);
        for n in 0..1000 {
            let key = format!("k{n}");
            assert_eq!(
                groups.get(key.as_str()),
                Some(&[id(n), id(n + 1000), id(n + 2000)][..])
            );
        }
        for (key, members) in &groups {
            assert_eq!(groups.get(key.as_str()), Some(members));
        }
        assert_eq!(groups.get("k1000"), None);
        assert!(Groups::<String>::default().get("x").is_none());
    }

    #[test]
    fn groups_by_folded_keys_in_repository_order() {
        let a = "[[phones]]\nextension = \"cc1\"\nserver_ip = \"10.0.0.1\"\nlogin = \"Cc1\"\n\
                 [[servers]]\nserver_id = \"S1\"\nserver_ip = \"10.0.0.1\"\n";
        let b = "{\"phones\": [{\"extension\": \"CC1\", \"server_ip\": \"10.0.0.1\", \"login\": \"cc1 \"}]}";
        let (da, db) = (load_str(a, Format::Toml), load_str(b, Format::Json));
        let (fa, fb) = (Arc::new(source(a)), Arc::new(source(b)));
        let index = Index::from_keys([
            RecordKeys::of_file(&fa, &da.records),
            RecordKeys::of_file(&fb, &db.records),
        ]);
        let ids = [
            RecordId { file: 0, record: 0 },
            RecordId { file: 1, record: 0 },
        ];
        assert_eq!(index.phones_with_login("CC1"), ids);
        let pair = (Key::from("cc1"), Key::from("10.0.0.1"));
        assert_eq!(index.phones_by_extension.get(&pair), Some(&ids[..]));
        assert_eq!(index.servers_with_ip("10.0.0.1").len(), 1);
        assert!(index.phones_with_login("").is_empty());
    }
}
