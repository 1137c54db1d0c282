use super::cross::{each_with_the_others, places, written};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::model::Repository;

declare_rule! {
    /// ## What it catches
    /// Two or more phone aliases with the same `alias_id`, in any files. Each
    /// alias gets its own finding on its `alias_id`, with the others as related
    /// locations. Ids are compared as VICIdial's MySQL compares them: case and accents do not matter and trailing spaces do not count
    /// (the database's `utf8_unicode_ci`, docs/BASE_INSTALL.txt 251).
    ///
    /// ## Why it matters
    /// `alias_id` is the primary key of `phones_alias`
    /// (MySQL_AST_CREATE_tables.sql 2220; vicidial-phones.md §5):
    /// VICIdial stores one of the definitions and refuses the other, so the
    /// members an agent reaches with the alias depend on the order of the import.
    ///
    /// ## Example
    /// ```toml
    /// [[aliases]]
    /// alias_id = "frontdesk"
    /// logins_list = ["cc100", "cc120"]
    ///
    /// [[aliases]]
    /// alias_id = "frontdesk"
    /// logins_list = ["cc101"]
    /// ```
    ///
    /// ## How to fix
    /// Merge the two aliases into one, or rename one of them.
    pub struct DuplicateAlias {
        name: "duplicate-alias",
        severity: Error,
        scope: Repository,
        summary: "Two phone aliases with the same alias_id",
        catches: "two aliases with one alias_id",
    }
}

impl Rule for DuplicateAlias {
    fn check_repository(&self, repository: &Repository, out: &mut Vec<Finding>) {
        for ids in repository
            .index()
            .aliases_by_id
            .values()
            .filter(|ids| ids.len() > 1)
        {
            let total = ids.len();
            each_with_the_others(
                &Self::META,
                &places(repository, ids, "alias_id"),
                |place, _| {
                    format!(
                        "alias_id `{}` is defined {total} times",
                        written(place, "alias_id")
                    )
                },
                "this alias_id is not unique",
                |_| "the same alias_id again".to_owned(),
                "merge the aliases into one, or rename one of them (VICIdial compares alias ids ignoring case and accents)",
                out,
            );
        }
    }
}
