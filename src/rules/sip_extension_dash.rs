use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::RecordKind;

declare_rule! {
    /// ## What it catches
    /// A SIP, PJSIP or IAX2 phone (an omitted protocol is SIP) whose
    /// `extension` contains a dash.
    ///
    /// ## Why it matters
    /// VICIdial's help on the extension: "For SIP and IAX phones, this field
    /// should not contain any dashes" (help.php 4458). The extension is the
    /// peer's name in the channel (`SIP/cc-100-0000a1f2`), and VICIdial's
    /// live-channel tracking cuts a SIP or PJSIP channel name at its first
    /// dash to find the phone (`s/-\S+$//`, AST_update_AMI2.pl 819): it looks
    /// for `cc`, finds no such phone, and counts the call as a trunk's, not a
    /// client's (vicidial-phones.md §3). Dashes are right for Zap channel-bank phones (`25-1`, the
    /// same help line).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "desk-100"
    /// protocol = "SIP"
    /// ```
    ///
    /// ## How to fix
    /// Use an extension without dashes (`desk100`, `desk_100`).
    pub struct SipExtensionDash {
        name: "sip-extension-dash",
        severity: Warning,
        scope: Record,
        summary: "A SIP, PJSIP or IAX2 phone whose extension contains a dash",
        catches: "a SIP, PJSIP or IAX2 phone whose extension contains a dash (VICIdial's help says not to; channel tracking cuts SIP channel names at the first dash)",
    }
}

impl Rule for SipExtensionDash {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let Some(protocol) = ctx.view.effective("protocol") else {
            return;
        };
        let protocol = protocol.text();
        if !matches!(protocol, "SIP" | "PJSIP" | "IAX2") {
            return;
        }
        let (Some(entry), Some(extension)) =
            (ctx.record.field("extension"), ctx.view.written("extension"))
        else {
            return;
        };
        if !extension.contains('-') {
            return;
        }
        let label = if protocol == "IAX2" {
            "VICIdial's help: no dashes in SIP and IAX extensions".to_owned()
        } else {
            let cut = extension.split('-').next().unwrap_or_default();
            format!("channel tracking cuts `{protocol}/{extension}-...` to `{cut}`")
        };
        out.push(
            ctx.finding(
                &Self::META,
                entry.value.span,
                format!("{protocol} phone extension `{extension}` contains a dash"),
            )
            .with_label(label)
            .with_help("use an extension without dashes, such as letters, digits and `_`"),
        );
    }
}
