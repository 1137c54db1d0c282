use super::cross::{aliases, phones_of};
use super::{Rule, RuleMeta, declare_rule};
use crate::finding::Finding;
use crate::model::{Active, Repository};

declare_rule! {
    /// ## What it catches
    /// A member of an alias's `logins_list` whose phone is inactive
    /// (`active = "N"`) or has a status that blocks it (anything but `ACTIVE`
    /// and `ADMIN`). The finding is on the member in the alias, with the
    /// phone's `active` or `status` as a related location.
    ///
    /// ## Why it matters
    /// At agent login VICIdial replaces the alias id by its members, picks
    /// the member on the least busy server and re-reads it with
    /// `active='Y'` (vicidial-phones.md §5). An inactive member gets no SIP
    /// peer and cannot log in (§1); a blocked status says the phone must not
    /// be used, although today's agent login checks only `active`. Either way
    /// the alias may send an agent to a phone that does not work, or that
    /// should not.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "cc104"
    /// status = "SUSPENDED"
    /// active = "N"
    ///
    /// [[aliases]]
    /// alias_id = "support"
    /// logins_list = ["cc103", "cc104"]
    /// ```
    ///
    /// ## How to fix
    /// Remove the retired phone from the alias, or bring the phone back
    /// (`active = "Y"`, `status = "ACTIVE"`).
    pub struct AliasMemberUnusable {
        name: "alias-member-unusable",
        severity: Warning,
        summary: "An alias member whose phone is inactive or whose status blocks it",
    }
}

impl Rule for AliasMemberUnusable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for (place, members) in aliases(repository) {
            let at = place.at;
            for member in members {
                for phone in phones_of(repository, member) {
                    let inactive = phone.view.active() == Some(Active::No);
                    let status = phone.view.status();
                    let blocked = status.as_ref().filter(|s| !s.grants_access());
                    let (problem, field) = match (inactive, blocked) {
                        (true, _) => ("is inactive (active N)".to_owned(), "active"),
                        (false, Some(status)) => (
                            format!("has status `{}`, which blocks it", status.as_str()),
                            "status",
                        ),
                        (false, None) => continue,
                    };
                    let Some(span) = phone.value_span(field) else {
                        continue;
                    };
                    out.push(
                        place
                            .finding_at(
                                &Self::META,
                                member.span,
                                format!(
                                    "alias `{}` lists `{}`, whose phone `{}` {problem}",
                                    at.key(),
                                    member.login,
                                    phone.key()
                                ),
                            )
                            .with_label("the alias may pick this member")
                            .with_help("remove the member from logins_list, or bring the phone back (active = \"Y\", status = \"ACTIVE\")")
                            .with_related(phone.file, span, format!("`{}` {problem}", phone.key())),
                    );
                }
            }
        }
    }
}
