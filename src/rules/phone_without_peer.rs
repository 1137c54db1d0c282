use super::cross::{on_server, phones_on_servers_where, with_related};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::{Located, Repository};
use crate::vicidial::Active;

declare_rule! {
    /// ## What it catches
    /// An active SIP, IAX2 or PJSIP phone (an omitted protocol is SIP) on a
    /// declared server whose `active_asterisk_server` or
    /// `generate_vicidial_conf` is `N` (both default to `Y`). The finding is
    /// on the phone's `server_ip`, with the server's field as a related
    /// location. When several servers share the address, the phone is fine
    /// if any of them builds peers.
    ///
    /// ## Why it matters
    /// Keepalive, running on each server, writes the SIP/IAX peers, dialplan
    /// entries and voicemail boxes of that server's phones only when the
    /// server has `active_asterisk_server` and `generate_vicidial_conf` set to
    /// Y (ADMIN_keepalive_ALL.pl 536-545, 2986; vicidial-phones.md §3), and
    /// the phone-only login screen also requires `active_asterisk_server='Y'`
    /// (phone_only.php 520). On such a server the phone has no peer to
    /// register with: it says it works, its server never configures it.
    ///
    /// ## Example
    /// ```toml
    /// [[servers]]
    /// server_id = "DBonly"
    /// server_ip = "10.10.10.20"
    /// active_asterisk_server = "N"
    ///
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.20"
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// Move the phone to a server that runs Asterisk and generates its
    /// configuration, switch the phone off, or set the server's fields to
    /// `Y`.
    pub struct PhoneWithoutPeer {
        name: "phone-without-peer",
        severity: Warning,
        scope: Repository,
        summary: "An active SIP/IAX2/PJSIP phone on a server whose active_asterisk_server or generate_vicidial_conf is N",
        catches: "an active SIP/IAX2/PJSIP phone on a server whose active_asterisk_server or generate_vicidial_conf is N: no peer is built",
    }
}

impl Rule for PhoneWithoutPeer {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        let index = repository.index();
        if index.servers.is_empty() {
            return;
        }
        for (servers, phones) in phones_on_servers_where(repository, no_peers) {
            let Some((first, field)) = servers.first() else {
                continue;
            };
            for phone in phones.iter().filter(|phone| has_peer(&phone.at)) {
                let finding = on_server(
                    &Self::META,
                    phone,
                    first,
                    format!(
                        "active phone `{}` is on server `{}`, whose {field} is N: no peer is built for it",
                        phone.at.key(),
                        first.at.key()
                    ),
                    "move the phone to a server that runs Asterisk and generates its configuration, switch the phone off, or set the server's active_asterisk_server and generate_vicidial_conf to Y",
                );
                out.push(with_related(
                    finding,
                    servers.iter().map(|(server, field)| {
                        (
                            *server,
                            format!("server `{}` has {field} N", server.at.key()),
                        )
                    }),
                ));
            }
        }
    }
}

/// The field that stops keepalive from building this server's peers, if any
/// (twice: the field and how it is named).
fn no_peers(server: &Located<'_>) -> Option<(&'static str, &'static str)> {
    ["active_asterisk_server", "generate_vicidial_conf"]
        .into_iter()
        .find(|field| {
            server
                .view
                .effective(field)
                .is_some_and(|value| value.text() == "N")
        })
        .map(|field| (field, field))
}

/// An active phone whose protocol gets a peer (keepalive 3635, 3807, 3971).
fn has_peer(phone: &Located<'_>) -> bool {
    phone.view.active() == Some(Active::Yes)
        && phone
            .view
            .effective("protocol")
            .is_some_and(|protocol| matches!(protocol.text(), "SIP" | "IAX2" | "PJSIP"))
}
