use super::context::{RecordContext, contradiction};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::{Active, Status};

declare_rule! {
    /// ## What it catches
    /// A phone with `active = "N"` and `status = "ACTIVE"`. Off by default:
    /// turn it on with `inactive-with-access = "info"` (or another level) in
    /// `[rules]` if your team writes a blocking status on every phone it
    /// switches off.
    ///
    /// ## Why it matters
    /// It is not a contradiction VICIdial cares about. `active` alone decides
    /// whether the phone works: agent login requires `active = 'Y'`
    /// (vicidial.php 4324, 4535) and keepalive builds peers only for active
    /// phones (ADMIN_keepalive_ALL.pl 3635, 3807). `status` is never read
    /// (vicidial-phones.md §1): ACTIVE is only documented as letting the GUI
    /// clients work (help.php 4571). And ACTIVE is what the admin form selects
    /// by default (admin.php 10850), so a phone switched off the usual way,
    /// by setting Active Account to N, keeps it. Some teams still want the
    /// status to say "off" too; for them this rule exists.
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
    /// If the phone should work, set `active = "Y"`. If it is off on purpose
    /// and your team wants the status to say so, set `status = "SUSPENDED"`
    /// or `"CLOSED"`.
    pub struct InactiveWithAccess {
        name: "inactive-with-access",
        severity: Info,
        scope: Record,
        summary: "An inactive phone (active N) with status ACTIVE, the UI's default (off by default)",
        catches: "active N with status ACTIVE, what the UI leaves when a phone is switched off; for teams that want the status to say \"off\" too",
        off_by_default: true,
    }
}

impl Rule for InactiveWithAccess {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        out.extend(contradiction(
            ctx,
            &Self::META,
            |active, status| active == Active::No && *status == Status::Active,
            "inactive phone `{key}` keeps status ACTIVE",
            "status ACTIVE: documented as working; no VICIdial code reads status",
            "active N: the phone is off (no agent login, no SIP/IAX peer)",
            "if the phone should work, set active = \"Y\"; to say it is off in the status too, set status = \"SUSPENDED\" (or \"CLOSED\")",
        ));
    }
}
