use super::{RecordContext, Rule, RuleMeta, declare_rule, quoted};
use crate::finding::{Edit, Finding, Fix, Severity};
use crate::load::RecordKind;
use crate::model::values::{API_PROTOCOLS, DAHDI, PROTOCOLS};
use crate::suggest::closest;

declare_rule! {
    /// ## What it catches
    /// A phone `protocol` that is not one of `SIP`, `PJSIP`, `Zap`, `IAX2`,
    /// `EXTERNAL`. `DAHDI` gets its own message. A case slip (`"sip"`) has a
    /// safe fix. A `PJSIP` phone gets a note (info): the admin API cannot
    /// manage it.
    ///
    /// ## Why it matters
    /// `protocol` is an ENUM of exactly those five values (vicidial-phones.md
    /// §3): MySQL stores anything else as the empty string, and VICIdial
    /// builds no peer for the phone. The admin UI offers `DAHDI`, but the
    /// column cannot store it, so choosing it there silently breaks the phone.
    /// The admin API accepts only `IAX2`, `SIP`, `Zap` and `EXTERNAL`, so every
    /// API call about a PJSIP phone fails.
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
        summary: "A protocol other than SIP, PJSIP, Zap, IAX2, EXTERNAL (DAHDI named); a note for PJSIP",
    }
}

impl Rule for InvalidProtocol {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

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
                    "PJSIP phone `{}`: the admin API cannot manage it",
                    ctx.key
                ))
                .with_severity(Severity::Info)
                .with_label(format!("the API accepts only {}", API_PROTOCOLS.join(", ")))
                .with_help("manage this phone through the admin web UI (or this repository); API calls about it fail"),
            );
            return;
        }
        if PROTOCOLS.contains(&written) {
            return;
        }
        let trimmed = written.trim();
        let help = format!("write one of {}", PROTOCOLS.join(", "));
        if trimmed.eq_ignore_ascii_case(DAHDI) {
            out.push(
                finding(format!(
                    "protocol `{written}` cannot be stored: VICIdial's protocol column has no DAHDI"
                ))
                .with_label("the admin UI offers DAHDI, but MySQL stores it as an empty protocol")
                .with_help(format!(
                    "{help}; channel-bank phones in VICIdial's own samples use `Zap`"
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
                .with_label(format!(
                    "the ENUM compares exactly; did you mean `{known}`?"
                ))
                .with_help(format!("write `{known}`"))
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
                    .with_help(help),
            );
        }
    }
}
