use super::cross::{Place, written};
use super::{Rule, RuleMeta, declare_rule};
use crate::finding::Finding;
use crate::model::{Active, Located, Repository};

declare_rule! {
    /// ## What it catches
    /// An active phone (`active = "Y"`) on a declared server that is inactive
    /// (`active = "N"`) or is not an agent login server
    /// (`active_agent_login_server = "N"`; omitted, it is VICIdial's default
    /// `Y`). The finding is on the phone's `server_ip`, with the server's field
    /// as a related location. A server whose `active` is not written is not
    /// judged. When several servers share the address (`duplicate-server`),
    /// the phone is fine if any of them is usable. Inactive phones are left
    /// out: they are consistently off.
    ///
    /// ## Why it matters
    /// Agent login requires the phone's server to have
    /// `active_agent_login_server = 'Y'` (vicidial-phones.md §6, vicidial.php
    /// 4324), and an inactive server runs no dialer for its phones. The phone
    /// says it works, its server says it cannot.
    ///
    /// ## Example
    /// ```toml
    /// [[servers]]
    /// server_id = "OLDast"
    /// server_ip = "10.10.10.14"
    /// active = "N"
    ///
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.14"
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// Move the phone to a working server, switch the phone off
    /// (`active = "N"`), or activate the server.
    pub struct InactiveServer {
        name: "inactive-server",
        severity: Warning,
        summary: "An active phone on a declared server that is inactive or not an agent login server",
    }
}

impl Rule for InactiveServer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        let index = repository.index();
        if index.servers.is_empty() {
            return;
        }
        for phone in repository.resolve(&index.phones) {
            if phone.view.active() != Some(Active::Yes) {
                continue;
            }
            let (Some(ip), Some(span)) = (
                phone.view.written("server_ip"),
                phone.value_span("server_ip"),
            ) else {
                continue;
            };
            // Unusable only if every server at this address is: the first
            // one's reason is reported.
            let mut reason = None;
            for server in repository.resolve(index.servers_with_ip(&ip)) {
                match unusable(&server) {
                    None => {
                        reason = None;
                        break;
                    }
                    Some(why) => {
                        reason = reason.or(Some((server, why.0, why.1)));
                    }
                }
            }
            let Some((server, field, text)) = reason else {
                continue;
            };
            let server_span = server
                .value_span(field)
                .unwrap_or_else(|| super::record_anchor(server.file, server.record));
            let server_place = Place {
                at: server,
                span: server_span,
            };
            out.push(
                Place { at: phone, span }
                    .finding(
                        &Self::META,
                        format!(
                            "active phone `{}` is on server `{}`, which {text}",
                            phone.key(),
                            server.key()
                        ),
                    )
                    .with_label(format!("server `{}` ({})", server.key(), written(&server_place, "server_ip")))
                    .with_help("move the phone to a working server, switch it off (active = \"N\"), or activate the server")
                    .with_related(server.file, server_span, format!("server `{}` {text}", server.key())),
            );
        }
    }
}

/// Why phones cannot work on this server: the field that says so and how.
fn unusable(server: &Located<'_>) -> Option<(&'static str, &'static str)> {
    if server.view.active() == Some(Active::No) {
        return Some(("active", "is inactive"));
    }
    let login = server.view.effective("active_agent_login_server")?;
    (login.text() == "N").then_some(("active_agent_login_server", "is not an agent login server"))
}
