use super::cross::aliases;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;
use crate::text::suggest::Dictionary;

declare_rule! {
    /// ## What it catches
    /// A member of an alias's `logins_list` that no phone in the repository
    /// has as its `login`. The nearest phone login is suggested when one is
    /// close (within a budget of a million comparisons over the whole
    /// repository, so that thousands of unknown members against thousands of
    /// phones stay fast: past it, no suggestion is made). Logins are compared as VICIdial's MySQL compares them: case and accents do not matter and trailing spaces do not count
    /// (the database's `utf8_unicode_ci`, docs/BASE_INSTALL.txt 251).
    ///
    /// ## Why it matters
    /// At agent login VICIdial replaces the alias id by its members
    /// (vicidial.php 4277-4297; vicidial-phones.md §5). A member that names no
    /// phone gets the address `0.0.0.0` (vicidial.php 4411), finds no server
    /// and is never picked: the alias still works with its other members,
    /// but it promises a seat it cannot give. It is usually a typo, or a phone
    /// deleted while the alias still names it. VICIdial's API refuses such an
    /// alias ("PHONE DOES NOT EXIST", non_agent_api.php 6480-6487), but the
    /// admin UI does not check, and deleting a phone does not check the
    /// aliases that name it.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "cc120"
    ///
    /// [[aliases]]
    /// alias_id = "frontdesk"
    /// logins_list = ["cc100", "cc210"]   # no phone has login cc210
    /// ```
    ///
    /// ## How to fix
    /// Correct the member to an existing phone login, or remove it from the
    /// list.
    pub struct AliasUnknownLogin {
        name: "alias-unknown-login",
        severity: Warning,
        scope: Repository,
        summary: "An alias member (logins_list) that no phone has as its login",
        catches: "a logins_list member that no phone has as its login (a close login is suggested): the alias never picks it",
    }
}

impl Rule for AliasUnknownLogin {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        let index = repository.index();
        // Every phone login, collected only if some member needs a suggestion.
        let mut logins: Option<Dictionary> = None;
        for (place, members) in aliases(repository) {
            let at = place.at;
            for (member, phones) in members {
                if !phones.is_empty() {
                    continue;
                }
                let logins = logins.get_or_insert_with(|| {
                    Dictionary::new(
                        repository
                            .resolve(&index.phones)
                            .filter_map(|phone| phone.view.written("login")),
                    )
                });
                let near = logins.closest(&member.login);
                let finding = place.finding_at(
                    &Self::META,
                    member.span,
                    format!(
                        "alias `{}` lists `{}`, but no phone has that login",
                        at.key(),
                        member.login
                    ),
                );
                out.push(match near {
                    Some(near) => finding
                        .with_label(format!("did you mean `{near}`?"))
                        .with_help(format!(
                            "write `{near}`, or remove the member from logins_list"
                        )),
                    None => finding.with_label("no phone has this login").with_help(
                        "correct the member to an existing phone login, or remove it from logins_list",
                    ),
                });
            }
        }
    }
}
