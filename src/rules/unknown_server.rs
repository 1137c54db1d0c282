use std::borrow::Cow;
use std::collections::HashMap;

use super::cross::{Place, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;
use crate::text::hash::FnvBuild;
use crate::text::suggest::Dictionary;

declare_rule! {
    /// ## What it catches
    /// A phone whose `server_ip` is the address of no server the repository
    /// declares. Only when the repository declares servers at all: a
    /// repository of phones alone is not judged. The nearest declared address
    /// is suggested when one is close. Addresses are compared as text, as
    /// VICIdial compares them (trailing spaces do not count).
    ///
    /// ## Why it matters
    /// A phone's `server_ip` must name an existing server: VICIdial's API
    /// refuses an unknown one ("SERVER DOES NOT EXIST", non_agent_api.php
    /// 5776) and the admin UI offers only existing servers
    /// (vicidial-phones.md §2). Keepalive builds each server's peers from its
    /// own `server_ip` (ADMIN_keepalive_ALL.pl 3635), so a phone on an unknown
    /// address gets no SIP/IAX peer anywhere, and agent login joins the phone
    /// to its server (vicidial.php 4324), so no agent can log in with it.
    ///
    /// ## Example
    /// ```toml
    /// [[servers]]
    /// server_id = "TESTast"
    /// server_ip = "10.10.10.15"
    ///
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.51"   # no such server
    /// ```
    ///
    /// ## How to fix
    /// Correct the phone's `server_ip`, or declare the server it lives on.
    pub struct UnknownServer {
        name: "unknown-server",
        severity: Error,
        scope: Repository,
        summary: "A phone on a server_ip that no declared server has",
        catches: "a phone on a server_ip that no declared server has (only when the repository declares servers)",
    }
}

impl Rule for UnknownServer {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        let index = repository.index();
        if index.servers.is_empty() {
            return;
        }
        let servers: Vec<Place<'_>> = index
            .servers
            .iter()
            .filter_map(|id| Place::of(repository, *id, "server_ip"))
            .collect();
        let addresses: Vec<String> = servers
            .iter()
            .map(|server| written(server, "server_ip"))
            .collect();
        let dictionary = Dictionary::new(addresses.iter().map(String::as_str));
        // Keyed with FNV: SipHash of every phone's address was over a third
        // of the rule's instructions.
        let mut declared: HashMap<Cow<'_, str>, bool, FnvBuild> = HashMap::default();
        for id in &index.phones {
            // The place only for the phones reported: most are on a server.
            let Some(ip) = repository
                .get(*id)
                .and_then(|at| at.view.written("server_ip"))
            else {
                continue;
            };
            // Looked up once an address: a million phones are on a few.
            let declared = *(declared.entry(ip.clone()))
                .or_insert_with(|| !repository.servers_with_ip(&ip).is_empty());
            if ip.is_empty() || declared {
                continue;
            }
            let Some(phone) = Place::of(repository, *id, "server_ip") else {
                continue;
            };
            let finding = phone.finding(
                &Self::META,
                format!(
                    "phone `{}` is on server_ip `{ip}`, which no declared server has",
                    phone.at.key()
                ),
            );
            let near = dictionary.closest(&ip);
            out.push(match near {
                Some(near) => finding
                    .with_label(format!("did you mean `{near}`?"))
                    .with_help(format!("write `{near}`, or declare the server this phone lives on")),
                None => finding
                    .with_label("no declared server has this address")
                    .with_help(format!(
                        "use the address of a declared server ({}), or declare the server this phone lives on",
                        list(&addresses)
                    )),
            });
        }
    }
}

/// The declared addresses, a few of them.
fn list(addresses: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut shown: Vec<String> = addresses
        .iter()
        .take(SHOWN)
        .map(|ip| format!("`{ip}`"))
        .collect();
    if addresses.len() > SHOWN {
        shown.push(format!("{} more", addresses.len() - SHOWN));
    }
    shown.join(", ")
}
