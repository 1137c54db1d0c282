use std::collections::HashMap;

use super::cross::{Place, aliases, phones_of, records, with_related};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::{Located, RecordId, Repository};
use crate::source::Span;
use crate::vicidial::Active;

declare_rule! {
    /// ## What it catches
    /// A member of an alias's `logins_list` whose phone is inactive
    /// (`active = "N"`). Each alias gets a finding on the member, with the
    /// phone's `active` as a related location; the phone gets one on that
    /// field, with the aliases that list it as related locations. A member's
    /// `status` does not count: no VICIdial code reads it (vicidial-phones.md
    /// §1).
    ///
    /// ## Why it matters
    /// At agent login VICIdial replaces the alias id by its members
    /// (vicidial.php 4277-4297), accepts the login if any member has the typed
    /// password and is active (4324), then picks the member on the least busy
    /// server without looking at the member's own `active` (4393-4524), and
    /// re-reads the picked phone with `active = 'Y'` (4535). An inactive
    /// member can be picked, and then no phone is found: the agent's login
    /// fails although another member would have worked (*inferred* from those
    /// lines; vicidial-phones.md §5).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "cc104"
    /// active = "N"
    ///
    /// [[aliases]]
    /// alias_id = "support"
    /// logins_list = ["cc103", "cc104"]
    /// ```
    ///
    /// ## How to fix
    /// Remove the retired phone from the alias, or switch the phone back on
    /// (`active = "Y"`).
    pub struct AliasMemberUnusable {
        name: "alias-member-unusable",
        severity: Warning,
        scope: Repository,
        summary: "An alias member whose phone is inactive (active N)",
        catches: "a member whose phone is inactive: the alias may pick it, and then the login fails",
    }
}

impl Rule for AliasMemberUnusable {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        let help =
            "remove the member from logins_list, or switch the phone back on (active = \"Y\")";
        // Each unusable phone, its problem, and the aliases that list it.
        let mut listed: HashMap<RecordId, (Place<'_>, String, Vec<Place<'_>>)> = HashMap::new();
        for (alias, members) in aliases(repository) {
            for (member, phones) in members {
                for phone in phones_of(repository, phones) {
                    let Some((problem, span)) = unusable(&phone) else {
                        continue;
                    };
                    let at_member = Place {
                        at: alias.at,
                        span: member.span,
                    };
                    out.push(
                        at_member
                            .finding(
                                &Self::META,
                                format!(
                                    "alias `{}` lists `{}`, whose phone `{}` {problem}",
                                    alias.at.key(),
                                    member.login,
                                    phone.key()
                                ),
                            )
                            .with_label("the alias may pick this member, and then the login fails")
                            .with_help(help)
                            .with_related(phone.file, span, format!("`{}` {problem}", phone.key())),
                    );
                    let lists = &mut listed
                        .entry(phone.id)
                        .or_insert_with(|| (Place { at: phone, span }, problem, Vec::new()))
                        .2;
                    // An alias that lists the phone twice counts once.
                    if lists.last().is_none_or(|last| last.at.id != alias.at.id) {
                        lists.push(at_member);
                    }
                }
            }
        }
        // The phone's side, so that whichever file is opened shows the problem.
        for (phone, problem, members) in listed.into_values() {
            let Some(first) = members.first() else {
                continue;
            };
            let lists = match members.len() {
                1 => format!("alias `{}` lists it", first.at.key()),
                n => format!("{} list it", records(first, n, "")),
            };
            let finding = phone
                .finding(
                    &Self::META,
                    format!("phone `{}` {problem}, but {lists}", phone.at.key()),
                )
                .with_label("listed in an alias")
                .with_help(help);
            out.push(with_related(
                finding,
                members.into_iter().map(|member| {
                    let label = format!("alias `{}` lists it here", member.at.key());
                    (member, label)
                }),
            ));
        }
    }
}

/// What makes a phone unusable as an alias member, and the span that says so.
fn unusable(phone: &Located<'_>) -> Option<(String, Span)> {
    (phone.view.active() == Some(Active::No)).then_some(())?;
    Some((
        "is inactive (active N)".to_owned(),
        phone.value_span("active")?,
    ))
}
