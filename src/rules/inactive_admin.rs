use super::{RecordContext, Rule, RuleMeta, contradiction, declare_rule};
use crate::finding::Finding;
use crate::model::{Active, Status};

declare_rule! {
    /// ## What it catches
    /// A phone with `active = "N"` and `status = "ADMIN"`.
    ///
    /// ## Why it matters
    /// The two fields look alike and are not (vicidial-phones.md §1). `active`
    /// (Active Account) lists the phone in the GUI client's picker, and VICIdial
    /// builds SIP/IAX peers and allows agent login only for active phones.
    /// `status` is the permission: `ADMIN` also opens the admin web site. An
    /// inactive account holding admin access is a contradiction: the record
    /// grants the strongest permission to an account that is switched off and
    /// hidden, the kind of leftover that reopens access when someone later flips
    /// `active` back to `Y`.
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
    /// If the phone is retired, take the access away too: `status = "SUSPENDED"`
    /// or `"CLOSED"`. If it should work as an admin phone, set `active = "Y"`.
    pub struct InactiveAdmin {
        name: "inactive-admin",
        severity: Error,
        summary: "An inactive phone (active N) that holds ADMIN status",
    }
}

impl Rule for InactiveAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        out.extend(contradiction(
            ctx,
            &Self::META,
            |active, status| active == Active::No && *status == Status::Admin,
            "inactive phone `{key}` holds ADMIN status",
            "status ADMIN grants GUI and admin web access",
            "active N: the account is switched off and hidden; no peer is built",
            "if the phone is retired, set status = \"SUSPENDED\" (or \"CLOSED\"); if it should work, set active = \"Y\"",
        ));
    }
}
