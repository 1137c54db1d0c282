use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::Value;
use crate::model::{Edit, Finding, Fix, Severity};
use crate::text::bytes::same_short;
use crate::text::quote::quoted;
use crate::vicidial::RecordKind;
use crate::vicidial::values::{LOCAL_GMT, local_gmt_replacement};

declare_rule! {
    /// ## What it catches
    /// A phone's or a server's `local_gmt` that is not one of the 33 offset
    /// strings the add form offers (`12.75` ... `0.00` ... `-5.00` ...
    /// `-12.00`, always with two decimals). Another spelling of one of them
    /// (`-5`, `-5.0`, `+1.00`, or an unquoted number) is a warning with the
    /// exact string as a safe fix; another number is a warning; text that is
    /// not a number is an error.
    ///
    /// ## Why it matters
    /// `local_gmt` is free text (VARCHAR(6)). The add forms offer exactly the
    /// 33 strings (admin.php 10880 for phones, 41561 for servers) and the
    /// API's add_phone refuses anything else with "YOU MUST USE A VALID
    /// TIMEZONE" (non_agent_api.php 5821). But the modify form keeps a stored
    /// value (admin.php 41208), update_phone checks only that it is not empty
    /// (non_agent_api.php 6071), and the agent screen uses it as a number,
    /// `$local_gmt + $isdst` (vicidial.php 4646): `-5` works, and VICIdial's
    /// own sample SQL writes it (vicidial-phones.md §3, §8). Text that is not
    /// a number breaks that sum (*inferred*: PHP 7 reads it as 0 with a
    /// warning, PHP 8 stops with a TypeError).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// local_gmt = "-5"    # works; the form writes "-5.00"
    /// [[servers]]
    /// local_gmt = "EST"   # not a number
    /// ```
    ///
    /// ## How to fix
    /// Write the offset as the add form lists it: a quoted string with two
    /// decimals, such as `"-5.00"` or `"5.50"`.
    pub struct InvalidLocalGmt {
        name: "invalid-local-gmt",
        severity: Error,
        scope: Record,
        summary: "A local_gmt that is not a number (error) or not one of the add form's 33 offset strings (warning; safe fix for -5, -5.0, +1.00)",
        catches: "a phone's or server's local_gmt that is not a number (error), or a number other than the add form's 33 strings (warning); `-5`, `-5.0`, `+1.00` and unquoted numbers get the exact string as a safe fix",
        also: [Warning],
        fixes: [Safe],
        schema: true,
    }
}

impl Rule for InvalidLocalGmt {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind == RecordKind::Alias {
            return;
        }
        let (Some(entry), Some(written)) =
            (ctx.record.field("local_gmt"), ctx.view.written("local_gmt"))
        else {
            return;
        };
        let is_string = entry.value.value.as_str().is_some();
        if !is_string && !matches!(entry.value.value, Value::Integer(_) | Value::Float(_)) {
            // Booleans and tables are invalid-value's.
            return;
        }
        // Compared without a call to the library per offset: every phone
        // has one.
        let known = |gmt: &&str| same_short(gmt.as_bytes(), written.as_bytes());
        if is_string && LOCAL_GMT.iter().any(known) {
            return;
        }
        let span = entry.value.span;
        let shown = if is_string {
            format!("`{written}`")
        } else {
            format!("`{written}` (a number, not text)")
        };
        if !is_php_numeric(&written) {
            out.push(
                ctx.finding(
                    &Self::META,
                    span,
                    format!("local_gmt {shown} is not a number"),
                )
                .with_label("the agent screen adds this to the DST offset as a number")
                .with_help(format!(
                    "write one of the add form's offsets as a string with two decimals: {}",
                    LOCAL_GMT.join(", ")
                )),
            );
            return;
        }
        let finding = ctx
            .finding(
                &Self::META,
                span,
                format!("local_gmt {shown} is not one of the add form's offset strings"),
            )
            .with_severity(Severity::Warning);
        out.push(match local_gmt_replacement(&written) {
            Some(exact) => finding
                .with_label(if is_string {
                    format!("VICIdial reads it as a number; the form writes `{exact}`")
                } else {
                    format!("a number; the form writes the text `{exact}`")
                })
                .with_help(format!("write local_gmt = \"{exact}\""))
                .with_fix(Fix::safe(Edit::replace(span, quoted(exact)))),
            None => finding
                .with_label("a number, but no offset the add form offers")
                .with_help(format!(
                    "write one of the add form's offsets as a string with two decimals: {}",
                    LOCAL_GMT.join(", ")
                )),
        });
    }
}

/// Whether PHP takes `text` as a number (`is_numeric`): optional surrounding
/// whitespace, a sign, digits with an optional decimal point, an optional
/// exponent.
fn is_php_numeric(text: &str) -> bool {
    let text = text.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok =
        !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::is_php_numeric;

    #[test]
    fn numbers_as_php_reads_them() {
        for yes in ["-5", "-5.00", "+1", " 9.5 ", ".5", "5.", "1e3", "-1.5E-2"] {
            assert!(is_php_numeric(yes), "{yes}");
        }
        for no in ["", "EST", "-", ".", "5a", "1e", "--5", "5 5", "GMT-5"] {
            assert!(!is_php_numeric(no), "{no}");
        }
    }
}
