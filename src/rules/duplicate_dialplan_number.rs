use super::cross::{configured_in_asterisk, each_with_the_others, places, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// Two or more active phones (`active = "Y"`) on the same `server_ip` with
    /// the same `dialplan_number`, in any files. Each phone gets its own finding
    /// on its `dialplan_number`, with the others as related locations. Only
    /// phones VICIdial writes a dialplan entry for count: active ones whose
    /// `protocol` is SIP, IAX2 or PJSIP (an omitted protocol is the default
    /// SIP); inactive, EXTERNAL and Zap phones are left out. Values
    /// are compared as VICIdial's MySQL compares them (case and trailing spaces
    /// ignored).
    ///
    /// ## Why it matters
    /// The dialplan number is what callers dial to reach the phone. Keepalive
    /// writes `exten => dialplan_number,1,Dial(...)` for every active SIP,
    /// IAX2 and PJSIP phone into its server's Asterisk configuration
    /// (ADMIN_keepalive_ALL.pl 3771, 3936), and the schema indexes the column
    /// without making it unique (MySQL_AST_CREATE_tables.sql 111;
    /// vicidial-phones.md §2): two phones on one server with one number give
    /// Asterisk two entries for one number, and calls reach only one of the
    /// phones (*inferred*).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// dialplan_number = "8300"
    /// server_ip = "10.10.10.15"
    /// active = "Y"
    ///
    /// [[phones]]
    /// extension = "cc101"
    /// dialplan_number = "8300"     # copied: should be 8301
    /// server_ip = "10.10.10.15"
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// Give each phone on the server its own dialplan number.
    pub struct DuplicateDialplanNumber {
        name: "duplicate-dialplan-number",
        severity: Warning,
        scope: Repository,
        summary: "Two active phones on one server with the same dialplan_number",
        catches: "two active phones on one server with the same dialplan_number",
    }
}

impl Rule for DuplicateDialplanNumber {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for ids in repository
            .index()
            .phones_by_dialplan
            .values()
            .filter(|ids| ids.len() > 1)
        {
            let mut group = places(repository, ids, "dialplan_number");
            group.retain(configured_in_asterisk);
            each_with_the_others(
                &Self::META,
                &group,
                |place, others| {
                    format!(
                        "dialplan_number `{}` on server `{}` is also the number of {others}",
                        written(place, "dialplan_number"),
                        written(place, "server_ip"),
                    )
                },
                "this number is not unique on the server",
                |other| format!("`{}` has the same number", other.at.key()),
                "give each phone on a server its own dialplan number",
                out,
            );
        }
    }
}
