use super::context::{RecordContext, mysql_outcome};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::{Edit, Finding, Fix, Severity};
use crate::text::quote::quoted;
use crate::text::suggest::closest;
use crate::vicidial::RecordKind;
use crate::vicidial::collation::collation_eq;
use crate::vicidial::values::{API_PROTOCOLS, DAHDI, PROTOCOLS};

declare_rule! {
    /// ## What it catches
    /// A phone `protocol` that is not one of `SIP`, `PJSIP`, `Zap`, `IAX2`,
    /// `EXTERNAL`. `DAHDI` gets its own message. A value MySQL matches to one
    /// of them, ignoring case and accents (`"sip"`), is a warning with a safe
    /// fix. A `PJSIP` phone gets a note (info) about the admin API.
    ///
    /// ## Why it matters
    /// `protocol` is an ENUM of exactly those five values
    /// (MySQL_AST_CREATE_tables.sql 18; PJSIP since upgrade_2.14.sql 1803;
    /// vicidial-phones.md §3). Under VICIdial's `utf8_unicode_ci` collation
    /// `sip` is stored as `SIP`. Anything else is refused under a strict
    /// sql_mode (MariaDB's default) and stored as the empty string without
    /// one, and keepalive builds peers only for `protocol='SIP'`, `'IAX2'` or
    /// `'PJSIP'` (ADMIN_keepalive_ALL.pl 3635, 3807, 3971). The admin UI
    /// offers `DAHDI` (admin.php 10875, 41206), but the column cannot store
    /// it; the agent screen turns `Zap` into DAHDI itself at login
    /// (vicidial.php 4681-4687), so `Zap` is the value to write. The admin
    /// API's add_phone refuses PJSIP (non_agent_api.php 5765), and
    /// update_phone refuses a protocol other than IAX2, SIP, Zap and EXTERNAL
    /// when one is given (non_agent_api.php 6161-6163): the API can change a
    /// PJSIP phone's other fields, but cannot create one.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// protocol = "DAHDI"   # the column has no DAHDI
    /// ```
    ///
    /// ## How to fix
    /// Write one of the five protocols exactly. Channel-bank phones in
    /// VICIdial's own samples use `Zap`.
    pub struct InvalidProtocol {
        name: "invalid-protocol",
        severity: Error,
        scope: Record,
        summary: "A protocol other than SIP, PJSIP, Zap, IAX2, EXTERNAL (DAHDI named); a case slip stored as the right value; a note for PJSIP",
        catches: "protocol not one of SIP, PJSIP, Zap, IAX2, EXTERNAL; DAHDI named (the admin UI offers it, the column cannot store it); a case slip is stored as the right value (warning, safe fix); an info note for PJSIP, which the admin API cannot create",
        also: [Warning, Info],
        fixes: [Safe],
        schema: true,
    }
}

impl Rule for InvalidProtocol {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let Some(entry) = ctx.record.field("protocol") else {
            return;
        };
        // A protocol that is not a string is invalid-value's.
        let Some(written) = entry.value.value.as_str() else {
            return;
        };
        let span = entry.value.span;
        let finding = |message: String| ctx.finding(&Self::META, span, message);
        if written == "PJSIP" {
            out.push(
                finding(format!(
                    "PJSIP phone `{}`: the admin API cannot create it or set its protocol",
                    ctx.key()
                ))
                .with_severity(Severity::Info)
                .with_label(format!(
                    "add_phone and update_phone's protocol accept only {}",
                    API_PROTOCOLS.join(", ")
                ))
                .with_help("create this phone through the admin web UI (or this repository); the API's update_phone can still change its other fields"),
            );
            return;
        }
        if PROTOCOLS.contains(&written) {
            return;
        }
        let trimmed = written.trim();
        let help = format!("write one of {}", PROTOCOLS.join(", "));
        let refused = mysql_outcome(&ctx.site, "stores an empty protocol");
        if let Some(known) = PROTOCOLS.iter().find(|known| collation_eq(known, written)) {
            out.push(
                finding(format!("protocol `{written}` is stored as `{known}`"))
                    .with_severity(Severity::Warning)
                    .with_label(format!(
                        "MySQL matches ENUM values ignoring case: stored as `{known}`"
                    ))
                    .with_help(format!("write `{known}`, as VICIdial stores it"))
                    .with_fix(Fix::safe(Edit::replace(span, quoted(known)))),
            );
        } else if trimmed.eq_ignore_ascii_case(DAHDI) {
            out.push(
                finding(format!(
                    "protocol `{written}` cannot be stored: VICIdial's protocol column has no DAHDI"
                ))
                .with_label("the admin UI offers DAHDI, but the ENUM has no such value")
                .with_help(format!(
                    "{help}; channel-bank phones in VICIdial's own samples use `Zap`, which the agent screen turns into DAHDI itself; {refused}"
                )),
            );
        } else if let Some(known) = PROTOCOLS
            .iter()
            .find(|known| known.eq_ignore_ascii_case(trimmed))
        {
            out.push(
                finding(format!(
                    "protocol `{written}` is not a VICIdial protocol: write `{known}`"
                ))
                .with_label(format!("leading whitespace: did you mean `{known}`?"))
                .with_help(format!("write `{known}`; {refused}"))
                .with_fix(Fix::safe(Edit::replace(span, quoted(known)))),
            );
        } else {
            let label = match closest(trimmed, PROTOCOLS.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("not one of {}", PROTOCOLS.join(", ")),
            };
            out.push(
                finding(format!("protocol `{written}` is not a VICIdial protocol"))
                    .with_label(label)
                    .with_help(format!("{help}; {refused}")),
            );
        }
    }
}
