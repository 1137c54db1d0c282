//! What the rules across the repository share: a finding on one record of a
//! clash with the other records as related locations, capped so that a
//! thousand duplicates do not make a quadratic report.

use super::meta::RuleMeta;
use crate::model::Finding;
use crate::model::{Located, Member, RecordId, Repository};
use crate::source::Span;
use crate::vicidial::Active;

/// At most this many related locations per finding; the message states the total.
pub const MAX_RELATED: usize = 10;

/// A record taking part in a clash, and the span of the value that clashes.
#[derive(Debug, Clone, Copy)]
pub struct Place<'r> {
    pub at: Located<'r>,
    pub span: Span,
}

impl<'r> Place<'r> {
    /// The record `id` with the span of its written `field` (the record's first
    /// line when the field is not written).
    pub fn of(repository: &'r Repository, id: RecordId, field: &str) -> Option<Self> {
        let at = repository.get(id)?;
        let span = at.value_span(field).unwrap_or_else(|| at.record.anchor());
        Some(Self { at, span })
    }

    /// A finding on this record at this place.
    pub fn finding(&self, meta: &RuleMeta, message: impl Into<String>) -> Finding {
        self.finding_at(meta, self.span, message)
    }

    /// A finding on this record at another span of it.
    pub fn finding_at(&self, meta: &RuleMeta, span: Span, message: impl Into<String>) -> Finding {
        let mut finding = Finding::new(meta.name, meta.severity, self.at.file, span, message)
            .with_record(self.at.record.kind, self.at.key());
        // Located now, while the record is in the processor's caches (see
        // `locate_fields`, which locates the findings left without one).
        finding.field = self.at.field_at(span).map(str::to_owned);
        finding
    }
}

/// The written text of `field` on a place's record (empty when not written).
pub fn written(place: &Place<'_>, field: &str) -> String {
    place
        .at
        .view
        .written(field)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_default()
}

/// Whether VICIdial writes Asterisk peers, dialplan entries and a voicemail
/// box for this phone: only for active phones whose protocol (omitted: the
/// default `SIP`) is SIP, IAX2 or PJSIP (vicidial-phones.md §1, keepalive).
pub fn configured_in_asterisk(phone: &Place<'_>) -> bool {
    let view = phone.at.view;
    view.active() == Some(Active::Yes)
        && view
            .effective("protocol")
            .is_some_and(|protocol| matches!(protocol.text(), "SIP" | "IAX2" | "PJSIP"))
}

/// A finding on a phone about the server it is on: the message on its
/// `server_ip`, labelled with the server.
pub fn on_server(
    meta: &RuleMeta,
    phone: &Place<'_>,
    server: &Place<'_>,
    message: String,
    help: &'static str,
) -> Finding {
    phone
        .finding(meta, message)
        .with_label(format!(
            "server `{}` ({})",
            server.at.key(),
            written(server, "server_ip")
        ))
        .with_help(help)
}

/// The servers at one address, each with why its phones are held back, and
/// the phones on that address.
pub type HeldBack<'r, T> = (Vec<(Place<'r>, T)>, Vec<Place<'r>>);

/// Each address the repository's servers have, with the servers at it and
/// the phones on it, when `why` says of every server there what keeps its
/// phones from something (the field that says so, and a detail): a phone is
/// fine as long as one server at its address is. Servers are placed at that
/// field, phones at their `server_ip`.
pub fn phones_on_servers_where<'r, T>(
    repository: &'r Repository,
    why: impl Fn(&Located<'r>) -> Option<(&'static str, T)>,
) -> Vec<HeldBack<'r, T>> {
    let mut found = Vec::new();
    for server_ids in repository.index().servers_by_ip.values() {
        let servers: Option<Vec<(Place<'r>, T)>> = server_ids
            .iter()
            .map(|id| {
                let (field, detail) = why(&repository.get(*id)?)?;
                Some((Place::of(repository, *id, field)?, detail))
            })
            .collect();
        let Some(servers) = servers.filter(|servers| !servers.is_empty()) else {
            continue;
        };
        // The address the servers share, as the first of them writes it.
        let ip = server_ids
            .first()
            .and_then(|id| repository.get(*id))
            .and_then(|server| server.view.written("server_ip"))
            .unwrap_or_default();
        let phones = places(repository, repository.phones_on_server(&ip), "server_ip");
        found.push((servers, phones));
    }
    found
}

/// The places of the records `ids` name, at their `field`.
pub fn places<'r>(repository: &'r Repository, ids: &[RecordId], field: &str) -> Vec<Place<'r>> {
    ids.iter()
        .filter_map(|id| Place::of(repository, *id, field))
        .collect()
}

/// Adds related locations, at most [`MAX_RELATED`] of them.
pub fn with_related<'r>(
    finding: Finding,
    related: impl IntoIterator<Item = (Place<'r>, String)>,
) -> Finding {
    related
        .into_iter()
        .take(MAX_RELATED)
        .fold(finding, |finding, (place, message)| {
            finding.with_related(place.at.file, place.span, message)
        })
}

