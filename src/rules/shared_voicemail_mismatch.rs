use super::cross::{Place, each_with_the_others, places, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;
use crate::vicidial::Active;

declare_rule! {
    /// ## What it catches
    /// Active phones (`active = "Y"`) that share a `voicemail_id` but differ
    /// in a field of the voicemail box line: `pass` (the PIN), `fullname` (the
    /// box's name, commas removed), `email`, `delete_vm_after_email`,
    /// `voicemail_timezone` or `voicemail_options` (omitted fields count as
    /// VICIdial's defaults, an omitted email or name as empty). Each phone
    /// gets its own finding on its `voicemail_id`, with the other phones of
    /// the box as related locations. Voicemail ids are compared as the
    /// database compares them (case and accents ignored, trailing spaces do
    /// not count); the fields exactly. Every protocol counts. A `pass` that is
    /// a placeholder for a secret kept elsewhere (`${NAME}`, `{{ name }}`,
    /// sops's `ENC[...]`; SECURITY.md) is left out of the comparison.
    ///
    /// ## Why it matters
    /// On the voicemail server, keepalive builds one box per distinct
    /// `voicemail_id` of the active phones, of any protocol, from the first
    /// row that `SELECT ... FROM phones where active='Y' and voicemail_id=...`
    /// returns, with no ORDER BY (ADMIN_keepalive_ALL.pl 4804-4843): the box
    /// line `voicemail_id => pass,fullname,email,,|delete=...|tz=...|options`
    /// comes from that one phone, and the other phones' PIN, name, address and
    /// settings are ignored. Which phone is first is storage order, not this
    /// repository's order (*inferred*: MySQL returns such rows in the order it
    /// stored them). Someone cannot open the box, or its messages go to
    /// someone else's address (vicidial-phones.md §3).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// voicemail_id = "8300"
    /// active = "Y"
    /// email = "reception@example.com"
    ///
    /// [[phones]]
    /// extension = "cc120"
    /// voicemail_id = "8300"
    /// active = "Y"
    /// email = "sales@example.com"   # one of the two is ignored
    /// ```
    ///
    /// ## How to fix
    /// Give each phone its own `voicemail_id`, or make the phones that share
    /// a box agree on every field of the box.
    pub struct SharedVoicemailMismatch {
        name: "shared-voicemail-mismatch",
        severity: Warning,
        scope: Repository,
        summary: "Active phones sharing a voicemail_id with a different pass, name, email or voicemail setting",
        catches: "active phones sharing a voicemail_id with a different pass, name, email or voicemail setting: VICIdial builds one box from whichever MySQL returns first",
    }
}

/// The fields of a box line (ADMIN_keepalive_ALL.pl 4841), as users name them.
const BOX_FIELDS: [(&str, &str); 6] = [
    ("pass", "pass (the PIN)"),
    ("fullname", "fullname"),
    ("email", "email"),
    ("delete_vm_after_email", "delete_vm_after_email"),
    ("voicemail_timezone", "voicemail_timezone"),
    ("voicemail_options", "voicemail_options"),
];

/// A field of the box line as keepalive writes it: the effective value
/// (written, else the default, else empty), a name without its commas
/// (ADMIN_keepalive_ALL.pl 4837).
fn box_value(place: &Place<'_>, field: &str) -> String {
    let value = place
        .at
        .view
        .effective(field)
        .map(|value| value.text().to_owned())
        .unwrap_or_default();
    if field == "fullname" {
        value.replace(',', "")
    } else {
        value
    }
}

impl Rule for SharedVoicemailMismatch {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for ids in repository
            .index()
            .phones_by_voicemail
            .values()
            .filter(|ids| ids.len() > 1)
        {
            let mut group = places(repository, ids, "voicemail_id");
            group.retain(|place| place.at.view.active() == Some(Active::Yes));
            let differs = |field: &str| {
                let mut values = group
                    .iter()
                    .filter(|place| field != "pass" || !place.at.view.is_placeholder(field))
                    .map(|place| box_value(place, field));
                let first = values.next();
                values.any(|value| Some(value) != first)
            };
            let fields: Vec<&str> = BOX_FIELDS
                .iter()
                .filter(|(field, _)| differs(field))
                .map(|(_, name)| *name)
                .collect();
            if fields.is_empty() {
                continue;
            }
            let fields = fields.join(", ");
            each_with_the_others(
                &Self::META,
                &group,
                |place, others| {
                    format!(
                        "voicemail box `{}` is shared with {others}, with a different {fields}",
                        written(place, "voicemail_id")
                    )
                },
                "one box, built from whichever active phone MySQL returns first",
                |other| format!("`{}` shares this box", other.at.key()),
                "give each phone its own voicemail_id, or make the phones that share it agree on pass, fullname, email and the voicemail settings",
                out,
            );
        }
    }
}
