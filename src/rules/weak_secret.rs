use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::{Finding, Severity};
use crate::vicidial::RecordKind;
use crate::vicidial::values::{is_placeholder, secret_weaknesses, shipped_credential};

declare_rule! {
    /// ## What it catches
    /// A phone `conf_secret` shorter than 8 characters or without a lower
    /// case letter, an upper case letter and a digit; a phone `pass` shorter
    /// than 8 characters (its letters are not judged: it is also the voicemail
    /// PIN). Messages say what is missing, never the value. Shipped defaults
    /// (`test`) are left to `default-credential`, empty values to
    /// `missing-field`. A placeholder for a secret kept outside the
    /// repository (`${NAME}`, `{{ name }}`, sops's `ENC[...]`; SECURITY.md)
    /// is not judged: the secret it stands for is not here to judge.
    ///
    /// A site sets its own minimum length with `[site] min_secret_length` in
    /// phonelint.toml. When the site sets VICIdial's `require_password_length`
    /// (`[site] require_password_length`), a `conf_secret` shorter than that
    /// is an error: VICIdial's admin refuses to save the phone (admin.php
    /// 14938, 19723; vicidial-phones.md §2).
    ///
    /// ## Why it matters
    /// VICIdial's own help on `conf_secret` (help.php 4521, vicidial-phones.md
    /// §4): "A strong registration password should be at least 8 characters in
    /// length and have lower case and upper case letters as well as at least
    /// one number." `conf_secret` registers the phone with Asterisk
    /// (ADMIN_keepalive_ALL.pl 3746, 3915). `pass` is the agent screen's phone
    /// password and also the voicemail box's PIN (ADMIN_keepalive_ALL.pl
    /// 3796, 4841), typed on a telephone keypad: only its length is judged.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// pass = "1001"           # short
    /// conf_secret = "lowpass" # no upper case, no digit
    /// ```
    ///
    /// ## How to fix
    /// Use at least 8 characters; for `conf_secret`, mix lower case, upper
    /// case and digits. Keep to letters, digits, `-` and `_`: VICIdial's admin
    /// UI strips every other character from these fields, and a `pass` of
    /// digits is what a keypad can type.
    pub struct WeakSecret {
        name: "weak-secret",
        severity: Warning,
        scope: Record,
        summary: "A conf_secret shorter than 8 characters or without lower case, upper case and a digit; a pass shorter than 8",
        catches: "conf_secret shorter than 8 characters or without lower case, upper case and a digit (VICIdial's own advice); pass shorter than 8 (it is also the voicemail PIN); conf_secret shorter than `[site] require_password_length` (error: VICIdial refuses to save it); a placeholder (`${NAME}`, `{{ name }}`, sops's `ENC[...]`) is not judged",
        also: [Error],
    }
}

impl Rule for WeakSecret {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        for name in ["pass", "conf_secret"] {
            let (Some(entry), Some(secret)) = (ctx.record.field(name), ctx.view.written(name))
            else {
                continue;
            };
            if secret.is_empty()
                || is_placeholder(&secret)
                || shipped_credential(name) == Some(secret.as_ref())
            {
                continue;
            }
            let min_len = ctx.site.min_secret_length;
            let required = ctx.site.require_password_length;
            if name == "conf_secret" && secret.chars().count() < required {
                out.push(
                    ctx.finding(
                        &Self::META,
                        entry.value.span,
                        format!(
                            "`conf_secret` of `{}` is shorter than the site's require_password_length ({required}): VICIdial refuses to save it",
                            ctx.key()
                        ),
                    )
                    .with_severity(Severity::Error)
                    .with_label(format!("shorter than {required} characters"))
                    .with_help(format!("use at least {required} characters with lower case, upper case and digits")),
                );
                continue;
            }
            let mut weaknesses = secret_weaknesses(&secret, min_len);
            if name == "pass" {
                // A voicemail PIN: only its length counts.
                weaknesses.retain(|weakness| weakness.starts_with("shorter"));
            }
            if weaknesses.is_empty() {
                continue;
            }
            out.push(
                ctx.finding(
                    &Self::META,
                    entry.value.span,
                    format!("`{name}` of `{}` is weak: {}", ctx.key(), weaknesses.join(", ")),
                )
                .with_label(weaknesses.join(", "))
                .with_help(if name == "pass" {
                    format!("use at least {min_len} characters (digits are fine: it is also the voicemail PIN)")
                } else {
                    format!("use at least {min_len} characters with lower case, upper case and digits (VICIdial's own advice)")
                }),
            );
        }
    }
}
