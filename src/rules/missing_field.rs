use super::{RecordContext, Rule, RuleMeta, declare_rule};
use crate::finding::Finding;
use crate::load::RecordKind;
use crate::model::REQUIRED_PHONE_COLUMNS;

declare_rule! {
    /// ## What it catches
    /// A phone without one of `extension`, `dialplan_number`, `voicemail_id`,
    /// `server_ip`, `login`, `pass`, `status` or `active`; and a phone whose
    /// `extension`, `dialplan_number`, `voicemail_id`, `server_ip`, `login` or
    /// `pass` is the empty string.
    ///
    /// ## Why it matters
    /// VICIdial's admin refuses to add or modify a phone with an empty
    /// extension, dialplan number, voicemail id, login, password or server IP
    /// (vicidial-phones.md §2, admin.php 14938 and 19723). `status` and `active`
    /// have no sensible default: they decide whether the phone works at all
    /// (§1), so a definition must say what it means.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.15"
    /// status = "ACTIVE"
    /// # no dialplan_number, voicemail_id, login, pass or active
    /// ```
    ///
    /// ## How to fix
    /// Add the missing fields with non-empty values.
    pub struct MissingField {
        name: "missing-field",
        severity: Error,
        summary: "A phone lacks a field VICIdial requires (extension, login, pass, status, active, ...)",
    }
}

impl Rule for MissingField {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let missing: Vec<&str> = REQUIRED_PHONE_COLUMNS
            .into_iter()
            .filter(|name| ctx.record.field(name).is_none())
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let plural = if missing.len() == 1 {
                "field"
            } else {
                "fields"
            };
            out.push(
                ctx.finding(
                    &Self::META,
                    ctx.anchor(),
                    format!("phone `{}` is missing {list}", ctx.key),
                )
                .with_label(format!("this phone has no {list}"))
                .with_help(format!(
                    "add the required {plural}: VICIdial refuses a phone without them"
                )),
            );
        }
        for name in REQUIRED_PHONE_COLUMNS
            .into_iter()
            .filter(|name| !matches!(*name, "status" | "active"))
        {
            if let Some(entry) = ctx.record.field(name)
                && entry.value.value.as_str() == Some("")
            {
                out.push(
                    ctx.finding(&Self::META, entry.value.span, format!("`{name}` is empty"))
                        .with_label("empty")
                        .with_help(format!("VICIdial refuses a phone with an empty `{name}`")),
                );
            }
        }
    }
}
