use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::RecordKind;
use crate::vicidial::values::{
    AGENT_LOGIN_MIN_LEN, agent_login_usable, agent_pass_keeps, agent_screen_reading,
    is_placeholder,
};

declare_rule! {
    /// ## What it catches
    /// A phone `login` or an alias `alias_id` that cannot be typed on the
    /// agent login screen: a character other than a letter or a digit (`-`,
    /// `_`, a space, ...) or fewer than 2 characters. A phone `pass` shorter
    /// than 2 characters, or with characters the screen strips (anything but
    /// letters, digits, `-` and `_`; the message counts them, never shows
    /// them). With `[site] use_non_latin = true`, letters of any script count
    /// as letters. Empty values are left to `missing-field`; a `pass` that is a
    /// placeholder for a secret kept elsewhere (`${NAME}`, `{{ name }}`,
    /// sops's `ENC[...]`; SECURITY.md) is not judged.
    ///
    /// ## Why it matters
    /// The agent login screen keeps only `[,0-9a-zA-Z]` of the typed phone
    /// login and `[-_0-9a-zA-Z]` of the typed phone password (vicidial.php
    /// 976-977; with use_non_latin, any letter, 993-994), and needs both at
    /// least 2 characters long (vicidial.php 1701; vicidial-phones.md §2). A
    /// login `cc-100` is read as `cc100` and matches no phone; a password
    /// `P@ss-1` is read as `Pss-1` and never matches. Such a phone is not
    /// useless: when the typed login or password is shorter than 2, the screen
    /// takes the user's default phone login and password from `vicidial_users`
    /// without filtering them (vicidial.php 1636-1644), and an alias names its
    /// members without the filter (4296). A password shorter than 2 fails the
    /// check at 1701 whichever way it came.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "cc-100"   # the agent screen reads cc100
    /// pass = "7"         # too short for the agent screen
    /// ```
    ///
    /// ## How to fix
    /// Use letters and digits only, at least 2 of them, for logins and alias
    /// ids, and a password of letters, digits, `-` and `_` (better, a strong
    /// one).
    pub struct AgentUnusableLogin {
        name: "agent-unusable-login",
        severity: Warning,
        scope: Record,
        summary: "A login, alias_id or pass that cannot be typed on the agent login screen (characters it strips, or shorter than 2)",
        catches: "a login or alias_id the agent login screen cannot type (characters other than letters and digits, or shorter than 2); a pass shorter than 2 or with characters the screen strips",
    }
}

impl Rule for AgentUnusableLogin {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        let non_latin = ctx.site.use_non_latin;
        let login_field = match ctx.record.kind {
            RecordKind::Phone => "login",
            RecordKind::Alias => "alias_id",
            RecordKind::Server => return,
        };
        if let (Some(entry), Some(login)) =
            (ctx.record.field(login_field), ctx.view.written(login_field))
            && !login.is_empty()
            && !agent_login_usable(&login, non_latin)
        {
            let typed = agent_screen_reading(&login, non_latin);
            let (message, label) = if typed == *login && login.contains(',') {
                (
                    format!(
                        "{login_field} `{login}` cannot be typed on the agent login screen: it reads commas as a list of logins"
                    ),
                    "a comma separates logins (vicidial.php 4301)".to_owned(),
                )
            } else if typed == *login {
                (
                    format!(
                        "{login_field} `{login}` cannot be typed on the agent login screen: it needs at least {AGENT_LOGIN_MIN_LEN} characters"
                    ),
                    format!("at least {AGENT_LOGIN_MIN_LEN} characters"),
                )
            } else {
                (
                    format!(
                        "{login_field} `{login}` cannot be typed on the agent login screen: it keeps only letters and digits"
                    ),
                    format!("the agent screen reads this as `{typed}`"),
                )
            };
            out.push(
                ctx.finding(&Self::META, entry.value.span, message)
                    .with_label(label)
                    .with_help(format!(
                        "use letters and digits only, at least {AGENT_LOGIN_MIN_LEN} of them (as it is, only a user's default phone or an alias can reach it)"
                    )),
            );
        }
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        let (Some(entry), Some(pass)) = (ctx.record.field("pass"), ctx.view.written("pass")) else {
            return;
        };
        if pass.is_empty() || is_placeholder(&pass) {
            return;
        }
        if pass.chars().count() < AGENT_LOGIN_MIN_LEN {
            out.push(
                ctx.finding(
                    &Self::META,
                    entry.value.span,
                    format!("`pass` of `{}` is shorter than {AGENT_LOGIN_MIN_LEN} characters: the agent screen never accepts it", ctx.key()),
                )
                .with_label(format!("at least {AGENT_LOGIN_MIN_LEN} characters"))
                .with_help("set a password of at least 8 characters of letters, digits, `-` and `_`"),
            );
            return;
        }
        let stripped = pass
            .chars()
            .filter(|&c| !agent_pass_keeps(c, non_latin))
            .count();
        if stripped > 0 {
            let count = match stripped {
                1 => "a character".to_owned(),
                n => format!("{n} characters"),
            };
            out.push(
                ctx.finding(
                    &Self::META,
                    entry.value.span,
                    format!("`pass` of `{}` holds {count} the agent login screen strips: a typed password never matches", ctx.key()),
                )
                .with_label("the agent screen keeps only letters, digits, `-` and `_`")
                .with_help("use letters, digits, `-` and `_` only (as it is, only a user's default phone can use it, vicidial.php 1636-1644)"),
            );
        }
    }
}
