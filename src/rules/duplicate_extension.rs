use super::cross::{each_with_the_others, places};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// Two or more phones with the same `extension` on the same `server_ip`, in
    /// any files. Each phone gets its own finding on its `extension`, with the
    /// others as related locations. Values are compared as VICIdial's MySQL
    /// compares them: case and accents do not matter and trailing spaces do not count
    /// (the database's `utf8_unicode_ci`, docs/BASE_INSTALL.txt 251).
    ///
    /// ## Why it matters
    /// `(extension, server_ip)` is the only unique key of VICIdial's `phones`
    /// table (index `extenserver`, MySQL_AST_CREATE_tables.sql 112;
    /// vicidial-phones.md §2), and the admin UI checks it before adding a
    /// phone (admin.php 14910): the database refuses the second phone, so one
    /// of the two definitions can never be loaded, and which one wins depends
    /// on the order of the import (checked against a real MariaDB by
    /// tests/mariadb.rs).
    ///
    /// ## Example
    /// ```toml
    /// # floor1.toml
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.15"
    ///
    /// # more.toml
    /// [[phones]]
    /// extension = "cc100"        # the same phone again
    /// server_ip = "10.10.10.15"
    /// ```
    ///
    /// ## How to fix
    /// Keep one definition of the phone: delete the copy, or give it another
    /// extension (or move it to the server it really lives on).
    pub struct DuplicateExtension {
        name: "duplicate-extension",
        severity: Error,
        scope: Repository,
        summary: "Two phones with the same (extension, server_ip), VICIdial's only unique key",
        catches: "two phones with the same (extension, server_ip): VICIdial's only unique key",
    }
}

impl Rule for DuplicateExtension {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for ids in repository
            .index()
            .phones_by_extension
            .values()
            .filter(|ids| ids.len() > 1)
        {
            let total = ids.len();
            each_with_the_others(
                &Self::META,
                &places(repository, ids, "extension"),
                |place, _| {
                    format!(
                        "phone `{}` is defined {total} times: (extension, server_ip) must be unique",
                        place.at.key()
                    )
                },
                "this (extension, server_ip) is not unique",
                |_| "the same (extension, server_ip) again".to_owned(),
                "keep one definition of the phone: delete the copy or give it another extension (VICIdial compares extensions ignoring case and accents)",
                out,
            );
        }
    }
}
