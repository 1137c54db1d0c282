use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::RecordKind;
use crate::vicidial::values::is_placeholder;

declare_rule! {
    /// ## What it catches
    /// Only with `[site] api_limits = true`, for sites that apply changes
    /// through VICIdial's admin API: a phone field outside the length
    /// update_phone accepts, counted in bytes as PHP's strlen counts them:
    /// `pass`, `conf_secret`, `fullname` and `phone_context` 2-30,
    /// `voicemail_id` 2-30, `dialplan_number` 3-30, `email` 5-300,
    /// `outbound_cid` 6-18 (when set); and a `phone_ring_timeout` outside
    /// 2-180. A `pass` or `conf_secret` written as a placeholder for a secret
    /// kept elsewhere (`${NAME}`, `{{ name }}`, sops's `ENC[...]`;
    /// SECURITY.md) is not judged.
    ///
    /// ## Why it matters
    /// The columns hold more (pass, conf_secret and email 100 characters),
    /// but update_phone refuses the whole call when one of these fields is
    /// out of its range: "YOU MUST USE A VALID PHONE PASSWORD" and its
    /// siblings (non_agent_api.php 6091, 6110, 6129, 6148, 6177, 6213, 6228,
    /// 6256, 6303; vicidial-phones.md §3). A phone that the admin UI saves
    /// fine cannot be updated through the API.
    ///
    /// ## Example
    /// ```toml
    /// # phonelint.toml: [site] api_limits = true
    /// [[phones]]
    /// conf_secret = "a-registration-secret-of-40-characters!!"
    /// ```
    ///
    /// ## How to fix
    /// Keep the field within the API's range, or leave it out of the API call.
    pub struct ApiFieldLength {
        name: "api-field-length",
        severity: Warning,
        scope: Record,
        summary: "With [site] api_limits: a field outside the length the admin API's update_phone accepts",
        catches: "with `[site] api_limits = true`: a field outside the length the admin API's update_phone accepts (pass, conf_secret, fullname 2-30 bytes, ...)",
    }
}

/// The fields update_phone checks, their ranges in bytes, and the line.
const LIMITS: [(&str, usize, usize, u32); 8] = [
    ("email", 5, 300, 6091),
    ("phone_context", 2, 30, 6110),
    ("fullname", 2, 30, 6129),
    ("conf_secret", 2, 30, 6148),
    ("pass", 2, 30, 6177),
    ("voicemail_id", 2, 30, 6213),
    ("dialplan_number", 3, 30, 6228),
    ("outbound_cid", 6, 18, 6256),
];

impl Rule for ApiFieldLength {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if !ctx.site.api_limits || ctx.record.kind != RecordKind::Phone {
            return;
        }
        for (name, min, max, line) in LIMITS {
            let (Some(entry), Some(text)) = (ctx.record.field(name), ctx.view.written(name)) else {
                continue;
            };
            // Empty values are not sent (and are missing-field's where required).
            let bytes = text.len();
            let secret = matches!(name, "pass" | "conf_secret");
            if bytes == 0 || (secret && is_placeholder(&text)) || (min..=max).contains(&bytes) {
                continue;
            }
            let what = if secret {
                format!("`{name}`")
            } else {
                format!("`{name}` `{text}`")
            };
            out.push(
                ctx.finding(
                    &Self::META,
                    entry.value.span,
                    format!(
                        "{what} is {bytes} bytes long: the API's update_phone takes {min}-{max}"
                    ),
                )
                .with_label(format!("{min}-{max} bytes (non_agent_api.php {line})"))
                .with_help(format!(
                    "keep `{name}` within {min}-{max} bytes, or leave it out of API calls"
                )),
            );
        }
        if let Some(entry) = ctx.record.field("phone_ring_timeout")
            && let crate::load::Value::Integer(seconds) = entry.value.value
            && !(2..=180).contains(&seconds)
        {
            out.push(
                ctx.finding(
                    &Self::META,
                    entry.value.span,
                    format!("phone_ring_timeout {seconds} is outside 2-180: the API's update_phone refuses it"),
                )
                .with_label("2-180 seconds (non_agent_api.php 6303)")
                .with_help("keep phone_ring_timeout within 2-180 seconds"),
            );
        }
    }
}
