use super::cross::{Place, places, records, with_related, written};
use super::meta::{RuleMeta, declare_rule};
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// A phone `login` equal to a phone alias's `alias_id`, in any files. The
    /// phone gets a finding on its `login` and the alias one on its
    /// `alias_id`, each with the other as a related location. Values are
    /// compared as VICIdial's MySQL compares them: case and accents do not matter and trailing spaces do not count
    /// (the database's `utf8_unicode_ci`, docs/BASE_INSTALL.txt 251).
    ///
    /// ## Why it matters
    /// An agent types a phone login or an alias id into the same field of the
    /// login screen, and VICIdial looks the alias up first and replaces it by
    /// its members (vicidial.php 4277-4297; vicidial-phones.md §5): the name
    /// always reaches the alias, never the phone. VICIdial refuses a phone
    /// login equal to an alias id when a phone is added (admin.php 14924) or
    /// an alias is (admin.php 15068), but not when a phone is modified (§2).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// login = "frontdesk"
    ///
    /// [[aliases]]
    /// alias_id = "frontdesk"
    /// logins_list = ["cc101", "cc120"]
    /// ```
    ///
    /// ## How to fix
    /// Rename the alias or the phone's login: one name, one meaning.
    pub struct LoginAliasCollision {
        name: "login-alias-collision",
        severity: Error,
        scope: Repository,
        summary: "A phone login equal to a phone alias's alias_id",
        catches: "a phone login equal to an alias_id",
    }
}

impl Rule for LoginAliasCollision {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for alias_ids in repository.index().aliases_by_id.values() {
            // The alias_id the aliases share, as the first of them writes it.
            let alias_id = alias_ids
                .first()
                .and_then(|id| repository.get(*id))
                .and_then(|alias| alias.view.written("alias_id"))
                .unwrap_or_default();
            let phone_ids = repository.phones_with_login(&alias_id);
            if phone_ids.is_empty() {
                continue;
            }
            let aliases = places(repository, alias_ids, "alias_id");
            let phones = places(repository, phone_ids, "login");
            let help = "rename the alias or the phone's login: the login screen looks the alias up first, comparing ignoring case and accents, so the phone is never reached by this name";
            let phone = ("login", "the name of an alias");
            report(&Self::META, &phones, phone, &aliases, help, out);
            let alias = ("alias_id", "the login of a phone");
            report(&Self::META, &aliases, alias, &phones, help, out);
        }
    }
}

/// One finding for each of `these` on its `field`, with `those` as related
/// locations.
fn report(
    meta: &RuleMeta,
    these: &[Place<'_>],
    (field, label): (&str, &'static str),
    those: &[Place<'_>],
    help: &'static str,
    out: &mut Vec<Finding>,
) {
    let Some(first) = those.first() else {
        return;
    };
    let named = records(first, those.len(), "");
    for place in these {
        let message = format!(
            "{field} `{}` is also the name of {named}",
            written(place, field)
        );
        let finding = place
            .finding(meta, message)
            .with_label(label)
            .with_help(help);
        out.push(with_related(
            finding,
            those
                .iter()
                .map(|other| (*other, format!("`{}` has this name", other.at.key()))),
        ));
    }
}
