use super::{RecordContext, Rule, RuleMeta, declare_rule, quoted};
use crate::finding::{Edit, Finding, Fix};
use crate::load::RecordKind;
use crate::model::values::{LOCAL_GMT, local_gmt_replacement};

declare_rule! {
    /// ## What it catches
    /// A phone `local_gmt` that is not exactly one of VICIdial's 33 offset
    /// strings (`12.75` ... `0.00` ... `-5.00` ... `-12.00`, always with two
    /// decimals). Another spelling of one of them (`-5`, `-5.0`, `+1.00`, or
    /// an unquoted number) gets the exact string as a safe fix.
    ///
    /// ## Why it matters
    /// `local_gmt` is free text (VARCHAR(6)) in the database, but VICIdial
    /// treats it as one of 33 strings: the admin form offers exactly those, and
    /// the admin API rejects anything else with "YOU MUST USE A VALID TIMEZONE"
    /// (vicidial-phones.md §3). VICIdial's own sample SQL writes `-5`, so the
    /// slip is common. The admin form lists only the 33, so it cannot show
    /// such a value, and any API update of the phone is refused.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// local_gmt = "-5"   # write "-5.00"
    /// ```
    ///
    /// ## How to fix
    /// Write the offset as VICIdial lists it: a quoted string with two
    /// decimals, such as `"-5.00"` or `"5.50"`.
    pub struct InvalidLocalGmt {
        name: "invalid-local-gmt",
        severity: Error,
        summary: "A local_gmt that is not one of VICIdial's 33 exact offset strings (safe fix for -5, -5.0, +1.00)",
    }
}

impl Rule for InvalidLocalGmt {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let (Some(entry), Some(written)) =
            (ctx.record.field("local_gmt"), ctx.view.written("local_gmt"))
        else {
            return;
        };
        let is_string = entry.value.value.as_str().is_some();
        if is_string && LOCAL_GMT.contains(&written.as_ref()) {
            return;
        }
        let span = entry.value.span;
        let shown = if is_string {
            format!("`{written}`")
        } else {
            format!("`{written}` (a number, not text)")
        };
        let finding = ctx.finding(
            &Self::META,
            span,
            format!("local_gmt {shown} is not one of VICIdial's time-zone offsets"),
        );
        out.push(match local_gmt_replacement(&written) {
            Some(exact) => finding
                .with_label(if is_string {
                    format!("VICIdial compares this text exactly; write `{exact}`")
                } else {
                    format!("a number; VICIdial stores the text `{exact}`")
                })
                .with_help(format!("write local_gmt = \"{exact}\""))
                .with_fix(Fix::safe(Edit::replace(span, quoted(exact)))),
            None => finding
                .with_label("not an offset VICIdial offers")
                .with_help(format!(
                    "write one of VICIdial's offsets as a string with two decimals: {}",
                    LOCAL_GMT.join(", ")
                )),
        });
    }
}
