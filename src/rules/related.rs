//! Which records the rules across files may read to judge some records (those
//! of the files a run reports on): a run that reports on a few files of a
//! large repository indexes only those, not every record it has.
//!
//! A finding on a record depends on these records, rule by rule:
//! - the duplicate rules, `shared-voicemail-mismatch`: the phones sharing a
//!   key with it (extension and server, server and dialplan number, login,
//!   voicemail box); the servers sharing its id or address;
//! - `login-alias-collision`: the aliases named as a phone's login, the
//!   phones whose login is an alias's name;
//! - `alias-member-unusable`, `alias-mixed-passwords`,
//!   `alias-shared-server`: for a phone, the aliases that list its login,
//!   and the phones of every member of those (each member's phones: the
//!   rules take the first);
//! - `unknown-server`, `inactive-server`, `phone-without-peer`,
//!   `alias-member-server-unusable`: every server (a suggestion picks among
//!   them all); for a server, the phones on its address;
//! - `alias-unknown-login`: for an alias, every phone (a suggestion picks
//!   among every login), and `cross-server-dialplan-collision`: every phone
//!   with a dialplan number. A run that reports on an alias, or with
//!   `generate_cross_server_exten`, needs them all.
//!
//! Records are told by the hashes of their keys, so a record whose key
//! merely shares a hash is taken too: more records than needed never change
//! a finding on the records judged. A rule across files that reads other
//! records than these must say so here; the cache's tests check every
//! rule's fixtures a file at a time against runs that read every record.

use std::collections::HashSet;

use crate::model::{Grouping, RecordKeys, SiteFacts, key_hash};
use crate::text::hash::FnvBuild;
use crate::vicidial::RecordKind;
use crate::vicidial::collation::fold_key;

type Hashes = HashSet<u64, FnvBuild>;

/// The records the rules across files may read to judge the records of some
/// files (see the module's doc).
#[derive(Debug, Default)]
pub struct Related {
    /// Every record is needed.
    all: bool,
    extensions: Hashes,
    dialplans: Hashes,
    logins: Hashes,
    voicemails: Hashes,
    /// The addresses of the servers judged.
    servers: Hashes,
    /// The names of the aliases needed.
    aliases: Hashes,
}

impl Related {
    /// The records related to `judged` (the keys of the records of the files
    /// judged) in a repository of `every` file (their keys, the judged
    /// included or not), under the site's facts.
    pub fn new<'k>(
        judged: impl IntoIterator<Item = &'k [RecordKeys]>,
        every: impl Iterator<Item = &'k [RecordKeys]> + Clone,
        site: SiteFacts,
    ) -> Self {
        let mut related = Related {
            all: site.generate_cross_server_exten,
            ..Related::default()
        };
        let mut phone_logins = Hashes::default();
        for keys in judged.into_iter().flatten() {
            match keys.kind() {
                Some(RecordKind::Phone) => {
                    let sets = [
                        (Grouping::Extension, &mut related.extensions),
                        (Grouping::Dialplan, &mut related.dialplans),
                        (Grouping::Login, &mut phone_logins),
                        (Grouping::Voicemail, &mut related.voicemails),
                    ];
                    for (grouping, set) in sets {
                        set.extend(keys.hash(grouping));
                    }
                }
                Some(RecordKind::Server) => related.servers.extend(keys.hash(Grouping::ServerIp)),
                Some(RecordKind::Alias) => related.all = true,
                None => {}
            }
        }
        if related.all {
            return related;
        }
        // The aliases named as, or listing, the login of a phone judged, and
        // the phones of their members.
        related.logins.clone_from(&phone_logins);
        for keys in every.flatten() {
            if keys.kind() != Some(RecordKind::Alias) {
                continue;
            }
            let members: Vec<u64> = (keys.members().iter())
                .filter_map(|member| fold_key(&member.login))
                .map(|login| key_hash(&login))
                .collect();
            let named = keys
                .hash(Grouping::AliasId)
                .is_some_and(|id| phone_logins.contains(&id));
            if named || members.iter().any(|login| phone_logins.contains(login)) {
                related.aliases.extend(keys.hash(Grouping::AliasId));
                related.logins.extend(members);
            }
        }
        related
    }

    /// Whether every record is needed.
    pub fn needs_all(&self) -> bool {
        self.all
    }

    /// Whether the rules may read a record of a file whose records have
    /// `keys`.
    pub fn needs(&self, keys: &[RecordKeys]) -> bool {
        self.all || keys.iter().any(|keys| self.needs_record(keys))
    }

    fn needs_record(&self, keys: &RecordKeys) -> bool {
        let has = |grouping: Grouping, set: &Hashes| {
            keys.hash(grouping).is_some_and(|hash| set.contains(&hash))
        };
        match keys.kind() {
            Some(RecordKind::Phone) => {
                has(Grouping::Extension, &self.extensions)
                    || has(Grouping::Dialplan, &self.dialplans)
                    || has(Grouping::Login, &self.logins)
                    || has(Grouping::Voicemail, &self.voicemails)
                    || has(Grouping::Server, &self.servers)
            }
            Some(RecordKind::Server) => true,
            Some(RecordKind::Alias) => has(Grouping::AliasId, &self.aliases),
            None => false,
        }
    }
}
