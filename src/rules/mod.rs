//! The rules: one file each, declared once (`declare_rule!` in the file, one
//! line in `rules!` below). A rule's doc comment is its documentation and
//! feeds `phonelint explain`, SARIF and the README's table; its fixtures are
//! `fixtures/rules/NAME/{bad,clean}`.

mod context;
mod cross;
pub mod meta;
mod related;
mod rule;

use std::sync::LazyLock;

pub use context::{FileContext, RecordContext, contradiction, mysql_outcome, record_anchor};
pub(crate) use meta::declare_rule;
pub use meta::{DOC_SECTIONS, Declared, RuleMeta, Scope};
pub use related::Related;
pub use rule::Rule;

/// Registers each rule: its module and its struct, in the order `phonelint
/// rules` lists them.
macro_rules! rules {
    ($($module:ident :: $rule:ident),* $(,)?) => {
        $(
            mod $module;
            pub use $module::$rule;
        )*

        /// Every rule, in the order `phonelint rules` lists them.
        pub static RULES: &[&dyn Rule] = &[$(&$rule),*];
    };
}

rules! {
    parse_error::ParseError,
    duplicate_key::DuplicateKey,
    unknown_field::UnknownField,
    missing_field::MissingField,
    invalid_value::InvalidValue,
    value_too_long::ValueTooLong,
    enum_index_number::EnumIndexNumber,
    unknown_status::UnknownStatus,
    inactive_admin::InactiveAdmin,
    inactive_with_access::InactiveWithAccess,
    blocked_but_listed::BlockedButListed,
    invalid_protocol::InvalidProtocol,
    invalid_local_gmt::InvalidLocalGmt,
    invalid_server_ip::InvalidServerIp,
    stripped_characters::StrippedCharacters,
    agent_unusable_login::AgentUnusableLogin,
    default_credential::DefaultCredential,
    weak_secret::WeakSecret,
    runtime_field::RuntimeField,
    trunk_phone_type::TrunkPhoneType,
    webphone_setting_ignored::WebphoneSettingIgnored,
    server_default_secret::ServerDefaultSecret,
    conf_override_misuse::ConfOverrideMisuse,
    unknown_voicemail_timezone::UnknownVoicemailTimezone,
    sip_extension_dash::SipExtensionDash,
    api_field_length::ApiFieldLength,
    duplicate_extension::DuplicateExtension,
    duplicate_login::DuplicateLogin,
    login_alias_collision::LoginAliasCollision,
    duplicate_alias::DuplicateAlias,
    duplicate_server::DuplicateServer,
    alias_unknown_login::AliasUnknownLogin,
    alias_member_unusable::AliasMemberUnusable,
    alias_mixed_passwords::AliasMixedPasswords,
    alias_shared_server::AliasSharedServer,
    unknown_server::UnknownServer,
    inactive_server::InactiveServer,
    duplicate_dialplan_number::DuplicateDialplanNumber,
    shared_voicemail_mismatch::SharedVoicemailMismatch,
    phone_without_peer::PhoneWithoutPeer,
    alias_member_server_unusable::AliasMemberServerUnusable,
    cross_server_dialplan_collision::CrossServerDialplanCollision,
    unused_suppression::UnusedSuppression,
    suppression_without_reason::SuppressionWithoutReason,
    stale_baseline_entry::StaleBaselineEntry,
}

/// The rules of one scope, in registry order.
fn of_scope(scope: Scope) -> Vec<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .filter(|rule| rule.meta().scope == scope)
        .collect()
}

/// The rules the check calls for each record.
pub fn record_rules() -> &'static [&'static dyn Rule] {
    static RECORD: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| of_scope(Scope::Record));
    &RECORD
}

/// The rules the check calls once for the whole repository.
pub fn repository_rules() -> &'static [&'static dyn Rule] {
    static REPOSITORY: LazyLock<Vec<&'static dyn Rule>> =
        LazyLock::new(|| of_scope(Scope::Repository));
    &REPOSITORY
}

/// The rule called `name`.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| rule.meta().name == name)
}

/// Whether the rule called `name` is off unless configured: looked up for
/// every finding, so from a list of the few that are.
pub fn is_off_by_default(name: &str) -> bool {
    static OFF: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        names()
            .filter(|name| find(name).is_some_and(|rule| rule.meta().off_by_default))
            .collect()
    });
    OFF.contains(&name)
}

/// The names of every rule, for "did you mean" suggestions.
pub fn names() -> impl Iterator<Item = &'static str> + Clone {
    RULES.iter().map(|rule| rule.meta().name)
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
            if meta.scope == Scope::Policy {
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
            if matches!(meta.scope, Scope::Policy | Scope::File) {
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
}
