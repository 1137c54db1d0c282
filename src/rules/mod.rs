//! The rule registry. One rule, one file; the rule's doc comment is its
//! documentation and feeds `phonelint explain`.

use std::sync::Arc;

use crate::config::SiteFacts;
use crate::finding::{Finding, Severity};
use crate::load::{Document, Entry, Record, RecordKind};
use crate::model::{Active, Column, RecordView, Repository, Status};
use crate::source::{SourceFile, Span};

mod blocked_but_listed;
mod duplicate_key;
mod inactive_admin;
mod inactive_with_access;
mod invalid_value;
mod missing_field;
mod parse_error;
mod stale_baseline_entry;
mod suppression_without_reason;
mod unknown_field;
mod unknown_status;
mod unused_suppression;
mod value_too_long;
// Rules on one record (issue 3).
mod agent_unusable_login;
mod default_credential;
mod enum_index_number;
mod invalid_local_gmt;
mod invalid_protocol;
mod invalid_server_ip;
mod runtime_field;
mod stripped_characters;
mod trunk_phone_type;
mod weak_secret;
mod webphone_setting_ignored;
// Rules on one record grounded in a reading of VICIdial's code.
mod api_field_length;
mod conf_override_misuse;
mod server_default_secret;
mod sip_extension_dash;
mod unknown_voicemail_timezone;

pub use stale_baseline_entry::StaleBaselineEntry;
pub use suppression_without_reason::SuppressionWithoutReason;
pub use unused_suppression::UnusedSuppression;
// Rules across the repository.
mod alias_member_unusable;
mod alias_mixed_passwords;
mod alias_shared_server;
mod alias_unknown_login;
mod cross;
mod duplicate_alias;
mod duplicate_dialplan_number;
mod duplicate_extension;
mod duplicate_login;
mod duplicate_server;
mod inactive_server;
mod login_alias_collision;
mod shared_voicemail_mismatch;
mod unknown_server;
// Rules across the repository grounded in a reading of VICIdial's code.
mod alias_member_server_unusable;
mod cross_server_dialplan_collision;
mod phone_without_peer;

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// The stable identifier users write in configs.
    pub name: &'static str,
    pub severity: Severity,
    /// One line for `phonelint rules`.
    pub summary: &'static str,
    /// The rule's doc comment, as written (each line keeps rustdoc's leading space).
    raw_docs: &'static str,
}

impl RuleMeta {
    pub const fn new(
        name: &'static str,
        severity: Severity,
        summary: &'static str,
        raw_docs: &'static str,
    ) -> Self {
        Self {
            name,
            severity,
            summary,
            raw_docs,
        }
    }

    /// The rule's documentation, in Markdown.
    pub fn docs(&self) -> String {
        let mut docs = String::with_capacity(self.raw_docs.len());
        for line in self.raw_docs.lines() {
            docs.push_str(line.strip_prefix(' ').unwrap_or(line));
            docs.push('\n');
        }
        docs.trim().to_owned()
    }
}

/// Declares a rule: a unit struct whose doc comment becomes its documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $rule:ident {
            name: $name:literal,
            severity: $severity:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $rule;

        impl $rule {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta::new(
                $name,
                $crate::finding::Severity::$severity,
                $summary,
                concat!($($doc, "\n"),*),
            );
        }
    };
}
pub(crate) use declare_rule;

/// A file as the file-level rules see it.
pub struct FileContext<'a> {
    pub file: &'a Arc<SourceFile>,
    pub document: &'a Document,
}

/// A record as the record-level rules see it.
pub struct RecordContext<'a> {
    pub file: &'a Arc<SourceFile>,
    pub record: &'a Record,
    pub view: RecordView<'a>,
    pub key: String,
    /// Each field's column (`None` for a key that is none), in field order:
    /// looked up once per record for the rules that read every field.
    columns: Vec<Option<&'static Column>>,
    /// The site's VICIdial facts from phonelint.toml (`[site]`), e.g. the
    /// minimum secret length `weak-secret` enforces.
    pub site: SiteFacts,
}

impl<'a> RecordContext<'a> {
    pub fn new(file: &'a Arc<SourceFile>, record: &'a Record) -> Self {
        let view = RecordView::new(record);
        let columns = record
            .fields
            .iter()
            .map(|entry| crate::model::column(record.kind, &entry.key))
            .collect();
        Self {
            file,
            record,
            key: view.key(),
            columns,
            view,
            site: SiteFacts::default(),
        }
    }

    /// Every field with its column (`None` for a key that is not one).
    pub fn fields(&self) -> impl Iterator<Item = (&'a Entry, Option<&'static Column>)> + '_ {
        self.record.fields.iter().zip(self.columns.iter().copied())
    }

    /// The same record judged with a site's facts.
    pub fn with_site(mut self, site: SiteFacts) -> Self {
        self.site = site;
        self
    }

    /// A finding about this record, with the rule's default severity.
    pub fn finding(&self, meta: &RuleMeta, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(meta.name, meta.severity, self.file, span, message)
            .with_record(self.record.kind, self.key.clone())
    }

    /// The first line of the record (`[[phones]]`, or the opening of the JSON
    /// object): where to point when something is missing from it.
    pub fn anchor(&self) -> Span {
        record_anchor(self.file, self.record)
    }
}

