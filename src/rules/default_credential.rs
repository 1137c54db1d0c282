use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::{Finding, Severity};
use crate::vicidial::RecordKind;
use crate::vicidial::values::{PEER_PROTOCOLS, SHIPPED_CREDENTIALS};

declare_rule! {
    /// ## What it catches
    /// A phone credential left at the value VICIdial ships with: `pass` or
    /// `conf_secret` equal to `test` (error); `ASTmgrSECRET`, `DBX_pass` or
    /// `DBY_pass` equal to `1234` (info: the agent screen does not use them).
    /// An omitted `conf_secret` on a SIP, IAX2 or PJSIP phone is the schema
    /// default `test` and is reported on the record, unless the phone's
    /// `conf_override` replaces the generated entry (longer than 10
    /// characters, no `template_id`). Messages never show the value. A
    /// placeholder for a secret kept elsewhere (`${NAME}`, `{{ name }}`,
    /// sops's `ENC[...]`; SECURITY.md) is not a default and is not reported;
    /// an omitted `conf_secret` still is.
    ///
    /// ## Why it matters
    /// These defaults are public (vicidial-phones.md §4): `conf_secret`, the
    /// SIP/IAX registration secret keepalive writes as `secret=`
    /// (ADMIN_keepalive_ALL.pl 3746, 3915), defaults to `test`
    /// (MySQL_AST_CREATE_tables.sql 74), and the add form pre-fills `pass`,
    /// the phone password and voicemail PIN, from the system setting
    /// default_phone_login_password (admin.php 10831-10839), which the schema
    /// sets to `test` (MySQL_AST_CREATE_tables.sql 1888). Keepalive writes a
    /// `conf_override` longer than 10 characters in place of the generated
    /// entry, `secret=` line included, when no template applies
    /// (ADMIN_keepalive_ALL.pl 3735-3746, 3904-3915). The phone's
    /// `ASTmgrSECRET`, `DBX_pass` and `DBY_pass` default to `1234`
    /// (MySQL_AST_CREATE_tables.sql 21, 59-65), but vicidial.php only copies
    /// them into variables (4559, 4598); the live manager secret is the
    /// server's (`server-default-secret`). `login_pass` has no default. VICIdial's
    /// own install sample phone `gs102` has the password `test`: anyone who
    /// knows VICIdial can register such a phone or log in with it.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "gs102"
    /// pass = "test"        # the shipped default
    /// # no conf_secret: the phone registers with the default secret
    /// ```
    ///
    /// ## How to fix
    /// Set a unique secret of at least 8 characters with lower case, upper
    /// case and digits (VICIdial's own advice, help.php 4521), and write
    /// `conf_secret` explicitly.
    pub struct DefaultCredential {
        name: "default-credential",
        severity: Error,
        scope: Record,
        summary: "A pass or conf_secret left at `test` (an omitted conf_secret included); a phone's manager/database password at `1234` (info)",
        catches: "pass or conf_secret left at VICIdial's shipped `test` (error; an omitted conf_secret on a SIP/IAX2/PJSIP phone too, unless a conf_override replaces the entry); a phone's ASTmgrSECRET, DBX_pass or DBY_pass at `1234` (info: the agent screen does not use them). The value is never printed",
        also: [Info],
    }
}

impl Rule for DefaultCredential {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        for (name, shipped) in SHIPPED_CREDENTIALS {
            let severity = match name {
                "pass" | "conf_secret" => Severity::Error,
                _ => Severity::Info,
            };
            let what = describe(name);
            match ctx.record.field(name) {
                Some(entry) => {
                    if ctx.view.written(name).as_deref() != Some(shipped) {
                        continue;
                    }
                    out.push(
                        ctx.finding(
                            &Self::META,
                            entry.value.span,
                            format!(
                                "`{name}` of `{}` is VICIdial's shipped default {what}",
                                ctx.key()
                            ),
                        )
                        .with_severity(severity)
                        .with_label("a public default value")
                        .with_help(help(name)),
                    );
                }
                None if name == "conf_secret" && builds_peer(ctx) && !overridden(ctx) => {
                    out.push(
                        ctx.finding(
                            &Self::META,
                            ctx.anchor(),
                            format!(
                                "`{}` sets no `conf_secret`: it registers with VICIdial's shipped default secret",
                                ctx.key()
                            ),
                        )
                        .with_severity(severity)
                        .with_label("no conf_secret here: the schema default applies")
                        .with_help(help(name)),
                    );
                }
                None => {}
            }
        }
    }
}

/// Whether keepalive writes the phone's `conf_override` in place of the
/// generated entry and its `secret=` line: longer than 10 characters, and no
/// template (ADMIN_keepalive_ALL.pl 3874, 3904-3911).
fn overridden(ctx: &RecordContext<'_>) -> bool {
    let long_override = ctx
        .view
        .written("conf_override")
        .is_some_and(|text| text.len() > 10);
    let template = ctx
        .view
        .written("template_id")
        .is_some_and(|id| id.len() > 1 && !id.contains("--NONE--"));
    long_override && !template
}

/// An omitted conf_secret matters only where VICIdial builds a peer that
/// registers with it.
fn builds_peer(ctx: &RecordContext<'_>) -> bool {
    ctx.view
        .effective("protocol")
        .is_some_and(|protocol| PEER_PROTOCOLS.contains(&protocol.text()))
}

fn describe(name: &str) -> &'static str {
    match name {
        "pass" => "password (also the voicemail PIN)",
        "conf_secret" => "registration secret",
        "ASTmgrSECRET" => "Asterisk manager secret (unused by the agent screen)",
        _ => "database password (unused by the agent screen)",
    }
}

fn help(name: &str) -> String {
    format!(
        "set `{name}` to a unique secret of at least 8 characters with lower case, upper case and digits"
    )
}
