//! The findings of `phonelint drift`, declared like the check's rules (their
//! doc comment is their documentation, for `phonelint explain` and SARIF)
//! but kept out of the check's registry: no check can produce them, so they
//! have no fixtures of their own, and configuration levels, suppressions and
//! the baseline do not apply to them.

use crate::rules::{RuleMeta, declare_rule};

declare_rule! {
    /// ## What it catches
    /// A record of the repository (a phone by `extension` and `server_ip`, an
    /// alias by `alias_id`, a server by `server_id`) that the database does
    /// not hold. Keys are matched as VICIdial's `utf8_unicode_ci` database
    /// compares them: `CC100` and `cc100 ` are the same extension.
    ///
    /// ## Why it matters
    /// The repository is reviewed; the database is what VICIdial runs
    /// (vicidial-phones.md §2). A phone deleted in the admin UI, or never
    /// added, does not register and no agent can log in with it, whatever
    /// the repository says: keepalive builds peers and voicemail boxes only
    /// from the rows of `phones` (ADMIN_keepalive_ALL.pl 3635, 3807).
    ///
    /// ## Example
    /// The repository declares `cc105@10.10.10.15`; someone deleted it in the
    /// admin UI.
    ///
    /// ## How to fix
    /// If it was removed in production on purpose, remove it from the
    /// repository. Otherwise add it again: `phonelint drift --format sql`
    /// prints the `INSERT`.
    pub struct OnlyInRepository {
        name: "drift-only-in-repository",
        severity: Error,
        scope: Drift,
        summary: "A record of the repository that the database does not hold",
        catches: "a record of the repository that the database does not hold",
    }
}

declare_rule! {
    /// ## What it catches
    /// A row of the database's `phones`, `phones_alias` or `servers` table
    /// that no record of the repository matches (by the same keys as
    /// `drift-only-in-repository`). The finding points into a text that
    /// shows the row as `phonelint import` would write it, named after the
    /// database and the table (`nightly.sql#phones`).
    ///
    /// ## Why it matters
    /// A phone added in the admin UI (admin.php 14910-15021) or through the
    /// API bypasses review: it registers and agents log in with it, yet no
    /// rule of `phonelint check` ever saw it (vicidial-phones.md §2).
    ///
    /// ## Example
    /// Production holds a phone `cc200@10.10.10.15` that the repository does
    /// not declare.
    ///
    /// ## How to fix
    /// If it belongs in production, add it to the repository (the finding
    /// shows it as a definition; `phonelint import --db URL` writes them
    /// all). Otherwise delete it: `phonelint drift --format sql` prints the
    /// `DELETE`.
    pub struct OnlyInDatabase {
        name: "drift-only-in-database",
        severity: Error,
        scope: Drift,
        summary: "A row of the database that no record of the repository matches",
        catches: "a row of the database that no record of the repository matches",
    }
}

declare_rule! {
    /// ## What it catches
    /// A column whose value in the database differs from the repository's,
    /// for a record both hold. An omitted column means VICIdial's schema
    /// default, or NULL (which a definition cannot write); NULL and the
    /// empty string are the same (both read as empty by VICIdial's PHP and
    /// Perl). ENUM columns compare as MySQL stores them
    /// (`y` is `Y`); other values compare exactly, since VICIdial writes them
    /// into Asterisk's configuration as stored. Columns VICIdial writes at
    /// run time are not compared: `messages`, `old_messages`, `phone_ip`,
    /// `computer_ip`, `peer_status`, `ping_time` of phones; `sysload`,
    /// `channels_total`, `cpu_idle_percent`, `disk_usage`, `svn_revision`,
    /// `svn_info`, `system_uptime` and the work flags `rebuild_conf_files`,
    /// `rebuild_music_on_hold`, `sounds_update`, `audio_store_purge` and
    /// `asterisk_temp_no_restart` of servers. A credential's values are never
    /// shown, only that it differs (`--show-secrets` shows them in human
    /// output). A column the repository sets but the database's table lacks
    /// (an older schema) is reported too.
    ///
    /// ## Why it matters
    /// VICIdial changes its own rows (vicidial-phones.md §0, §2, §3):
    /// keepalive writes a voicemail PIN changed on a handset back into
    /// `pass`, with `email` and the voicemail settings
    /// (ADMIN_keepalive_ALL.pl 2752); the admin UI edits any column without
    /// re-checking login uniqueness (admin.php 19710-19777), so a login can
    /// be duplicated in production; the API's update_phone empties
    /// `install_directory` (non_agent_api.php 6374). The work flags are set
    /// by the admin UI and cleared by keepalive and the audio store sync
    /// (admin.php 19748; ADMIN_keepalive_ALL.pl 3003, 5523;
    /// ADMIN_audio_store_sync.pl 218, 230, 569), so comparing them would
    /// only report VICIdial at work.
    ///
    /// ## Example
    /// ```text
    /// `login` of phone `cc102@10.10.10.15` differs: the database has "cc101", the repository "cc102"
    /// ```
    ///
    /// ## How to fix
    /// If production is right, write its value into the repository (and let
    /// `phonelint check` judge it). If the repository is right,
    /// `phonelint drift --format sql` prints the `UPDATE` that restores it.
    pub struct ColumnDiffers {
        name: "drift-column-differs",
        severity: Error,
        scope: Drift,
        summary: "A column whose value in the database differs from the repository's",
        catches: "a column whose value in the database differs from the repository's",
    }
}

/// The drift findings, in the order `phonelint rules` lists them.
pub static RULES: &[&RuleMeta] = &[
    &OnlyInRepository::META,
    &OnlyInDatabase::META,
    &ColumnDiffers::META,
];

/// The drift rule called `name`.
pub fn find(name: &str) -> Option<&'static RuleMeta> {
    RULES.iter().copied().find(|meta| meta.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_like_the_checks_rules_and_named_apart_from_them() {
        for meta in RULES {
            let docs = meta.docs();
            for section in crate::rules::DOC_SECTIONS {
                assert!(docs.contains(section), "{} lacks {section}", meta.name);
            }
            assert!(docs.contains("vicidial-phones.md"), "{}", meta.name);
            assert!(meta.name.starts_with("drift-"));
            assert!(crate::rules::find(meta.name).is_none(), "{}", meta.name);
        }
    }
}
