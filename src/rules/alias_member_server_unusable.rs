use super::cross::{Place, aliases, first_phones};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::{Located, Repository};
use crate::vicidial::Active;

declare_rule! {
    /// ## What it catches
    /// A member of an alias's `logins_list` whose phone is on a declared
    /// server that alias balancing never picks: `active = "N"` or
    /// `active_agent_login_server = "N"` (omitted, VICIdial's default `Y`).
    /// The finding is on the member, with the server's field as a related
    /// location. When several servers share the address, one usable server
    /// is enough.
    ///
    /// ## Why it matters
    /// At agent login VICIdial expands the alias into its members and, for
    /// each, looks up the phone's server with `active='Y'` and
    /// `active_agent_login_server='Y'` (vicidial.php 4429); only members on
    /// such a server are considered (4471), so this member is never chosen
    /// (vicidial-phones.md §5). Unlike a direct login, which does not read
    /// the server's `active` (vicidial.php 4324), balancing skips an inactive
    /// server: the alias silently has one seat fewer.
    ///
    /// ## Example
    /// ```toml
    /// [[servers]]
    /// server_id = "OLDast"
    /// server_ip = "10.10.10.14"
    /// active = "N"
    ///
    /// [[phones]]
    /// login = "cc104"
    /// server_ip = "10.10.10.14"
    ///
    /// [[aliases]]
    /// alias_id = "support"
    /// logins_list = ["cc103", "cc104"]
    /// ```
    ///
    /// ## How to fix
    /// Replace the member by a phone on a server in service, or bring the
    /// server back (`active = "Y"`, `active_agent_login_server = "Y"`).
    pub struct AliasMemberServerUnusable {
        name: "alias-member-server-unusable",
        severity: Warning,
        scope: Repository,
        summary: "An alias member on a server that alias balancing never picks (active or active_agent_login_server N)",
        catches: "a member on a server with active or active_agent_login_server N: alias balancing never picks it",
    }
}

impl Rule for AliasMemberServerUnusable {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        let index = repository.index();
        if index.servers.is_empty() {
            return;
        }
        // The server_ip of each member's first phone (duplicates are
        // duplicate-login's).
        let mut first = first_phones(repository, |phone| phone.view.written("server_ip"));
        for (alias, members) in aliases(repository) {
            for (member, _) in members {
                let Some(ip) = first.next().flatten().flatten() else {
                    continue;
                };
                let servers: Vec<Located<'_>> =
                    repository.resolve(repository.servers_with_ip(&ip)).collect();
                let reasons: Option<Vec<(Located<'_>, &str)>> = servers
                    .iter()
                    .map(|server| Some((*server, never_picked(server)?)))
                    .collect();
                let Some(reasons) = reasons.filter(|r| !r.is_empty()) else {
                    continue;
                };
                let at_member = Place {
                    at: alias.at,
                    span: member.span,
                };
                let mut finding = at_member
                    .finding(
                        &Self::META,
                        format!(
                            "alias `{}` lists `{}`, whose server {} is never picked by alias balancing",
                            alias.at.key(),
                            member.login,
                            ip
                        ),
                    )
                    .with_label("this member is never chosen")
                    .with_help("replace the member by a phone on a server in service, or bring the server back (active = \"Y\", active_agent_login_server = \"Y\")");
                for (server, field) in reasons {
                    let span = server
                        .value_span(field)
                        .unwrap_or_else(|| server.record.anchor());
                    finding = finding.with_related(
                        server.file,
                        span,
                        format!("server `{}` has {field} N", server.key()),
                    );
                }
                out.push(finding);
            }
        }
    }
}

/// Why alias balancing never picks this server (vicidial.php 4429).
fn never_picked(server: &Located<'_>) -> Option<&'static str> {
    if server.view.active() == Some(Active::No) {
        return Some("active");
    }
    let login = server.view.effective("active_agent_login_server")?;
    (login.text() == "N").then_some("active_agent_login_server")
}
