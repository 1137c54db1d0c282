use super::context::{RecordContext, contradiction};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::{Active, Status};

declare_rule! {
    /// ## What it catches
    /// A phone with `active = "N"` and `status = "ADMIN"`.
    ///
    /// ## Why it matters
    /// The two fields look alike and are not (vicidial-phones.md §1).
    /// `active` is what VICIdial checks: agent login requires `active = 'Y'`
    /// (vicidial.php 4324, 4535), and keepalive builds SIP/IAX peers and
    /// voicemail boxes only for active phones (ADMIN_keepalive_ALL.pl 3635,
    /// 3807, 3971, 4804). `status` is documented as the permission, ADMIN
    /// "allows access to this administrative web site" (help.php 4571), but no
    /// VICIdial code reads it: vicidial.php 4548 copies it into `$status` and
    /// never uses it, and the admin web login is decided by `vicidial_users`
    /// (functions.php 117). So this phone is simply off. What is wrong is the
    /// declaration: it says the phone is switched off and, by the
    /// documentation, that it holds admin access, and a reviewer cannot tell
    /// which was meant. VICIdial's own install sample (`gs102`) is an ADMIN
    /// phone; a retired copy of it is the usual source.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "gs102"
    /// status = "ADMIN"
    /// active = "N"
    /// ```
    ///
    /// ## How to fix
    /// If the phone is retired, say so in the status too: `status =
    /// "SUSPENDED"` or `"CLOSED"`. If it should work, set `active = "Y"`.
    pub struct InactiveAdmin {
        name: "inactive-admin",
        severity: Error,
        scope: Record,
        summary: "An inactive phone (active N) declared with status ADMIN",
        catches: "active N with status ADMIN: the declaration contradicts itself (status is documented as admin access, and read by no code)",
    }
}

impl Rule for InactiveAdmin {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        out.extend(contradiction(
            ctx,
            &Self::META,
            |active, status| active == Active::No && *status == Status::Admin,
            "inactive phone `{key}` is declared with status ADMIN",
            "documented as admin web access; no VICIdial code reads status",
            "active N: no agent login, no SIP/IAX peer, no voicemail box",
            "if the phone is retired, set status = \"SUSPENDED\" (or \"CLOSED\"); if it should work, set active = \"Y\"",
        ));
    }
}
