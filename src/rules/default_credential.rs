use super::{RecordContext, Rule, RuleMeta, declare_rule};
use crate::finding::{Finding, Severity};
use crate::load::RecordKind;
use crate::model::Status;
use crate::model::values::{PEER_PROTOCOLS, SHIPPED_CREDENTIALS};

declare_rule! {
    /// ## What it catches
    /// A phone credential left at the value VICIdial ships with: `pass`,
    /// `conf_secret` or `login_pass` equal to `test` (error), `ASTmgrSECRET`,
    /// `DBX_pass` or `DBY_pass` equal to `1234` (warning). An omitted
    /// `conf_secret` on a SIP, IAX2 or PJSIP phone is the schema default
    /// `test` and is reported on the record. Messages never show the value.
    ///
    /// ## Why it matters
    /// These defaults are public (vicidial-phones.md §4): `conf_secret` (the
    /// SIP/IAX registration secret) defaults to `test` in the schema, the add
    /// form pre-fills `pass` with `test`, and the manager and database
    /// passwords default to `1234`. `pass` is also the voicemail PIN. VICIdial's
    /// own install sample phone `gs102` has status ADMIN and password `test`:
    /// anyone who knows VICIdial can register that phone or log in with it.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "gs102"
    /// pass = "test"        # the shipped default
    /// status = "ADMIN"
    /// # no conf_secret: the phone registers with the default secret
    /// ```
    ///
    /// ## How to fix
    /// Set a unique secret of at least 8 characters with lower case, upper
    /// case and digits (VICIdial's own advice), and write `conf_secret`
    /// explicitly.
    pub struct DefaultCredential {
        name: "default-credential",
        severity: Error,
        summary: "A pass, conf_secret or login_pass left at `test`, or a manager/database password at `1234` (an omitted conf_secret included)",
    }
}

impl Rule for DefaultCredential {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let admin = ctx
            .record
            .field("status")
            .filter(|_| ctx.view.status() == Some(Status::Admin));
        for (name, shipped) in SHIPPED_CREDENTIALS {
            let severity = match name {
                "pass" | "conf_secret" | "login_pass" => Severity::Error,
                _ => Severity::Warning,
            };
            let what = describe(name);
            match ctx.record.field(name) {
                Some(entry) => {
                    if ctx.view.written(name).as_deref() != Some(shipped) {
                        continue;
                    }
                    let mut finding = ctx
                        .finding(
                            &Self::META,
                            entry.value.span,
                            format!(
                                "`{name}` of `{}` is VICIdial's shipped default {what}",
                                ctx.key
                            ),
                        )
                        .with_severity(severity)
                        .with_label("a public default value")
                        .with_help(help(name));
                    if let (Some(status), "pass" | "login_pass") = (admin, name) {
                        finding = finding.with_secondary(
                            status.value.span,
                            "ADMIN: this password also opens the admin web site",
                        );
                    }
                    out.push(finding);
                }
                None if name == "conf_secret" && builds_peer(ctx) => {
                    out.push(
                        ctx.finding(
                            &Self::META,
                            ctx.anchor(),
                            format!(
                                "`{}` sets no `conf_secret`: it registers with VICIdial's shipped default secret",
                                ctx.key
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
        "login_pass" => "GUI client login password",
        "ASTmgrSECRET" => "Asterisk manager secret",
        _ => "database password",
    }
}

fn help(name: &str) -> String {
    format!(
        "set `{name}` to a unique secret of at least 8 characters with lower case, upper case and digits"
    )
}
