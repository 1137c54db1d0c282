use super::cross::{each_with_the_others, places, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// Two or more phones with the same `login`, on any servers, in any files.
    /// Each phone gets its own finding on its `login`, with the other phones as
    /// related locations. Logins are compared as VICIdial's MySQL compares them:
    /// case and accents do not matter and trailing spaces do not count
    /// (the database's `utf8_unicode_ci`, docs/BASE_INSTALL.txt 251): `CC100`
    /// and `cc100` clash.
    ///
    /// ## Why it matters
    /// The phone login is what an agent types on the login screen, so it must
    /// name one phone. VICIdial refuses a login already used by any phone on
    /// any server when a phone is added (`SELECT count(*) from phones where
    /// login='$login'`, admin.php 14917), but does not check again when a
    /// phone is modified (the UPDATE at admin.php 19745), so a database drifts
    /// into duplicates, and the agent screen takes whichever phone with that
    /// login and password MySQL returns first (vicidial.php 4535;
    /// vicidial-phones.md §2).
    ///
    /// ## Example
    /// ```toml
    /// # floor1.toml
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.15"
    /// login = "cc100"
    ///
    /// # floor2.toml
    /// [[phones]]
    /// extension = "cc120"
    /// server_ip = "10.10.10.16"
    /// login = "cc100"   # already the login of cc100@10.10.10.15
    /// ```
    ///
    /// ## How to fix
    /// Give every phone its own login (usually its extension). To let one login
    /// reach phones on several servers, use a phone alias instead.
    pub struct DuplicateLogin {
        name: "duplicate-login",
        severity: Error,
        scope: Repository,
        summary: "A login used by two or more phones, on any servers",
        catches: "a login used by two phones, on any servers (VICIdial checks this on add but not on edit)",
    }
}

impl Rule for DuplicateLogin {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for ids in repository
            .index()
            .phones_by_login
            .values()
            .filter(|ids| ids.len() > 1)
        {
            each_with_the_others(
                &Self::META,
                &places(repository, ids, "login"),
                |place, others| {
                    format!(
                        "login `{}` is also the login of {others}",
                        written(place, "login")
                    )
                },
                "this login is not unique",
                |other| format!("`{}` has this login", other.at.key()),
                "give every phone its own login (VICIdial compares logins ignoring case); to reach phones on several servers with one login, use a phone alias",
                out,
            );
        }
    }
}
