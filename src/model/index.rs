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
//! Keys are compared as MySQL's default case-insensitive collations compare
//! them (VICIdial's `phones`, `phones_alias` and `servers` tables declare no
//! collation): case is ignored and trailing spaces do not count. See
//! [`fold_key`].

use std::collections::HashMap;
use std::sync::Arc;

use super::{RecordKind, RecordView};
use crate::load::{Record, Value};
use crate::source::{SourceFile, Span};

/// Where a record is: its file's position in the repository and its own
/// position in that file's document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId {
    pub file: usize,
    pub record: usize,
}

/// A record resolved from a [`RecordId`].
#[derive(Debug, Clone, Copy)]
pub struct Located<'r> {
    pub id: RecordId,
    pub file: &'r Arc<SourceFile>,
    pub record: &'r Record,
    pub view: RecordView<'r>,
}

impl<'r> Located<'r> {
    /// The record's identity (`extension@server_ip`, `alias_id`, `server_id`).
    pub fn key(&self) -> String {
        self.view.key()
    }

    /// The span of the written value of `name`, if written.
    pub fn value_span(&self, name: &str) -> Option<Span> {
        self.record.field(name).map(|entry| entry.value.span)
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
pub type Groups<K> = HashMap<K, Vec<RecordId>>;

#[derive(Debug, Default)]
pub struct Index {
    /// Every phone, in repository order.
    pub phones: Vec<RecordId>,
    /// Every alias with its members, in repository order.
    pub aliases: Vec<AliasEntry>,
    /// Every server, in repository order.
    pub servers: Vec<RecordId>,
    /// Phones by (extension, server_ip): VICIdial's only unique key.
    pub phones_by_extension: Groups<(String, String)>,
    /// Phones by server_ip.
    pub phones_by_server: Groups<String>,
    /// Phones by login.
    pub phones_by_login: Groups<String>,
    /// Phones by (server_ip, dialplan_number).
    pub phones_by_dialplan: Groups<(String, String)>,
    /// Phones by voicemail_id.
    pub phones_by_voicemail: Groups<String>,
    /// Aliases by alias_id.
    pub aliases_by_id: Groups<String>,
    /// Servers by server_id.
    pub servers_by_id: Groups<String>,
    /// Servers by server_ip.
    pub servers_by_ip: Groups<String>,
}

/// A key as VICIdial's MySQL compares it: case-insensitive, trailing spaces
/// ignored (PAD SPACE collations). `None` for an empty key: a missing or empty
/// value is `missing-field`'s business, not a clash.
pub fn fold_key(text: &str) -> Option<String> {
    let trimmed = text.trim_end_matches(' ');
    (!trimmed.is_empty()).then(|| trimmed.to_lowercase())
}

impl Index {
    /// Indexes every undamaged record of `files` (each a file and its records).
    pub fn build<'r>(files: impl Iterator<Item = (&'r Arc<SourceFile>, &'r [Record])>) -> Self {
        let mut index = Index::default();
        for (file_position, (file, records)) in files.enumerate() {
            for (record_position, record) in records.iter().enumerate() {
                if record.damaged {
                    continue;
                }
                let id = RecordId {
                    file: file_position,
                    record: record_position,
                };
                index.add(id, file, record);
            }
        }
        index
    }

    fn add(&mut self, id: RecordId, file: &SourceFile, record: &Record) {
        let view = RecordView::new(record);
        let key = |name: &str| view.written(name).and_then(|text| fold_key(&text));
        let push = |groups: &mut Groups<String>, name: &str| {
            if let Some(k) = key(name) {
                groups.entry(k).or_default().push(id);
            }
        };
        match record.kind {
            RecordKind::Phone => {
                self.phones.push(id);
                push(&mut self.phones_by_login, "login");
                push(&mut self.phones_by_server, "server_ip");
                push(&mut self.phones_by_voicemail, "voicemail_id");
                if let Some(server_ip) = key("server_ip") {
                    if let Some(extension) = key("extension") {
                        let pair = (extension, server_ip.clone());
                        self.phones_by_extension.entry(pair).or_default().push(id);
                    }
                    if let Some(number) = key("dialplan_number") {
                        let pair = (server_ip, number);
                        self.phones_by_dialplan.entry(pair).or_default().push(id);
                    }
                }
            }
            RecordKind::Alias => {
                push(&mut self.aliases_by_id, "alias_id");
                self.aliases.push(AliasEntry {
                    id,
                    members: members(file, record),
                });
            }
            RecordKind::Server => {
                self.servers.push(id);
                push(&mut self.servers_by_id, "server_id");
                push(&mut self.servers_by_ip, "server_ip");
            }
        }
    }

    /// The phones whose login is `login` (as VICIdial compares it).
    pub fn phones_with_login(&self, login: &str) -> &[RecordId] {
        fold_key(login)
            .and_then(|key| self.phones_by_login.get(&key))
            .map_or(&[], Vec::as_slice)
    }

    /// The servers whose server_ip is `ip` (as VICIdial compares it).
    pub fn servers_with_ip(&self, ip: &str) -> &[RecordId] {
        fold_key(ip)
            .and_then(|key| self.servers_by_ip.get(&key))
            .map_or(&[], Vec::as_slice)
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
    fn groups_by_folded_keys_in_repository_order() {
        let a = "[[phones]]\nextension = \"cc1\"\nserver_ip = \"10.0.0.1\"\nlogin = \"Cc1\"\n\
                 [[servers]]\nserver_id = \"S1\"\nserver_ip = \"10.0.0.1\"\n";
        let b = "{\"phones\": [{\"extension\": \"CC1\", \"server_ip\": \"10.0.0.1\", \"login\": \"cc1 \"}]}";
        let (da, db) = (load_str(a, Format::Toml), load_str(b, Format::Json));
        let (fa, fb) = (Arc::new(source(a)), Arc::new(source(b)));
        let index =
            Index::build([(&fa, da.records.as_slice()), (&fb, db.records.as_slice())].into_iter());
        let ids = [
            RecordId { file: 0, record: 0 },
            RecordId { file: 1, record: 0 },
        ];
        assert_eq!(index.phones_with_login("CC1"), ids);
        let pair = ("cc1".to_owned(), "10.0.0.1".to_owned());
        assert_eq!(index.phones_by_extension[&pair], ids);
        assert_eq!(index.servers_with_ip("10.0.0.1").len(), 1);
        assert!(index.phones_with_login("").is_empty());
    }
}
