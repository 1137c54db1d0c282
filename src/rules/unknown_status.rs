use super::{RecordContext, Rule, RuleMeta, declare_rule, quoted};
use crate::finding::{Edit, Finding, Fix};
use crate::load::RecordKind;
use crate::model::Status;
use crate::suggest::closest;

declare_rule! {
    /// ## What it catches
    /// A phone `status` that is not one of VICIdial's five: `ACTIVE`,
    /// `SUSPENDED`, `CLOSED`, `PENDING`, `ADMIN`. A value that differs from one
    /// of them only in case or surrounding whitespace (`"active"`, `"ADMIN "`)
    /// is named as such and has a safe fix; otherwise the nearest status is
    /// suggested, with an unsafe fix (a status decides who can work, so the
    /// user confirms it with `--unsafe-fixes`).
    ///
    /// ## Why it matters
    /// `status` is free text in VICIdial (VARCHAR(10)), so a typo is stored
    /// silently. The admin forms offer exactly the five values above; VICIdial's
    /// documentation says every other status blocks both the GUI clients and the
    /// admin web site, and `DELETED` does not exist (vicidial-phones.md §1, §3).
    /// An unknown status is almost always a typo that changes who can work.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// status = "Admin"      # not ADMIN: blocks access
    /// active = "Y"
    /// ```
    ///
    /// ## How to fix
    /// Write one of the five statuses exactly. To switch a phone off, set
    /// `active = "N"` with `SUSPENDED` or `CLOSED`.
    pub struct UnknownStatus {
        name: "unknown-status",
        severity: Error,
        summary: "A status that is not ACTIVE, SUSPENDED, CLOSED, PENDING or ADMIN",
    }
}

impl Rule for UnknownStatus {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

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
                format!("status `{written}` is not a VICIdial status: it differs from `{known}` {difference}"),
            )
            .with_label(format!("VICIdial compares this exactly; did you mean `{known}`?"))
            .with_help(format!("write `{known}`"))
            .with_fix(Fix::safe(Edit::replace(span, quoted(known))))
        } else if written.is_empty() {
            ctx.finding(
                &Self::META,
                span,
                "status is empty: it blocks the GUI clients and the admin site",
            )
            .with_label("empty status")
            .with_help(help())
        } else {
            let finding = ctx
                .finding(
                    &Self::META,
                    span,
                    format!("status `{written}` is not a VICIdial status"),
                )
                .with_help(help());
            match closest(trimmed, Status::KNOWN) {
                // Unsafe: the status decides who can work; confirm the intent.
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
    "use ACTIVE (GUI clients work), ADMIN (also the admin web site), or SUSPENDED, CLOSED, PENDING (blocked); to switch a phone off, set active = \"N\" with SUSPENDED or CLOSED"
}
