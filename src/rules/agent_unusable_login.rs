use super::{RecordContext, Rule, RuleMeta, declare_rule};
use crate::finding::Finding;
use crate::load::RecordKind;
use crate::model::values::{AGENT_LOGIN_MIN_LEN, agent_login_usable, agent_screen_reading};

declare_rule! {
    /// ## What it catches
    /// A phone `login` or an alias `alias_id` that the agent login screen
    /// cannot use: a character other than a letter or a digit (`-`, `_`, a
    /// space, ...) or fewer than 2 characters; a phone `pass` shorter than 2
    /// characters. Empty values are left to `missing-field`.
    ///
    /// ## Why it matters
    /// The agent login screen keeps only `[,0-9a-zA-Z]` of the typed phone
    /// login and needs a login and a password of at least 2 characters
    /// (vicidial.php 976, 1701; vicidial-phones.md §2). A login `cc-100` is
    /// typed as `cc100` and matches no phone; a one-character password never
    /// passes. The admin UI accepts both, so nobody notices until an agent
    /// cannot log in.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "cc-100"   # the agent screen turns it into cc100
    /// pass = "7"         # too short for the agent screen
    /// ```
    ///
    /// ## How to fix
    /// Use letters and digits only, at least 2 of them, for logins and alias
    /// ids, and a password of at least 2 characters (better, a strong one).
    pub struct AgentUnusableLogin {
        name: "agent-unusable-login",
        severity: Warning,
        summary: "A login or alias_id with characters other than letters and digits or shorter than 2; a pass shorter than 2",
    }
}

impl Rule for AgentUnusableLogin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    // Written before let chains (Rust 1.88) were allowed here.
    #[allow(clippy::collapsible_if)]
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        let login_field = match ctx.record.kind {
            RecordKind::Phone => "login",
            RecordKind::Alias => "alias_id",
            RecordKind::Server => return,
        };
        if let (Some(entry), Some(login)) =
            (ctx.record.field(login_field), ctx.view.written(login_field))
        {
            if !login.is_empty() && !agent_login_usable(&login) {
                let (message, label) = if login.chars().all(|c| c.is_ascii_alphanumeric()) {
                    (
                        format!(
                            "{login_field} `{login}` is shorter than {AGENT_LOGIN_MIN_LEN} characters: the agent login screen refuses it"
                        ),
                        format!("at least {AGENT_LOGIN_MIN_LEN} characters"),
                    )
                } else {
                    let typed = agent_screen_reading(&login);
                    (
                        format!(
                            "{login_field} `{login}` cannot be used at the agent login screen: it keeps only letters and digits"
                        ),
                        format!("the agent screen reads this as `{typed}`"),
                    )
                };
                out.push(
                    ctx.finding(&Self::META, entry.value.span, message)
                        .with_label(label)
                        .with_help(format!(
                            "use letters and digits only, at least {AGENT_LOGIN_MIN_LEN} of them"
                        )),
                );
            }
        }
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        if let (Some(entry), Some(pass)) = (ctx.record.field("pass"), ctx.view.written("pass")) {
            if !pass.is_empty() && pass.chars().count() < AGENT_LOGIN_MIN_LEN {
                out.push(
                    ctx.finding(
                        &Self::META,
                        entry.value.span,
                        format!("`pass` of `{}` is shorter than {AGENT_LOGIN_MIN_LEN} characters: agents cannot log in with it", ctx.key),
                    )
                    .with_label(format!("at least {AGENT_LOGIN_MIN_LEN} characters"))
                    .with_help("set a password of at least 8 characters with lower case, upper case and digits"),
                );
            }
        }
    }
}
