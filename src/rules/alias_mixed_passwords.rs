use super::cross::{Place, aliases, first_phones, shown, with_related};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// An alias whose member phones do not all have the same `pass`. The
    /// alias gets a finding on its `logins_list`, with each member's `pass` as
    /// a related location, numbered by distinct password ("password 1 of 2")
    /// so that the groups show without printing a secret; each member gets
    /// one on its `pass`, with the alias and the other members as related
    /// locations. Passwords are
    /// compared exactly: a difference in case is a different password. A
    /// member whose `pass` is a placeholder for a secret kept elsewhere
    /// (`${NAME}`, `{{ name }}`, sops's `ENC[...]`; SECURITY.md) is left out
    /// of the comparison: what it stands for is not known here.
    ///
    /// ## Why it matters
    /// At agent login VICIdial authenticates the typed password against
    /// **any** member of the alias (`(login='...' and pass='...') or ...`,
    /// vicidial.php 4311, 4324), then picks the member on the least busy
    /// server without looking at passwords (4393-4524) and re-reads it with
    /// the same password (4535; vicidial-phones.md §5).
    /// With mixed passwords the login succeeds or fails depending on which
    /// member is picked: the agent sees random failures.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "cc100"
    /// pass = "Rr8xkq2Lw"
    ///
    /// [[phones]]
    /// login = "cc120"
    /// pass = "Tq4mZx81Kp"    # another password
    ///
    /// [[aliases]]
    /// alias_id = "frontdesk"
    /// logins_list = ["cc100", "cc120"]
    /// ```
    ///
    /// ## How to fix
    /// Give every member of the alias the same `pass`.
    pub struct AliasMixedPasswords {
        name: "alias-mixed-passwords",
        severity: Warning,
        scope: Repository,
        summary: "An alias whose members have different passwords",
        catches: "members with different pass: VICIdial authenticates against any member, then uses the one it picks",
    }
}

impl Rule for AliasMixedPasswords {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        // Each member's phone with its password and the span of its pass,
        // unless the password is a placeholder.
        let mut first = first_phones(repository, |phone| {
            let pass = (phone.view.written("pass"))
                .zip(phone.value_span("pass"))
                .filter(|_| !phone.view.is_placeholder("pass"));
            (phone, pass)
        });
        for (alias, members) in aliases(repository) {
            let at = alias.at;
            // Each member's phone (the first, when a login is duplicated) and
            // the number of its password among the distinct ones.
            let mut passwords: Vec<String> = Vec::new();
            let mut numbered = Vec::new();
            for _ in members {
                let Some((phone, Some((pass, span)))) = first.next().flatten() else {
                    continue;
                };
                let number = match passwords.iter().position(|known| *known == pass) {
                    Some(position) => position + 1,
                    None => {
                        passwords.push(pass.into_owned());
                        passwords.len()
                    }
                };
                numbered.push((Place { at: phone, span }, number));
            }
            let distinct = passwords.len();
            let Some(list) = at.value_span("logins_list") else {
                continue;
            };
            if distinct < 2 {
                continue;
            }
            let place = Place { at, span: list };
            let help = "give every member of the alias the same pass";
            let label = |place: &Place<'_>, number: usize| {
                format!("`{}`: password {number} of {distinct}", place.at.key())
            };
            let finding = place
                .finding(
                    &Self::META,
                    format!(
                        "the {} members of alias `{}` have {distinct} different passwords{}",
                        numbered.len(),
                        at.key(),
                        shown(numbered.len())
                    ),
                )
                .with_label("VICIdial authenticates against any member, then uses the one it picks")
                .with_help(help);
            out.push(with_related(
                finding,
                numbered
                    .iter()
                    .map(|(member, number)| (*member, label(member, *number))),
            ));
            // Each member's side, so that whichever file is opened shows it.
            for (position, (member, number)) in numbered.iter().enumerate() {
                let finding = member
                    .finding(
                        &Self::META,
                        format!(
                            "phone `{}` is a member of alias `{}`, whose {} members have {distinct} different passwords{}",
                            member.at.key(),
                            at.key(),
                            numbered.len(),
                            shown(numbered.len())
                        ),
                    )
                    .with_label(format!("password {number} of {distinct}"))
                    .with_help(help);
                let others = numbered
                    .iter()
                    .enumerate()
                    .filter(|(other, _)| *other != position)
                    .map(|(_, (other, number))| (*other, label(other, *number)));
                let alias = (place, format!("alias `{}`", at.key()));
                out.push(with_related(finding, std::iter::once(alias).chain(others)));
            }
        }
    }
}
