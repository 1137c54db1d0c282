use super::cross::{each_with_the_others, places, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// Two or more servers with the same `server_id`, or with the same
    /// `server_ip`, in any files. Each server gets its own finding on the
    /// clashing value, with the others as related locations. Values are
    /// compared as VICIdial's MySQL compares them: case and accents do not matter and trailing spaces do not count
    /// (the database's `utf8_unicode_ci`, docs/BASE_INSTALL.txt 251).
    ///
    /// ## Why it matters
    /// `server_id` is unique in VICIdial's `servers` table
    /// (MySQL_AST_CREATE_tables.sql 176), and phones name their server by
    /// `server_ip` (vicidial-phones.md §6). The schema does not
    /// make `server_ip` unique, but two servers at one address make every phone
    /// on it ambiguous: which server's `active` and
    /// `active_agent_login_server` apply is a matter of chance.
    ///
    /// ## Example
    /// ```toml
    /// [[servers]]
    /// server_id = "TESTast"
    /// server_ip = "10.10.10.15"
    ///
    /// [[servers]]
    /// server_id = "DIALER2"
    /// server_ip = "10.10.10.15"   # should be 10.10.10.16
    /// ```
    ///
    /// ## How to fix
    /// Keep one definition per server: delete the copy, or correct its id or
    /// address.
    pub struct DuplicateServer {
        name: "duplicate-server",
        severity: Error,
        scope: Repository,
        summary: "Two servers with the same server_id or the same server_ip",
        catches: "two servers with one server_id or one server_ip",
    }
}

impl Rule for DuplicateServer {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        let index = repository.index();
        for ids in index.servers_by_id.values().filter(|ids| ids.len() > 1) {
            let total = ids.len();
            each_with_the_others(
                &Self::META,
                &places(repository, ids, "server_id"),
                |place, _| {
                    format!(
                        "server_id `{}` is defined {total} times",
                        written(place, "server_id")
                    )
                },
                "this server_id is not unique",
                |_| "the same server_id again".to_owned(),
                "keep one definition per server: delete the copy or correct its server_id (VICIdial compares ids ignoring case and accents)",
                out,
            );
        }
        for ids in index.servers_by_ip.values().filter(|ids| ids.len() > 1) {
            each_with_the_others(
                &Self::META,
                &places(repository, ids, "server_ip"),
                |place, others| {
                    format!(
                        "server_ip `{}` is also the address of {others}: phones on it are ambiguous",
                        written(place, "server_ip")
                    )
                },
                "this server_ip is not unique",
                |_| "the same server_ip again".to_owned(),
                "give every server its own address; delete a copied server definition",
                out,
            );
        }
    }
}
