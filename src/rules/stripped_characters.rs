use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::written;
use crate::model::{Edit, Finding, Fix};
use crate::text::quote::quoted;
use crate::vicidial::RecordKind;
use crate::vicidial::values::{KeptCharacters, is_placeholder};
use crate::vicidial::REQUIRED_PHONE_COLUMNS;

declare_rule! {
    /// ## What it catches
    /// A value holding characters that VICIdial's admin UI silently strips
    /// from that field: `dialplan_number`, `outbound_cid`, `outbound_alt_cid`
    /// and the feature extensions (`park_on_extension`, `conf_on_extension`,
    /// `VICIDIAL_park_on_extension`, `monitor_prefix`, `recording_exten`,
    /// `voicemail_exten`, `voicemail_dump_exten`) keep digits only; `login`,
    /// `pass`, `conf_secret`, `template_id`, `user_group`, the manager and
    /// database settings (`ASTmgrUSERNAME`, `ASTmgrSECRET`, `login_user`,
    /// `login_pass`, `login_campaign`, `DBX_*`/`DBY_*` user, pass and
    /// database), `ext_context`, `phone_context`, `mohsuggest` and an alias's
    /// `alias_id` keep letters, digits, `-` and `_`; `extension` also keeps
    /// `*#.:/@`; `email` keeps letters, digits and `-.:/@_` (a `+` goes);
    /// `voicemail_id` keeps letters and digits; `fullname`, `company`,
    /// `phone_type`, `codecs_list` and `alias_name` keep letters, digits,
    /// spaces and `-.,_`; `logins_list` keeps letters, digits and `-,_` (its
    /// spaces go); `voicemail_options` and `voicemail_greeting` keep their own
    /// sets. With `[site] use_non_latin = true`, letters of any script are
    /// kept (except in `voicemail_id`). The message names the characters (for
    /// credentials, only how many). Fields with a closed set of values
    /// (`protocol`, `local_gmt`, `status`, `voicemail_timezone`, the IP
    /// addresses) are judged by their own rules. A credential written as a
    /// placeholder for a secret kept elsewhere (`${NAME}`, `{{ name }}`,
    /// sops's `ENC[...]`; SECURITY.md) is not judged.
    ///
    /// ## Why it matters
    /// The admin UI does not reject these characters: it drops them when the
    /// phone or alias is saved (admin.php 3065-4350, for example
    /// `$email = preg_replace('/[^-\.\:\/\@\_0-9a-zA-Z]/','',$email);` at
    /// 4320; with use_non_latin, admin.php 4413-5092; vicidial-phones.md §2).
    /// A value outside the set loads once, then changes the next time anyone
    /// edits the record in the UI: a dialplan number `830-0` becomes `8300`,
    /// a password `P@ss!` becomes `Pss`.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// dialplan_number = "830-0"   # digits only
    /// fullname = "Émilie"         # É is stripped (unless use_non_latin)
    /// email = "ops+vm@example.com" # + is stripped
    /// ```
    ///
    /// ## How to fix
    /// Write the value with the kept characters only. The fix (unsafe: check
    /// the result means what you want) writes what the admin UI would save.
    pub struct StrippedCharacters {
        name: "stripped-characters",
        severity: Warning,
        scope: Record,
        summary: "A value with characters VICIdial's admin UI silently strips from that field (named)",
        catches: "a value with characters VICIdial's admin UI silently strips from that field (dialplan_number and the feature extensions keep digits, login and the manager/database settings `[-_0-9a-zA-Z]`, email `[-.:/@_0-9a-zA-Z]`, logins_list loses spaces, accents in fullname, ...), named (for credentials, only counted), honouring `[site] use_non_latin`; an unsafe fix writes what the UI would save",
        fixes: [Unsafe],
    }
}

/// Fields whose allowed values are a closed set judged by a rule of its own.
const JUDGED_ELSEWHERE: [&str; 7] = [
    "protocol",
    "local_gmt",
    "status",
    "voicemail_timezone",
    "server_ip",
    "phone_ip",
    "computer_ip",
];

impl Rule for StrippedCharacters {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        for (entry, column) in ctx.fields() {
            let name: &str = &entry.key;
            let Some(column) = column else {
                continue;
            };
            if matches!(entry.value.value, crate::load::Value::Integer(_)) {
                continue;
            }
            // Before any scan of the text: these are several fields of
            // every phone.
            if JUDGED_ELSEWHERE.contains(&name) {
                continue;
            }
            let Some(kept) = KeptCharacters::of(ctx.record.kind, name) else {
                continue;
            };
            // A list written as an array is saved joined with commas.
            let Some(text) = written::stored_text(column, &entry.value.value) else {
                continue;
            };
            let non_latin = ctx.site.use_non_latin;
            let secret = column.secret;
            if (secret && is_placeholder(&text)) || kept.keeps_all(&text, non_latin) {
                continue;
            }
            let stripped: Vec<char> = text
                .chars()
                .filter(|&c| !kept.keeps(c, non_latin))
                .collect();
            let message = if secret {
                let count = match stripped.len() {
                    1 => "a character".to_owned(),
                    n => format!("{n} characters"),
                };
                format!("`{name}` holds {count} that VICIdial's admin UI strips from it")
            } else {
                let mut named: Vec<String> = Vec::new();
                for &c in &stripped {
                    let shown = show(c);
                    if !named.contains(&shown) {
                        named.push(shown);
                    }
                }
                format!(
                    "`{name}` holds {} that VICIdial's admin UI strips from it",
                    named.join(", ")
                )
            };
            let mut finding = ctx
                .finding(&Self::META, entry.value.span, message)
                .with_label(format!("the admin UI keeps only {} here", kept.describe(non_latin)))
                .with_help("keep to those characters: the admin UI changes this value the next time anyone saves the record");
            let kept_text = kept.strip(&text, non_latin);
            // Stripping a required value to nothing would only trade this
            // finding for a missing field: no fix then.
            let empties_required = kept_text.is_empty() && required(ctx.record.kind, name);
            if !secret && !empties_required && entry.value.value.as_str().is_some() {
                finding = finding.with_fix(Fix::unsafe_(Edit::replace(
                    entry.value.span,
                    quoted(&kept_text),
                )));
            }
            out.push(finding);
        }
    }
}

/// A column that must hold a value: a phone's required columns and the key
/// of an alias or a server.
fn required(kind: RecordKind, name: &str) -> bool {
    match kind {
        RecordKind::Phone => REQUIRED_PHONE_COLUMNS.contains(&name),
        RecordKind::Alias => name == "alias_id",
        RecordKind::Server => name == "server_id",
    }
}

/// A character as a message names it.
fn show(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
        '`' => "a backquote".to_owned(),
        c => format!("`{c}`"),
    }
}
