//! Every definition file of a check, for the rules that look across files.

use std::sync::Arc;

use super::index::{AliasEntry, Grouping, Groups, Index, Located, Member, RecordId, RecordKeys};
use super::kept::{KeptFile, KeptRecord, KeptView};
use crate::load::Document;
use crate::source::SourceFile;
use crate::vicidial::collation::{Key, fold_key};

/// One file as loaded.
#[derive(Debug)]
pub struct LoadedFile {
    pub source: Arc<SourceFile>,
    pub document: Document,
}

/// All definition files of a check, as the rules across files read them,
/// and their index.
#[derive(Debug, Default)]
pub struct Repository {
    pub files: Vec<KeptFile>,
    index: Index,
    /// The site's VICIdial facts (`[site]`), for the rules across files.
    pub site: super::site::SiteFacts,
}

impl Repository {
    /// The repository of `files`, each with the [`RecordKeys`] of its records
    /// (computed as the files were loaded, one list per file, in order).
    pub fn new(files: Vec<KeptFile>, keys: Vec<Vec<RecordKeys>>) -> Self {
        let mut repository = Self {
            files,
            index: Index::default(),
            site: super::site::SiteFacts::default(),
        };
        let index = Index::from_keys(
            keys,
            &|id, grouping| repository.key_of(id, grouping),
            &|a, b, grouping| repository.written_alike(a, b, grouping),
        );
        repository.index = index;
        repository
    }

    /// Whether the records `a` and `b` write every column of `grouping`, and
    /// alike (then their keys are the same).
    fn written_alike(&self, a: RecordId, b: RecordId, grouping: Grouping) -> bool {
        let (Some(a), Some(b)) = (self.get(a), self.get(b)) else {
            return false;
        };
        grouping.columns().iter().all(|column| {
            let text = a.view.written(column);
            text.is_some() && text == b.view.written(column)
        })
    }

    /// The key of the record `id` in `grouping`, derived again from what is
    /// kept of it.
    fn key_of(&self, id: RecordId, grouping: Grouping) -> Option<Key> {
        let view = self.get(id)?.view;
        grouping.key(|name| view.written(name))
    }

    /// The records of `groups` whose key is `text`'s (folded).
    fn lookup<'r>(&'r self, groups: &'r Groups, grouping: Grouping, text: &str) -> &'r [RecordId] {
        fold_key(text)
            .and_then(|key| groups.get(&key, |id| self.key_of(id, grouping)))
            .unwrap_or_default()
    }

    /// The phones whose login is `login` (as VICIdial compares it).
    pub fn phones_with_login(&self, login: &str) -> &[RecordId] {
        self.lookup(&self.index.phones_by_login, Grouping::Login, login)
    }

    /// The phones whose server_ip is `ip` (as VICIdial compares it).
    pub fn phones_on_server(&self, ip: &str) -> &[RecordId] {
        self.lookup(&self.index.phones_by_server, Grouping::Server, ip)
    }

    /// The members of `alias`, each with the phones whose login is its own
    /// (as [`Repository::phones_with_login`] finds them).
    pub fn members_of<'r>(
        &'r self,
        alias: &'r AliasEntry,
    ) -> impl Iterator<Item = (&'r Member, &'r [RecordId])> + Clone + 'r {
        let groups = &self.index.phones_by_login;
        (alias.members.iter().zip(alias.login_groups())).map(|(member, group)| {
            let phones = group.map_or(&[][..], |group| groups.group(group));
            (member, phones)
        })
    }

    /// The servers whose server_ip is `ip` (as VICIdial compares it).
    pub fn servers_with_ip(&self, ip: &str) -> &[RecordId] {
        self.lookup(&self.index.servers_by_ip, Grouping::ServerIp, ip)
    }

    /// The repository of whole documents, kept and indexed here.
    pub fn of_documents<'d>(
        files: impl IntoIterator<Item = (&'d Arc<SourceFile>, &'d Document)>,
    ) -> Self {
        let (kept, keys) = files
            .into_iter()
            .map(|(source, document)| {
                (
                    KeptFile::new(Arc::clone(source), document),
                    RecordKeys::of_file(source, &document.records),
                )
            })
            .unzip();
        Self::new(kept, keys)
    }

    /// The same repository judged with a site's facts.
    pub fn with_site(mut self, site: super::site::SiteFacts) -> Self {
        self.site = site;
        self
    }

    /// Every record a rule may judge (records damaged by syntax errors are left
    /// out), with its file, in file order.
    pub fn records(&self) -> impl Iterator<Item = (&Arc<SourceFile>, &KeptRecord, KeptView<'_>)> {
        self.files.iter().flat_map(|file| {
            file.records()
                .iter()
                .filter(|record| !record.damaged)
                .map(move |record| (&file.source, record, file.view(record)))
        })
    }

    /// The cross-file index of every record.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The record an index entry names.
    pub fn get(&self, id: RecordId) -> Option<Located<'_>> {
        let file = self.files.get(usize::try_from(id.file).ok()?)?;
        let (record, view) = file.get(usize::try_from(id.record).ok()?)?;
        Some(Located {
            id,
            file: &file.source,
            record,
            view,
        })
    }

    /// The records index entries name, in their order.
    pub fn resolve<'r>(&'r self, ids: &'r [RecordId]) -> impl Iterator<Item = Located<'r>> + 'r {
        ids.iter().filter_map(|id| self.get(*id))
    }
}
