use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::{Edit, Finding, Fix};
use crate::text::quote::quoted;
use crate::text::suggest::closest;
use crate::vicidial::RecordKind;
use crate::vicidial::Status;

declare_rule! {
    /// ## What it catches
    /// A phone `status` that is not one of the five the admin form offers:
    /// `ACTIVE`, `SUSPENDED`, `CLOSED`, `PENDING`, `ADMIN`. A value that
    /// differs from one of them only in case or surrounding whitespace
    /// (`"active"`, `"ADMIN "`) is named as such and has a safe fix;
    /// otherwise the nearest status is suggested, with an unsafe fix (the user
    /// confirms the intent with `--unsafe-fixes`). Unlike an ENUM column,
    /// where MySQL stores `y` as `Y`, this VARCHAR keeps `active` as written.
    ///
    /// ## Why it matters
    /// `status` is free text (VARCHAR(10)): MySQL stores any value as written,
    /// and the modify form shows a stored value as its own option (admin.php
    /// 41156). The add form offers exactly the five above (admin.php
    /// 10843-10852), and only those have a documented meaning (help.php 4571;
    /// vicidial-phones.md §1, §3). No VICIdial code reads `status`, so an
    /// unknown one changes nothing VICIdial does; it makes the declaration
    /// meaningless. It is usually a typo for what someone meant (`SUSPEND`,
    /// `Suspended`), or a status that does not exist (`DELETED`, `DISABLED`)
    /// written to switch a phone off, which only `active = "N"` does.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// status = "DISABLED"   # not a VICIdial status; to switch off: active = "N"
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// Write one of the five statuses exactly. To switch a phone off, set
    /// `active = "N"` (and, if you like, `status = "SUSPENDED"`).
    pub struct UnknownStatus {
        name: "unknown-status",
        severity: Error,
        scope: Record,
        summary: "A status the admin form does not offer (not ACTIVE, SUSPENDED, CLOSED, PENDING or ADMIN)",
        catches: "a status the admin form does not offer (not ACTIVE, SUSPENDED, CLOSED, PENDING, ADMIN); a case or whitespace slip is named as such and has a safe fix, a close misspelling an unsafe one. No VICIdial code reads status",
        fixes: [Safe, Unsafe],
        schema: true,
    }
}

impl Rule for UnknownStatus {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let (Some(entry), Some(Status::Unknown(written))) =
            (ctx.record.field("status"), ctx.view.status())
        else {
            return;
        };
        let span = entry.value.span;
        let trimmed = written.trim();
        let exact = Status::KNOWN
            .into_iter()
            .find(|known| known.eq_ignore_ascii_case(trimmed));
        let finding = if let Some(known) = exact {
            let difference = match (trimmed == written, trimmed == known) {
                (false, true) => "only in surrounding whitespace",
                (true, false) => "only in case",
                _ => "only in case and whitespace",
            };
            ctx.finding(
                &Self::META,
                span,
                format!("status `{written}` is not one of the admin form's statuses: it differs from `{known}` {difference}"),
            )
            .with_label(format!("stored as written (VARCHAR, not an ENUM); the admin form offers `{known}`"))
            .with_help(format!("write `{known}`"))
            .with_fix(Fix::safe(Edit::replace(span, quoted(known))))
        } else if written.is_empty() {
            ctx.finding(
                &Self::META,
                span,
                "status is empty: not one of the admin form's statuses",
            )
            .with_label("empty status")
            .with_help(help())
        } else {
            let finding = ctx
                .finding(
                    &Self::META,
                    span,
                    format!("status `{written}` is not one of the admin form's statuses"),
                )
                .with_help(help());
            match closest(trimmed, Status::KNOWN) {
                // Unsafe: a different word than written; confirm the intent.
                Some(near) => finding
                    .with_label(format!("did you mean `{near}`?"))
                    .with_fix(Fix::unsafe_(Edit::replace(span, quoted(near)))),
                None if trimmed.eq_ignore_ascii_case("DELETED") => {
                    finding.with_label("VICIdial has no DELETED status")
                }
                None => finding.with_label("not one of ACTIVE, SUSPENDED, CLOSED, PENDING, ADMIN"),
            }
        };
        out.push(finding);
    }
}

fn help() -> &'static str {
    "write ACTIVE, SUSPENDED, CLOSED, PENDING or ADMIN (VICIdial never reads status; to switch a phone off, set active = \"N\")"
}
