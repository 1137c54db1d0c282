use super::{RecordContext, Rule, RuleMeta, contradiction, declare_rule};
use crate::finding::Finding;
use crate::model::{Active, Status};

declare_rule! {
    /// ## What it catches
    /// A phone with `active = "N"` and `status = "ACTIVE"`.
    ///
    /// ## Why it matters
    /// `status = "ACTIVE"` grants the permission for the GUI clients to work,
    /// but `active = "N"` hides the phone from the GUI client's picker, and
    /// VICIdial neither builds its SIP/IAX peer, dialplan entry and voicemail
    /// box nor lets an agent log in with it (vicidial-phones.md §1). The phone
    /// cannot work, whatever its status says: the record says two things.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc104"
    /// status = "ACTIVE"
    /// active = "N"
    /// ```
    ///
    /// ## How to fix
    /// If the phone should work, set `active = "Y"`. If it is switched off on
    /// purpose, say so in the status too: `status = "SUSPENDED"` or `"CLOSED"`.
    pub struct InactiveWithAccess {
        name: "inactive-with-access",
        severity: Warning,
        summary: "An inactive phone (active N) whose status ACTIVE grants access it cannot use",
    }
}

impl Rule for InactiveWithAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        out.extend(contradiction(
            ctx,
            &Self::META,
            |active, status| active == Active::No && *status == Status::Active,
            "inactive phone `{key}` has status ACTIVE: it cannot work",
            "status ACTIVE lets the GUI clients work",
            "active N: hidden from the picker, no SIP/IAX peer, no agent login",
            "if the phone should work, set active = \"Y\"; if it is off on purpose, set status = \"SUSPENDED\" (or \"CLOSED\")",
        ));
    }
}