/// The first line of a record, for findings about the record as a whole.
pub fn record_anchor(file: &SourceFile, record: &Record) -> Span {
    let text = file.slice(record.span);
    let first_line = text.find('\n').map_or(text.len(), |end| end);
    let first_line = text.get(..first_line).unwrap_or("").trim_end();
    Span::new(record.span.start, record.span.start + first_line.len())
}

/// The finding of a contradiction between `active` and `status`: the primary
/// label on the status, a secondary label on `active`, both ways out in help.
/// `{key}` and `{status}` in the texts are replaced by the record's values.
pub fn contradiction(
    ctx: &RecordContext<'_>,
    meta: &RuleMeta,
    applies: impl Fn(Active, &Status) -> bool,
    message: &str,
    status_label: &str,
    active_label: &str,
    help: &str,
) -> Option<Finding> {
    if ctx.record.kind != RecordKind::Phone {
        return None;
    }
    let (active, status) = (ctx.view.active()?, ctx.view.status()?);
    if !applies(active, &status) {
        return None;
    }
    let status_entry = ctx.record.field("status")?;
    let active_entry = ctx.record.field("active")?;
    let fill = |text: &str| {
        text.replace("{key}", &ctx.key)
            .replace("{status}", status.as_str())
    };
    Some(
        ctx.finding(meta, status_entry.value.span, fill(message))
            .with_label(fill(status_label))
            .with_secondary(active_entry.value.span, fill(active_label))
            .with_help(fill(help)),
    )
}

pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks a whole file (syntax, top-level keys). Called for every file read,
    /// definitions or not.
    fn check_file(&self, _ctx: &FileContext<'_>, _out: &mut Vec<Finding>) {}

    /// Checks one record on its own. Not called for records a syntax error damaged.
    fn check_record(&self, _ctx: &RecordContext<'_>, _out: &mut Vec<Finding>) {}

    /// Checks records across the whole repository.
    fn check_repository(&self, _repository: &Repository, _out: &mut Vec<Finding>) {}
}

/// Every rule, in the order `phonelint rules` lists them.
pub static RULES: &[&dyn Rule] = &[
    &parse_error::ParseError,
    &duplicate_key::DuplicateKey,
    &unknown_field::UnknownField,
    &missing_field::MissingField,
    &invalid_value::InvalidValue,
    &value_too_long::ValueTooLong,
    &enum_index_number::EnumIndexNumber,
    &unknown_status::UnknownStatus,
    &inactive_admin::InactiveAdmin,
    &inactive_with_access::InactiveWithAccess,
    &blocked_but_listed::BlockedButListed,
    // Rules on one record (issue 3).
    &invalid_protocol::InvalidProtocol,
    &invalid_local_gmt::InvalidLocalGmt,
    &invalid_server_ip::InvalidServerIp,
    &stripped_characters::StrippedCharacters,
    &agent_unusable_login::AgentUnusableLogin,
    &default_credential::DefaultCredential,
    &weak_secret::WeakSecret,
    &runtime_field::RuntimeField,
    &trunk_phone_type::TrunkPhoneType,
    &webphone_setting_ignored::WebphoneSettingIgnored,
    &server_default_secret::ServerDefaultSecret,
    &conf_override_misuse::ConfOverrideMisuse,
    &unknown_voicemail_timezone::UnknownVoicemailTimezone,
    &sip_extension_dash::SipExtensionDash,
    &api_field_length::ApiFieldLength,
    // Rules across the repository.
    &duplicate_extension::DuplicateExtension,
    &duplicate_login::DuplicateLogin,
    &login_alias_collision::LoginAliasCollision,
    &duplicate_alias::DuplicateAlias,
    &duplicate_server::DuplicateServer,
    &alias_unknown_login::AliasUnknownLogin,
    &alias_member_unusable::AliasMemberUnusable,
    &alias_mixed_passwords::AliasMixedPasswords,
    &alias_shared_server::AliasSharedServer,
    &unknown_server::UnknownServer,
    &inactive_server::InactiveServer,
    &duplicate_dialplan_number::DuplicateDialplanNumber,
    &shared_voicemail_mismatch::SharedVoicemailMismatch,
    &phone_without_peer::PhoneWithoutPeer,
    &alias_member_server_unusable::AliasMemberServerUnusable,
    &cross_server_dialplan_collision::CrossServerDialplanCollision,
    &UnusedSuppression,
    &SuppressionWithoutReason,
    &StaleBaselineEntry,
];

/// The sections every rule's documentation has, in order.
pub const DOC_SECTIONS: [&str; 4] = [
    "## What it catches",
    "## Why it matters",
    "## Example",
    "## How to fix",
];

/// Rules about phonelint's own suppressions and baseline rather than about
/// VICIdial records: the policy stage reports them (their `check_*` methods do
/// nothing), and their documentation cites the README section that defines
/// the mechanism as well as the domain reference.
pub const POLICY_RULES: &[&str] = &[
    "unused-suppression",
    "suppression-without-reason",
    "stale-baseline-entry",
];

/// Rules that report nothing unless a configuration turns them on (`[rules]
/// NAME = "info"`): what they catch is a style a team may want, not a
/// problem of VICIdial's.
pub const OFF_BY_DEFAULT: &[&str] = &["inactive-with-access"];

/// The rule called `name`.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| rule.meta().name == name)
}