/// Said after a count of related locations when only some are shown:
/// " (the first 10 of 25 are shown)", else nothing.
pub fn shown(total: usize) -> String {
    if total > MAX_RELATED {
        format!(" (the first {MAX_RELATED} of {total} are shown)")
    } else {
        String::new()
    }
}

/// How the other records of a clash are named in a message: the one other
/// record by its key, or their number (saying when only some are shown).
pub fn others(first: &Place<'_>, count: usize) -> String {
    records(first, count, "other ")
}

/// `count` records whose first is `first`, named by key when alone:
/// "phone `cc100@10.10.10.15`", "3 {adjective}phones".
pub fn records(first: &Place<'_>, count: usize, adjective: &str) -> String {
    let kind = first.at.record.kind.singular();
    let plural = if kind.ends_with('s') { "es" } else { "s" };
    match count {
        1 => format!("{kind} `{}`", first.at.key()),
        n if n > MAX_RELATED => {
            format!("{n} {adjective}{kind}{plural} (the first {MAX_RELATED} are shown)")
        }
        n => format!("{n} {adjective}{kind}{plural}"),
    }
}

/// One finding for each place of a group that shares a key, on that place,
/// with the group's other places as related locations. `message` gets the
/// place and how the others are named (see [`others`]); `related` labels
/// each other place.
pub fn each_with_the_others<'r>(
    meta: &RuleMeta,
    group: &[Place<'r>],
    message: impl Fn(&Place<'r>, &str) -> String,
    label: &'static str,
    related: impl Fn(&Place<'r>) -> String,
    help: &'static str,
    out: &mut Vec<Finding>,
) {
    if group.len() < 2 {
        return;
    }
    for (position, place) in group.iter().enumerate() {
        let mut rest = group
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != position)
            .map(|(_, other)| *other);
        let Some(first) = rest.clone().next() else {
            continue;
        };
        let named = others(&first, group.len() - 1);
        let finding = place
            .finding(meta, message(place, &named))
            .with_label(label)
            .with_help(help);
        out.push(with_related(
            finding,
            rest.by_ref().map(|other| {
                let label = related(&other);
                (other, label)
            }),
        ));
    }
}

/// Every alias (its place is the whole record) with its members, each with
/// the phones whose login is its own, in repository order.
pub fn aliases(
    repository: &Repository,
) -> impl Iterator<
    Item = (
        Place<'_>,
        impl Iterator<Item = (&Member, &[RecordId])> + Clone,
    ),
> {
    repository.index().aliases.iter().filter_map(|alias| {
        let at = repository.get(alias.id)?;
        let place = Place {
            at,
            span: at.record.span(),
        };
        Some((place, repository.members_of(alias)))
    })
}

/// The phones of a member (its `phones`, as [`aliases`] gives them), at most
/// [`MAX_RELATED`] of them (more than one is `duplicate-login`'s business).
pub fn phones_of<'r>(
    repository: &'r Repository,
    phones: &'r [RecordId],
) -> impl Iterator<Item = Located<'r>> + 'r {
    repository.resolve(phones).take(MAX_RELATED)
}

