use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::RecordKind;
use crate::vicidial::values::is_trunk_phone_type;

declare_rule! {
    /// ## What it catches
    /// A phone whose `phone_type` contains `trunk`, in any case (`Trunk`,
    /// `SIP TRUNK`).
    ///
    /// ## Why it matters
    /// `phone_type` looks like a free-text description, but VICIdial's
    /// live-channel tracking reads the phones of a server with `phone_type NOT
    /// LIKE "%trunk%"` (AST_update_AMI2.pl 1274; AST_update.pl 373, which
    /// keeps IAX2 clients from being labelled trunks): a device whose
    /// phone_type contains "trunk" is left out of the phones and its channels
    /// are counted as a trunk's (vicidial-phones.md §3). Under the database's
    /// `utf8_unicode_ci` collation LIKE ignores case, so `Trunk` counts too.
    /// That is right for a trunk defined as a phone and a surprise for a
    /// phone described as, say, "Desk phone near Trunk room".
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// phone_type = "SIP Trunk to branch office"
    /// ```
    ///
    /// ## How to fix
    /// Nothing, if the device is a trunk. Otherwise describe it without the
    /// word "trunk".
    pub struct TrunkPhoneType {
        name: "trunk-phone-type",
        severity: Info,
        scope: Record,
        summary: "A phone_type containing \"trunk\" in any case: VICIdial tracks the device as a trunk",
        catches: "phone_type containing \"trunk\", in any case: VICIdial tracks the device as a trunk",
    }
}

impl Rule for TrunkPhoneType {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let (Some(entry), Some(phone_type)) = (
            ctx.record.field("phone_type"),
            ctx.view.written("phone_type"),
        ) else {
            return;
        };
        if !is_trunk_phone_type(&phone_type) {
            return;
        }
        out.push(
            ctx.finding(
                &Self::META,
                entry.value.span,
                format!(
                    "`{}` is tracked by VICIdial as a trunk, not a phone",
                    ctx.key()
                ),
            )
            .with_label("contains \"trunk\" (in any case)")
            .with_help("if the device is not a trunk, describe it without the word \"trunk\""),
        );
    }
}
