use std::collections::{BTreeSet, HashMap};

use super::cross::{Place, each_with_the_others, places, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;
use crate::vicidial::Active;
use crate::vicidial::collation::{Key, fold_key};

declare_rule! {
    /// ## What it catches
    /// Only with `[site] generate_cross_server_exten = true` (VICIdial's
    /// system setting of that name): active SIP or IAX2 phones on different
    /// servers with the same `dialplan_number`. When the repository declares
    /// servers, only phones on servers with `active_asterisk_server` Y count,
    /// and only when a third such server exists to receive both entries. Each
    /// phone gets a finding on its `dialplan_number`, with the others as
    /// related locations.
    ///
    /// ## Why it matters
    /// With generate_cross_server_exten=1 (MySQL_AST_CREATE_tables.sql 1892),
    /// keepalive writes into every server's dialplan an `exten =>
    /// dialplan_number,1,Goto(...)` line for each active SIP and IAX2 phone of
    /// the other Asterisk servers, except for numbers the server has itself
    /// (ADMIN_keepalive_ALL.pl 4164-4198; vicidial-phones.md §3). Two phones
    /// with one number on two servers give every third server two entries for
    /// that number, pointing at different servers: calls to it reach only one
    /// of them (*inferred*: Asterisk keeps the first priority 1 of an
    /// extension).
    ///
    /// ## Example
    /// ```toml
    /// # phonelint.toml: [site] generate_cross_server_exten = true
    /// [[phones]]
    /// extension = "cc100"
    /// dialplan_number = "8300"
    /// server_ip = "10.10.10.15"
    /// active = "Y"
    ///
    /// [[phones]]
    /// extension = "cc200"
    /// dialplan_number = "8300"   # the same number on another server
    /// server_ip = "10.10.10.16"
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// Give phones on different servers different dialplan numbers.
    pub struct CrossServerDialplanCollision {
        name: "cross-server-dialplan-collision",
        severity: Warning,
        scope: Repository,
        summary: "With [site] generate_cross_server_exten: one dialplan_number on active SIP/IAX2 phones of two servers",
        catches: "with `[site] generate_cross_server_exten = true`: one dialplan_number on active SIP/IAX2 phones of two servers, which every other server gets twice",
    }
}

impl Rule for CrossServerDialplanCollision {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        if !repository.site.generate_cross_server_exten {
            return;
        }
        let index = repository.index();
        // The declared Asterisk servers' addresses, when servers are declared.
        let asterisk: Option<BTreeSet<Key>> = (!index.servers.is_empty()).then(|| {
            repository
                .resolve(&index.servers)
                .filter(|server| {
                    server
                        .view
                        .effective("active_asterisk_server")
                        .is_some_and(|value| value.text() == "Y")
                })
                .filter_map(|server| {
                    server
                        .view
                        .written("server_ip")
                        .and_then(|ip| fold_key(&ip))
                })
                .collect()
        });
        let mut by_number: HashMap<Key, Vec<Place<'_>>> = HashMap::new();
        for phone in places(repository, &index.phones, "dialplan_number") {
            let view = phone.at.view;
            let counted = view.active() == Some(Active::Yes)
                && view
                    .effective("protocol")
                    .is_some_and(|protocol| matches!(protocol.text(), "SIP" | "IAX2"));
            let (Some(number), Some(server)) = (
                view.written("dialplan_number").and_then(|n| fold_key(&n)),
                view.written("server_ip").and_then(|ip| fold_key(&ip)),
            ) else {
                continue;
            };
            if !counted || asterisk.as_ref().is_some_and(|ips| !ips.contains(&server)) {
                continue;
            }
            by_number.entry(number).or_default().push(phone);
        }
        let mut groups: Vec<Vec<Place<'_>>> = by_number
            .into_values()
            .filter(|group| {
                let servers: BTreeSet<Key> = group
                    .iter()
                    .filter_map(|phone| fold_key(&written(phone, "server_ip")))
                    .collect();
                // A third Asterisk server receives both entries.
                servers.len() > 1
                    && asterisk
                        .as_ref()
                        .is_none_or(|ips| ips.iter().any(|ip| !servers.contains(ip)))
            })
            .collect();
        // Repository order, so that the report is stable.
        groups.sort_by_key(|group| group.first().map(|place| place.at.id));
        for group in groups {
            each_with_the_others(
                &Self::META,
                &group,
                |place, others| {
                    format!(
                        "dialplan_number `{}` of `{}` is also the number of {others} on another server: with generate_cross_server_exten, other servers get an entry for each",
                        written(place, "dialplan_number"),
                        place.at.key(),
                    )
                },
                "one number, two servers",
                |other| {
                    format!(
                        "`{}` on {} has the same number",
                        other.at.key(),
                        written(other, "server_ip")
                    )
                },
                "give phones on different servers different dialplan numbers",
                out,
            );
        }
    }
}