/// What MySQL does with a value its column cannot hold, as far as the site's
/// `[site] strict_sql_mode` says: a strict sql_mode (MariaDB's default since
/// 10.2.4) refuses the row; without one MySQL keeps going and `lax` says what
/// it stores ("stores ''", "truncates it to 15 characters").
pub fn mysql_outcome(site: &SiteFacts, lax: &str) -> String {
    match site.strict_sql_mode {
        Some(true) => "the site's strict sql_mode refuses the row".to_owned(),
        Some(false) => format!("MySQL {lax} (the site's sql_mode is not strict)"),
        None => format!(
            "a strict sql_mode (MariaDB's default) refuses the row; without one MySQL {lax}"
        ),
    }
}

/// JSON string literal, valid in TOML basic strings too: the replacement text
/// of fixes that rewrite a value.
pub fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut names: Vec<_> = RULES.iter().map(|r| r.meta().name).collect();
        for name in &names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
        }
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn every_rule_is_documented_in_sections() {
        for rule in RULES {
            let meta = rule.meta();
            let docs = meta.docs();
            for section in DOC_SECTIONS {
                assert!(docs.contains(section), "{} lacks {section}", meta.name);
            }
            assert!(
                docs.contains("vicidial-phones.md"),
                "{} cites no domain fact",
                meta.name
            );
            if POLICY_RULES.contains(&meta.name) {
                assert!(
                    docs.contains("README.md#"),
                    "{} cites no README section defining it",
                    meta.name
                );
            }
            assert!(!meta.summary.is_empty());
        }
    }

    /// The VICIdial source files rule documentation cites (build 250808).
    const VICIDIAL_FILES: [&str; 16] = [
        "admin.php",
        "vicidial.php",
        "non_agent_api.php",
        "help.php",
        "functions.php",
        "phone_only.php",
        "astguiclient.php",
        "ADMIN_keepalive_ALL.pl",
        "AST_update.pl",
        "AST_update_AMI2.pl",
        "AST_manager_listen_AMI2.pl",
        "AST_vm_update.pl",
        "AST_phone_update.pl",
        "MySQL_AST_CREATE_tables.sql",
        "upgrade_2.14.sql",
        "BASE_INSTALL.txt",
    ];

    /// Rules about the files themselves, before any VICIdial fact: their
    /// documentation has no VICIdial line to cite.
    const FORMAT_RULES: [&str; 2] = ["parse-error", "duplicate-key"];

    /// Every `FILE LINE` citation in `docs` (`vicidial.php 4324`, `admin.php
    /// 3065-4350`): the file name and the line that follows it.
    fn citations(docs: &str) -> Vec<(String, String)> {
        let words: Vec<&str> = docs.split_whitespace().collect();
        words
            .windows(2)
            .filter_map(|pair| {
                let file = pair[0].trim_start_matches(['(', '`', '"']);
                let line = pair[1];
                let is_source = [".php", ".pl", ".sql", ".txt"]
                    .iter()
                    .any(|ext| file.ends_with(ext));
                let is_line = line.starts_with(|c: char| c.is_ascii_digit());
                (is_source && is_line).then(|| (file.to_owned(), line.to_owned()))
            })
            .collect()
    }

    #[test]
    fn every_rule_cites_the_vicidial_lines_it_rests_on() {
        let mut problems = Vec::new();
        for rule in RULES {
            let meta = rule.meta();
            if POLICY_RULES.contains(&meta.name) || FORMAT_RULES.contains(&meta.name) {
                continue;
            }
            let cited = citations(&meta.docs());
            if cited.is_empty() {
                problems.push(format!(
                    "{} cites no VICIdial file and line (e.g. `vicidial.php 4324`)",
                    meta.name
                ));
            }
            for (file, _) in &cited {
                let name = file.rsplit('/').next().unwrap_or(file);
                if !VICIDIAL_FILES.contains(&name) {
                    problems.push(format!(
                        "{} cites `{file}`, not a VICIdial file phonelint knows",
                        meta.name
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert_eq!(
            citations("keepalive (ADMIN_keepalive_ALL.pl 3635, 3807) and help.php 4571."),
            [
                ("ADMIN_keepalive_ALL.pl".to_owned(), "3635,".to_owned()),
                ("help.php".to_owned(), "4571.".to_owned())
            ]
        );
    }

    #[test]
    fn policy_rules_are_registered() {
        for name in POLICY_RULES.iter().chain(OFF_BY_DEFAULT) {
            assert!(find(name).is_some(), "{name}");
        }
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(quoted("ACTIVE"), "\"ACTIVE\"");
        assert_eq!(quoted("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000A\"");
    }
}
