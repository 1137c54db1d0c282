use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::text::suggest::closest;
use crate::vicidial::RecordKind;
use crate::vicidial::values::VOICEMAIL_TIMEZONES;

declare_rule! {
    /// ## What it catches
    /// A phone `voicemail_timezone` that is not one of the zones VICIdial
    /// defines by default (`eastern`, `central`, `pacific`, `uk`, `european`,
    /// ... 38 in all); the nearest is suggested.
    ///
    /// ## Why it matters
    /// Keepalive writes the value as `tz=` into the phone's line of
    /// voicemail.conf (ADMIN_keepalive_ALL.pl 3796, 4841), and the zones it
    /// can name are the keys of the system setting `voicemail_timezones`,
    /// whose default VICIdial's schema sets (MySQL_AST_CREATE_tables.sql
    /// 5478; vicidial-phones.md §3). A name that is not among them gives the
    /// box a zone Asterisk does not know (*inferred*: its messages are then
    /// announced in the server's own time). A site that added zones to the
    /// system setting can turn this rule off.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// voicemail_timezone = "Eastern"   # the zone is `eastern`
    /// ```
    ///
    /// ## How to fix
    /// Write one of VICIdial's zone names exactly (the message suggests the
    /// nearest).
    pub struct UnknownVoicemailTimezone {
        name: "unknown-voicemail-timezone",
        severity: Warning,
        scope: Record,
        summary: "A voicemail_timezone that is not one of VICIdial's default voicemail zones",
        catches: "a voicemail_timezone that is not one of VICIdial's default voicemail zones",
    }
}

impl Rule for UnknownVoicemailTimezone {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let (Some(entry), Some(zone)) = (
            ctx.record.field("voicemail_timezone"),
            ctx.view.written("voicemail_timezone"),
        ) else {
            return;
        };
        if VOICEMAIL_TIMEZONES.contains(&zone.as_ref()) {
            return;
        }
        let finding = ctx
            .finding(
                &Self::META,
                entry.value.span,
                format!("voicemail_timezone `{zone}` is not one of VICIdial's voicemail zones"),
            )
            .with_help(format!(
                "write one of VICIdial's zone names: {}",
                VOICEMAIL_TIMEZONES.join(", ")
            ));
        out.push(match closest(&zone, VOICEMAIL_TIMEZONES.iter().copied()) {
            Some(near) => finding.with_label(format!("did you mean `{near}`?")),
            None => finding.with_label("not a key of VICIdial's voicemail_timezones"),
        });
    }
}
