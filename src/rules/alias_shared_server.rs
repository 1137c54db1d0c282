use std::collections::{HashMap, HashSet};

use super::cross::{Place, aliases, first_phones, shown, with_related, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::{Member, Repository};
use crate::vicidial::collation::fold_key;

declare_rule! {
    /// ## What it catches
    /// An alias with two or more members whose phones are on the same
    /// `server_ip`. The alias gets a finding on the first such member in its
    /// `logins_list`, with the other members on that server labelled beside
    /// it and each phone's `server_ip` as a related location; each of those
    /// phones gets one on its `server_ip`, with the alias and the other phones
    /// as related locations.
    ///
    /// ## Why it matters
    /// At agent login VICIdial picks the alias member on the server with the
    /// fewest agents logged in (vicidial.php 4381-4524; vicidial-phones.md §5): an alias exists to spread agents over
    /// servers. Two members on one server add nothing to that choice and
    /// usually mean a phone was copied without moving it to its server
    /// (*inferred*).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "cc100"
    /// server_ip = "10.10.10.15"
    ///
    /// [[phones]]
    /// login = "cc120"
    /// server_ip = "10.10.10.15"   # meant 10.10.10.16
    ///
    /// [[aliases]]
    /// alias_id = "frontdesk"
    /// logins_list = ["cc100", "cc120"]
    /// ```
    ///
    /// ## How to fix
    /// Keep one member per server in the alias, or move the phone to the
    /// server it should be on.
    pub struct AliasSharedServer {
        name: "alias-shared-server",
        severity: Warning,
        scope: Repository,
        summary: "An alias with two members on the same server",
        catches: "two members on one server: the alias exists to spread agents over servers",
    }
}

impl Rule for AliasSharedServer {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        // Each member's phone with its server and the span of its server_ip.
        let mut first = first_phones(repository, |phone| {
            let server = phone.view.written("server_ip").and_then(|ip| fold_key(&ip));
            (phone, server.zip(phone.value_span("server_ip")))
        });
        for (alias, members) in aliases(repository) {
            let at = alias.at;
            // Members by their phone's server, in logins_list order.
            let mut servers: HashMap<crate::vicidial::collation::Key, Vec<_>> = HashMap::new();
            let mut order = Vec::new();
            let mut seen = HashSet::new();
            for (member, _) in members {
                let Some((phone, server)) = first.next().flatten() else {
                    continue;
                };
                // A phone listed twice is still one member.
                if !seen.insert(phone.id) {
                    continue;
                }
                let Some((server, span)) = server else {
                    continue;
                };
                let on_server = servers.entry(server.clone()).or_default();
                if on_server.is_empty() {
                    order.push(server);
                }
                on_server.push((member, Place { at: phone, span }));
            }
            let help =
                "keep one member per server, or move the phone to the server it should be on";
            for server in order {
                let Some(members) = servers.get(&server).filter(|m| m.len() > 1) else {
                    continue;
                };
                let Some((first, first_phone)) = members.first() else {
                    continue;
                };
                let names: Vec<String> = members
                    .iter()
                    .map(|(member, _)| format!("`{}`", member.login))
                    .collect();
                let place = Place {
                    at,
                    span: first.span,
                };
                let mut finding = place
                    .finding(
                        &Self::META,
                        format!(
                            "alias `{}` has {} members on server `{}`: {}{}",
                            at.key(),
                            members.len(),
                            written(first_phone, "server_ip"),
                            names.join(", "),
                            shown(members.len())
                        ),
                    )
                    .with_label("on the same server as another member")
                    .with_help(help);
                for (member, _) in members.iter().skip(1) {
                    if member.span != first.span {
                        finding = finding.with_secondary(member.span, "the same server");
                    }
                }
                out.push(with_related(finding, members.iter().map(label)));
                // Each phone's side, so that whichever file is opened shows it.
                for (position, (member, phone)) in members.iter().enumerate() {
                    let others = members
                        .iter()
                        .enumerate()
                        .filter(|(other, _)| *other != position)
                        .map(|(_, other)| label(other));
                    let in_alias = Place {
                        at,
                        span: member.span,
                    };
                    let alias = (in_alias, format!("alias `{}` lists it here", at.key()));
                    let finding = phone
                        .finding(
                            &Self::META,
                            format!(
                                "phone `{}` is one of {} members of alias `{}` on server `{}`{}",
                                phone.at.key(),
                                members.len(),
                                at.key(),
                                written(phone, "server_ip"),
                                shown(members.len()),
                            ),
                        )
                        .with_label("the same server as another member of the alias")
                        .with_help(help);
                    out.push(with_related(finding, std::iter::once(alias).chain(others)));
                }
            }
        }
    }
}

/// A member's phone as a related location.
fn label<'r>((member, phone): &(&Member, Place<'r>)) -> (Place<'r>, String) {
    let text = format!(
        "`{}` (member `{}`) is on this server",
        phone.at.key(),
        member.login
    );
    (*phone, text)
}

#[cfg(test)]
mod tests {
    use super::super::cross::tests::repository;
    use crate::load::Format;
    use crate::rules::Rule;

    #[test]
    fn a_phone_listed_twice_is_one_member() {
        let text = "[[phones]]\nextension = \"cc1\"\nserver_ip = \"10.0.0.1\"\nlogin = \"cc1\"\n\
                    [[aliases]]\nalias_id = \"desk\"\nlogins_list = \"cc1,CC1\"\n";
        let repository = repository(&[("a.toml", Format::Toml, text.to_owned())]);
        let mut out = Vec::new();
        super::AliasSharedServer.check_repository(&repository, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
