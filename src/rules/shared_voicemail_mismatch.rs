use super::cross::{configured_in_asterisk, each_with_the_others, places, written};
use super::{Rule, RuleMeta, declare_rule};
use crate::finding::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// Active phones (`active = "Y"`) that share a `voicemail_id` but differ
    /// in `pass` or `email`. Each phone gets its own finding on its
    /// `voicemail_id`, with the other phones of the box as related locations.
    /// Voicemail ids are compared as VICIdial's MySQL compares them (case and
    /// trailing spaces ignored); `pass` and `email` exactly, an omitted email
    /// counting as empty. Only phones VICIdial builds boxes from count: active
    /// ones whose `protocol` is SIP, IAX2 or PJSIP (an omitted protocol is the
    /// default SIP); inactive, EXTERNAL and Zap phones are left out (§1).
    ///
    /// ## Why it matters
    /// `pass` is also the voicemail PIN. VICIdial builds one voicemail box per
    /// `voicemail_id`, from the first active phone that has it, with that
    /// phone's pass and email (vicidial-phones.md §3, keepalive 4804-4843):
    /// the other phones' PIN and email are silently ignored, so someone
    /// cannot open the box, or its messages go to someone else's address.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// voicemail_id = "8300"
    /// email = "reception@example.com"
    ///
    /// [[phones]]
    /// extension = "cc120"
    /// voicemail_id = "8300"
    /// email = "sales@example.com"   # ignored: the box is cc100's
    /// ```
    ///
    /// ## How to fix
    /// Give each phone its own `voicemail_id`, or make the phones that share
    /// a box agree on `pass` and `email`.
    pub struct SharedVoicemailMismatch {
        name: "shared-voicemail-mismatch",
        severity: Warning,
        summary: "Active phones sharing a voicemail_id with different pass or email",
    }
}

impl Rule for SharedVoicemailMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for ids in repository
            .index()
            .phones_by_voicemail
            .values()
            .filter(|ids| ids.len() > 1)
        {
            let mut group = places(repository, ids, "voicemail_id");
            group.retain(configured_in_asterisk);
            let differs = |field: &str| {
                let mut values = group.iter().map(|place| written(place, field));
                let first = values.next();
                values.any(|value| Some(value) != first)
            };
            let fields = match (differs("pass"), differs("email")) {
                (true, true) => "pass (the PIN) and email",
                (true, false) => "pass (the PIN)",
                (false, true) => "email",
                (false, false) => continue,
            };
            each_with_the_others(
                &Self::META,
                &group,
                |place, others| {
                    format!(
                        "voicemail box `{}` is shared with {others}, with a different {fields}",
                        written(place, "voicemail_id")
                    )
                },
                "one box, built from the first active phone",
                |other| format!("`{}` shares this box", other.at.key()),
                "give each phone its own voicemail_id, or make the phones that share it agree on pass and email",
                out,
            );
        }
    }
}