/// `read` of the first phone of every member of every alias (see
/// [`phones_of`]), one entry per member in the order [`aliases`] gives them
/// (`None`: the member has no phone). The phones are read in repository
/// order, not the aliases': at a million phones their kept records are then
/// walked from start to end instead of at random, missing the processor's
/// caches at nearly every read.
pub fn first_phones<'r, T>(
    repository: &'r Repository,
    mut read: impl FnMut(Located<'r>) -> T,
) -> std::vec::IntoIter<Option<T>> {
    let mut wanted: Vec<(RecordId, usize, &'r [RecordId])> = Vec::new();
    let mut count = 0;
    for (_, members) in aliases(repository) {
        for (_, phones) in members {
            if let Some(first) = phones.first() {
                wanted.push((*first, count, phones));
            }
            count += 1;
        }
    }
    wanted.sort_unstable_by_key(|(first, position, _)| (*first, *position));
    let mut read_phones: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (_, position, phones) in wanted {
        if let (Some(phone), Some(slot)) = (
            phones_of(repository, phones).next(),
            read_phones.get_mut(position),
        ) {
            *slot = Some(read(phone));
        }
    }
    read_phones.into_iter()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use crate::load::{Format, load_str};
    use crate::model::Repository;
    use crate::source::SourceFile;

    /// A repository of files given as text, for the rules' unit tests.
    pub(crate) fn repository(files: &[(&str, Format, String)]) -> Repository {
        let loaded: Vec<_> = files
            .iter()
            .map(|(name, format, text)| {
                let source = SourceFile::new((*name).into(), (*name).to_owned(), text.clone());
                (Arc::new(source), load_str(text, *format))
            })
            .collect();
        Repository::of_documents(loaded.iter().map(|(source, document)| (source, document)))
    }

    #[test]
    fn a_thousand_duplicates_make_a_thousand_findings_with_capped_related() {
        let phone = |n: usize| {
            format!(
                "[[phones]]\nextension = \"cc{n}\"\nserver_ip = \"10.0.0.1\"\nlogin = \"shared\"\n"
            )
        };
        let toml: String = (0..600).map(phone).collect();
        let json = format!(
            "{{\"phones\": [{}]}}",
            (600..1000)
                .map(|n| format!(
                    "{{\"extension\": \"cc{n}\", \"server_ip\": \"10.0.0.1\", \"login\": \"SHARED\"}}"
                ))
                .collect::<Vec<_>>()
                .join(",")
        );
        let repository = repository(&[
            ("a.toml", Format::Toml, toml),
            ("b.json", Format::Json, json),
        ]);
        let rule = crate::rules::find("duplicate-login").unwrap();
        let mut out = Vec::new();
        rule.check_repository(&repository, &mut out);
        assert_eq!(out.len(), 1000);
        for finding in &out {
            assert_eq!(finding.related.len(), super::MAX_RELATED);
            assert!(
                finding
                    .message
                    .ends_with("999 other phones (the first 10 are shown)"),
                "{}",
                finding.message
            );
        }
        // The related locations never include the finding's own place.
        assert!(out.iter().all(|f| {
            f.related
                .iter()
                .all(|r| r.span != f.span || r.file.name != f.file.name)
        }));
    }

    #[test]
    fn first_phones_reads_what_each_member_s_first_phone_holds() {
        // Phones over three files, their logins listed by aliases in an order
        // unlike theirs: some logins on two phones, some on none, some listed
        // twice, some phones without server_ip or pass, some with odd text.
        let phone = |n: usize| {
            let mut text = format!(
                "[[phones]]\nextension = \"cc{n}\"\nlogin = \"p{}\"\n",
                n % 37
            );
            if !n.is_multiple_of(5) {
                let ip = ["10.0.0.1", "10.0.0.2  ", "10.0.0.3", "   "][n % 4];
                text.push_str(&format!("server_ip = \"{ip}\"\n"));
            }
            if !n.is_multiple_of(3) {
                let pass = ["secret1", "changeme", "", "Émilie"][n % 4];
                text.push_str(&format!("pass = \"{pass}\"\n"));
            }
            text
        };
        let file = |range: std::ops::Range<usize>| range.map(phone).collect::<String>();
        let alias = |n: usize| {
            let logins: Vec<String> = (0..(n % 6))
                .map(|m| format!("P{}", (n * 7 + m * 11) % 45))
                .collect();
            format!(
                "[[aliases]]\nalias_id = \"desk{n}\"\nlogins_list = \"{}\"\n",
                logins.join(",")
            )
        };
        let mut aliases_text: String = (0..40).rev().map(alias).collect();
        aliases_text.push_str("[[aliases]]\nalias_id = \"twice\"\nlogins_list = \"p3,p3,p4\"\n");
        let repository = repository(&[
            ("a.toml", Format::Toml, file(0..30)),
            ("b.toml", Format::Toml, aliases_text),
            ("c.toml", Format::Toml, file(30..60)),
            ("d.toml", Format::Toml, file(60..70)),
        ]);
        let facts = |phone: crate::model::Located<'_>| {
            (
                phone.id,
                phone.view.written("server_ip").map(|ip| ip.into_owned()),
                phone.value_span("server_ip"),
                phone.view.written("pass").map(|pass| pass.into_owned()),
                phone.value_span("pass"),
                phone.view.is_placeholder("pass"),
            )
        };
        let expected: Vec<_> = super::aliases(&repository)
            .flat_map(|(_, members)| {
                members.map(|(_, phones)| super::phones_of(&repository, phones).next().map(facts))
            })
            .collect();
        let read: Vec<_> = super::first_phones(&repository, facts).collect();
        assert_eq!(read, expected);
        // The repository is as varied as meant.
        assert!(expected.len() > 80, "{}", expected.len());
        assert!(expected.iter().any(Option::is_none));
        assert!(expected.iter().flatten().any(|f| f.1.is_none()));
        assert!(expected.iter().flatten().any(|f| f.3.is_none()));
        let ids: Vec<_> = expected.iter().flatten().map(|f| f.0).collect();
        assert!(!ids.is_sorted(), "members listed in phone order");
        assert!(ids.iter().any(|id| id.file == 0) && ids.iter().any(|id| id.file == 2));
    }

    #[test]
    fn repository_without_clashes_has_no_cross_findings() {
        let text = "[[phones]]\nextension = \"cc1\"\nserver_ip = \"10.0.0.1\"\nlogin = \"a1\"\n\
                    [[phones]]\nextension = \"cc2\"\nserver_ip = \"10.0.0.1\"\nlogin = \"a2\"\n"
            .to_owned();
        let repository = repository(&[("a.toml", Format::Toml, text)]);
        let mut out = Vec::new();
        for rule in crate::rules::RULES {
            rule.check_repository(&repository, &mut out);
        }
        assert!(out.is_empty(), "{out:?}");
    }
}
