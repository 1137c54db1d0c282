use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::RecordKind;

declare_rule! {
    /// ## What it catches
    /// A phone `conf_override` that keepalive ignores, 10 characters or fewer
    /// (but not empty), or that holds its own `[extension]` header line.
    ///
    /// ## Why it matters
    /// Keepalive writes a phone's `conf_override` into the Asterisk peer
    /// configuration only when it is longer than 10 characters
    /// (ADMIN_keepalive_ALL.pl 3735, 3904): a shorter one is silently
    /// ignored. It writes the `[extension]` header itself before the override
    /// when no template applies (ADMIN_keepalive_ALL.pl 3906-3907), and the
    /// help says "This field should NOT contain the [extension] line, that
    /// will be automatically generated" (help.php 4971): a header in the
    /// override starts a second section of the same name (*inferred*:
    /// Asterisk then reads the peer twice; vicidial-phones.md §3).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// conf_override = "[cc100]\ntype=friend\nhost=dynamic\nsecret=Xk4f9Lm2Qa"
    /// ```
    ///
    /// ## How to fix
    /// Remove the `[extension]` line; write the settings only. An override of
    /// 10 characters or fewer has no effect: remove it or complete it.
    pub struct ConfOverrideMisuse {
        name: "conf-override-misuse",
        severity: Warning,
        scope: Record,
        summary: "A conf_override keepalive ignores (10 characters or fewer) or that holds its own [extension] line",
        catches: "a conf_override keepalive ignores (10 characters or fewer) or that holds its own `[extension]` line",
    }
}

impl Rule for ConfOverrideMisuse {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let (Some(entry), Some(text)) = (
            ctx.record.field("conf_override"),
            ctx.view.written("conf_override"),
        ) else {
            return;
        };
        let span = entry.value.span;
        // Perl's length() on the bytes the database returns.
        if !text.is_empty() && text.len() <= 10 {
            out.push(
                ctx.finding(
                    &Self::META,
                    span,
                    format!(
                        "conf_override of `{}` is {} byte{} long: keepalive ignores it",
                        ctx.key(),
                        text.len(),
                        if text.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_label("used only when longer than 10 characters")
                .with_help("remove it, or write the settings it is meant to hold"),
            );
            return;
        }
        let Some(extension) = ctx.view.written("extension") else {
            return;
        };
        let header = format!("[{extension}]");
        if text.lines().any(|line| line.trim() == header) {
            out.push(
                ctx.finding(
                    &Self::META,
                    span,
                    format!(
                        "conf_override of `{}` holds its own `{header}` line",
                        ctx.key()
                    ),
                )
                .with_label("keepalive writes this header itself")
                .with_help(format!(
                    "remove the `{header}` line: write only the settings"
                )),
            );
        }
    }
}
