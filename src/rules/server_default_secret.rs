use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::RecordKind;

declare_rule! {
    /// ## What it catches
    /// A server whose `conf_secret` is VICIdial's shipped `test` or whose
    /// `ASTmgrSECRET` is the shipped `1234`, written or left out (the schema
    /// default applies). Messages never show the value.
    ///
    /// ## Why it matters
    /// Both are live secrets (vicidial-phones.md §4). Keepalive writes the
    /// server's `conf_secret` into the IAX peers `[ASTloop]`, `[ASTblind]` and
    /// `[ASTplay]` with `context=default`, `auth=plaintext` and
    /// `permit=0.0.0.0/0.0.0.0` (ADMIN_keepalive_ALL.pl 3179-3218), and into
    /// a peer for each other server (3279-3288), which dials and registers
    /// with it (3268-3270): anyone who can reach the server's
    /// IAX port and knows VICIdial's default can place calls in its default
    /// context. `ASTmgrSECRET` is the Asterisk manager (AMI) secret VICIdial's
    /// own daemons log in with (AST_update_AMI2.pl 158). The schema's
    /// defaults are `test` and `1234` (MySQL_AST_CREATE_tables.sql 154, 125);
    /// the add form uses the system setting default_server_password
    /// (admin.php 15171), itself `test` by default (MySQL_AST_CREATE_tables.sql
    /// 1889).
    ///
    /// ## Example
    /// ```toml
    /// [[servers]]
    /// server_id = "TESTast"
    /// server_ip = "10.10.10.15"
    /// # no conf_secret, no ASTmgrSECRET: test and 1234
    /// ```
    ///
    /// ## How to fix
    /// Set a unique `conf_secret` (the IAX secret between servers) and a
    /// unique `ASTmgrSECRET` (also set in the server's manager.conf), each of
    /// letters, digits, `-` and `_`.
    pub struct ServerDefaultSecret {
        name: "server-default-secret",
        severity: Error,
        scope: Record,
        summary: "A server's conf_secret at `test` or ASTmgrSECRET at `1234` (written or omitted): live IAX and AMI secrets",
        catches: "a server's conf_secret at `test` or ASTmgrSECRET at `1234`, written or omitted: the live IAX secret between servers and the AMI secret",
    }
}

/// The server's live secrets, their shipped values and what they are.
const SERVER_SECRETS: [(&str, &str, &str); 2] = [
    (
        "conf_secret",
        "test",
        "IAX secret between servers (ASTloop, ASTblind, ASTplay peers)",
    ),
    ("ASTmgrSECRET", "1234", "Asterisk manager (AMI) secret"),
];

impl Rule for ServerDefaultSecret {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Server {
            return;
        }
        for (name, shipped, what) in SERVER_SECRETS {
            let help = format!("set a unique `{name}`: it is the server's {what}");
            match ctx.record.field(name) {
                Some(entry) => {
                    if ctx.view.written(name).as_deref() == Some(shipped) {
                        out.push(
                            ctx.finding(
                                &Self::META,
                                entry.value.span,
                                format!(
                                    "`{name}` of server `{}` is VICIdial's shipped default {what}",
                                    ctx.key()
                                ),
                            )
                            .with_label("a public default value")
                            .with_help(help),
                        );
                    }
                }
                None => out.push(
                    ctx.finding(
                        &Self::META,
                        ctx.anchor(),
                        format!(
                            "server `{}` sets no `{name}`: its {what} is VICIdial's shipped default",
                            ctx.key()
                        ),
                    )
                    .with_label(format!("no {name} here: the schema default applies"))
                    .with_help(help),
                ),
            }
        }
    }
}
