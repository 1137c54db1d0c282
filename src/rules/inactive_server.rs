use super::cross::{Place, on_server, phones_on_servers_where, records, with_related};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::{Located, Repository};
use crate::vicidial::Active;

declare_rule! {
    /// ## What it catches
    /// An active phone (`active = "Y"`) on a declared server that is not an
    /// agent login server (`active_agent_login_server = "N"`; omitted, it is
    /// VICIdial's default `Y`). Each such phone gets a finding on its
    /// `server_ip`, with the server's field as a related location; the server
    /// gets one on that field, with its active phones as related locations.
    /// When several servers share the address (`duplicate-server`), the phone
    /// is fine if any of them takes agent logins. Inactive phones are left
    /// out: they are consistently off. A server's own `active` is not judged
    /// here: agent login does not read it.
    ///
    /// ## Why it matters
    /// Agent login counts the phone only joined with a server whose
    /// `active_agent_login_server = 'Y'` (vicidial.php 4321-4324, unless the
    /// login is an admin test; vicidial-phones.md §6): agents cannot log in
    /// with this phone. The phone says it works, its server says it cannot.
    /// A server's `active = 'N'` does not stop that direct login (the same
    /// query does not read it); it takes the server out of alias balancing
    /// (vicidial.php 4429), which `alias-member-server-unusable` reports.
    ///
    /// ## Example
    /// ```toml
    /// [[servers]]
    /// server_id = "OLDast"
    /// server_ip = "10.10.10.14"
    /// active_agent_login_server = "N"
    ///
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.14"
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// Move the phone to a server that takes agent logins, switch the phone
    /// off (`active = "N"`), or set the server's
    /// `active_agent_login_server = "Y"`.
    pub struct InactiveServer {
        name: "inactive-server",
        severity: Warning,
        scope: Repository,
        summary: "An active phone on a declared server that is not an agent login server",
        catches: "an active phone on a declared server that is not an agent login server (a server's own `active` does not stop direct login)",
    }
}

impl Rule for InactiveServer {
    fn check_repository<'r>(&self, repository: &'r Repository, out: &mut Vec<Finding>) {
        let index = repository.index();
        if index.servers.is_empty() {
            return;
        }
        let help = "move the phone to a server that takes agent logins, switch it off (active = \"N\"), or set the server's active_agent_login_server = \"Y\"";
        for (servers, phones) in phones_on_servers_where(repository, unusable) {
            let Some((first, text)) = servers.first() else {
                continue;
            };
            let phones: Vec<Place<'_>> = phones
                .into_iter()
                .filter(|phone| phone.at.view.active() == Some(Active::Yes))
                .collect();
            let Some(first_phone) = phones.first() else {
                continue;
            };
            let server_label = |(server, text): &(Place<'r>, &str)| {
                (*server, format!("server `{}` {text}", server.at.key()))
            };
            for phone in &phones {
                let finding = on_server(
                    &Self::META,
                    phone,
                    first,
                    format!(
                        "active phone `{}` is on server `{}`, which {text}",
                        phone.at.key(),
                        first.at.key()
                    ),
                    help,
                );
                out.push(with_related(finding, servers.iter().map(server_label)));
            }
            // The server's side, so that whichever file is opened shows it.
            let on_it = records(first_phone, phones.len(), "active ");
            for (server, text) in &servers {
                let finding = server
                    .finding(
                        &Self::META,
                        format!(
                            "server `{}` {text}, but {on_it} {} on it",
                            server.at.key(),
                            if phones.len() == 1 { "is" } else { "are" }
                        ),
                    )
                    .with_label(format!("{} {text}", server.at.key()))
                    .with_help(help);
                out.push(with_related(
                    finding,
                    phones
                        .iter()
                        .map(|phone| (*phone, format!("`{}` is on it", phone.at.key()))),
                ));
            }
        }
    }
}

/// Why agents cannot log in with phones on this server: the field that says
/// so and how.
fn unusable(server: &Located<'_>) -> Option<(&'static str, &'static str)> {
    let login = server.view.effective("active_agent_login_server")?;
    (login.text() == "N").then_some(("active_agent_login_server", "is not an agent login server"))
}

#[cfg(test)]
mod tests {
    use super::super::cross::tests::repository;
    use crate::load::Format;
    use crate::rules::Rule;

    fn findings(servers: &str) -> Vec<String> {
        let phones = "[[phones]]\nextension = \"cc1\"\nserver_ip = \"10.0.0.1\"\nactive = \"Y\"\n";
        let repository = repository(&[
            ("p.toml", Format::Toml, phones.to_owned()),
            ("s.toml", Format::Toml, servers.to_owned()),
        ]);
        let mut out = Vec::new();
        super::InactiveServer.check_repository(&repository, &mut out);
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn a_usable_server_at_the_address_is_enough() {
        let off = "[[servers]]\nserver_id = \"A\"\nserver_ip = \"10.0.0.1\"\nactive_agent_login_server = \"N\"\n";
        let on = "[[servers]]\nserver_id = \"B\"\nserver_ip = \"10.0.0.1\"\n";
        assert_eq!(findings(off).len(), 2);
        assert!(findings(&format!("{off}{on}")).is_empty());
    }

    #[test]
    fn an_inactive_server_is_not_judged_and_the_login_default_is_y() {
        let unknown = "[[servers]]\nserver_id = \"A\"\nserver_ip = \"10.0.0.1\"\nactive = \"N\"\n";
        assert!(findings(unknown).is_empty());
        let no_login = format!("{unknown}active_agent_login_server = false\n");
        assert_eq!(
            findings(&no_login),
            [
                "active phone `cc1@10.0.0.1` is on server `A`, which is not an agent login server",
                "server `A` is not an agent login server, but phone `cc1@10.0.0.1` is on it",
            ]
        );
    }
}
