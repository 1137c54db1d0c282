use super::context::{RecordContext, contradiction};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::Active;

declare_rule! {
    /// ## What it catches
    /// A phone with `active = "Y"` and a status documented as blocking:
    /// `SUSPENDED`, `CLOSED` or `PENDING`.
    ///
    /// ## Why it matters
    /// This contradiction has a real effect. VICIdial's help says "All other
    /// statuses do not allow GUI or Admin web access" (help.php 4571), so the
    /// record reads as a blocked phone. But no VICIdial code reads
    /// `phones.status` (vicidial-phones.md §1): agent login checks `active =
    /// 'Y'` and the password only (vicidial.php 4324, 4535), and keepalive
    /// builds the phone's SIP/IAX peer and voicemail box because it is active
    /// (ADMIN_keepalive_ALL.pl 3635, 3807, 4804). The phone someone meant to
    /// block still registers and still logs in.
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
    /// To block the phone, set `active = "N"`: that is what VICIdial checks.
    /// If it should work, set `status = "ACTIVE"`.
    pub struct BlockedButListed {
        name: "blocked-but-listed",
        severity: Warning,
        scope: Record,
        summary: "An active phone (active Y) with status SUSPENDED/CLOSED/PENDING: it still logs in, VICIdial never reads status",
        catches: "active Y with status SUSPENDED, CLOSED or PENDING: the phone someone meant to block still logs in and registers, since VICIdial reads only `active`",
    }
}

impl Rule for BlockedButListed {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        out.extend(contradiction(
            ctx,
            &Self::META,
            |active, status| active == Active::Yes && status.is_blocking(),
            "phone `{key}` has status {status} but is active: it still logs in and registers",
            "status {status}: documented as blocking; no VICIdial code reads status",
            "active Y: agent login and the SIP/IAX peer depend on this field only",
            "to block the phone, set active = \"N\" (what VICIdial checks); if it should work, set status = \"ACTIVE\"",
        ));
    }
}
