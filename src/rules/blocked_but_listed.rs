use super::{RecordContext, Rule, RuleMeta, contradiction, declare_rule};
use crate::finding::Finding;
use crate::model::Active;

declare_rule! {
    /// ## What it catches
    /// A phone with `active = "Y"` and a blocking status: `SUSPENDED`, `CLOSED`
    /// or `PENDING`.
    ///
    /// ## Why it matters
    /// VICIdial's documentation says only ACTIVE and ADMIN let the GUI clients
    /// work, so the status reads as "blocked". But today's agent login checks
    /// only `active = 'Y'`, not the status (vicidial-phones.md §1, vicidial.php
    /// 4324 and 4535): a SUSPENDED phone that is still active is listed, gets
    /// its SIP/IAX peer, and can still log in. The record says two things, and
    /// VICIdial believes the one the reviewer did not mean.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc105"
    /// status = "SUSPENDED"
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// To block the phone, also set `active = "N"`. If it should work, set
    /// `status = "ACTIVE"`.
    pub struct BlockedButListed {
        name: "blocked-but-listed",
        severity: Warning,
        summary: "An active phone (active Y) whose status SUSPENDED/CLOSED/PENDING says it is blocked",
    }
}

impl Rule for BlockedButListed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        out.extend(contradiction(
            ctx,
            &Self::META,
            |active, status| active == Active::Yes && status.is_blocking(),
            "active phone `{key}` has status {status}: VICIdial still lets it log in",
            "status {status} is meant to block the GUI clients",
            "active Y: listed, peer built, and agent login checks only this field",
            "to block the phone, also set active = \"N\"; if it should work, set status = \"ACTIVE\"",
        ));
    }
}
