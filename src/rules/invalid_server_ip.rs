use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::{Edit, Finding, Fix};
use crate::text::quote::quoted;
use crate::vicidial::RecordKind;
use crate::vicidial::values::is_dotted_ipv4;

declare_rule! {
    /// ## What it catches
    /// A `server_ip` (of a phone or a server), or a phone's `phone_ip` or
    /// `computer_ip` when set, that is not a dotted IPv4 address such as
    /// `10.10.10.15`. Surrounding whitespace around a valid address has a safe
    /// fix.
    ///
    /// ## Why it matters
    /// A phone's `server_ip` names the server it lives on: keepalive builds a
    /// server's peers from `where server_ip='$server_ip'`
    /// (ADMIN_keepalive_ALL.pl 3635) and reads addresses as four dotted parts
    /// (`m/(\S+)\.(\S+)\.(\S+)\.(\S+)/`, ADMIN_keepalive_ALL.pl 3260, 4189),
    /// and the admin API refuses a phone whose server does not exist
    /// (non_agent_api.php 5776; vicidial-phones.md §2). The admin UI keeps
    /// only digits and dots in these fields (admin.php 3554). A host name, a
    /// missing octet or an octet above 255 names no server.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// server_ip = "dialer1.example.com"   # write the server's IPv4 address
    /// ```
    ///
    /// ## How to fix
    /// Write the server's IPv4 address: four numbers 0-255 separated by dots.
    pub struct InvalidServerIp {
        name: "invalid-server-ip",
        severity: Error,
        scope: Record,
        summary: "A server_ip (or a set phone_ip/computer_ip) that is not a dotted IPv4 address",
        catches: "server_ip (of a phone or a server), or a set phone_ip/computer_ip, that is not a dotted IPv4 address",
        fixes: [Safe],
        schema: true,
    }
}

impl Rule for InvalidServerIp {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        let fields: &[&str] = match ctx.record.kind {
            RecordKind::Phone => &["server_ip", "phone_ip", "computer_ip"],
            RecordKind::Server => &["server_ip"],
            RecordKind::Alias => return,
        };
        for &name in fields {
            let Some(entry) = ctx.record.field(name) else {
                continue;
            };
            // Non-strings are invalid-value's; an empty server_ip is missing-field's,
            // and an empty phone_ip or computer_ip is simply not set.
            let Some(written) = entry.value.value.as_str() else {
                continue;
            };
            if written.is_empty() || is_dotted_ipv4(written) {
                continue;
            }
            let span = entry.value.span;
            let finding = ctx
                .finding(
                    &Self::META,
                    span,
                    format!("{name} `{written}` is not a dotted IPv4 address"),
                )
                .with_help("write the IPv4 address: four numbers 0-255 separated by dots, such as 10.10.10.15");
            let trimmed = written.trim();
            out.push(if is_dotted_ipv4(trimmed) {
                finding
                    .with_label("surrounding whitespace")
                    .with_fix(Fix::safe(Edit::replace(span, quoted(trimmed))))
            } else {
                finding.with_label("VICIdial reads four numbers 0-255 separated by dots")
            });
        }
    }
}
