use super::context::FileContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::{Format, Problem};
use crate::model::Finding;

declare_rule! {
    /// ## What it catches
    /// A key written twice in one table or object: two `extension` keys in a
    /// phone, two `pass` keys, two top-level `phones` arrays. The finding
    /// points at the second key and labels the first.
    ///
    /// ## Why it matters
    /// A reviewer reads the first value; JSON parsers, and so whatever loads
    /// the file into VICIdial's `phones` table (vicidial-phones.md §7), keep
    /// the last. VICIdial would get a different extension, password or server
    /// than the one that was reviewed, and a second `"phones"` array silently
    /// replaces the first. phonelint judges the last value, as the parsers do.
    /// TOML forbids duplicate keys: a TOML loader rejects the file, and
    /// phonelint does not judge the record further.
    ///
    /// ## Example
    /// ```json
    /// {"phones": [{"extension": "cc100", "pass": "Xk29!pq", "pass": "1234"}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep one of the two keys, the one with the value you mean, and delete
    /// the other.
    pub struct DuplicateKey {
        name: "duplicate-key",
        severity: Error,
        scope: File,
        summary: "A key written twice in one table or object (JSON parsers keep the last value)",
        catches: "a key written twice in one table or object: JSON parsers keep the last value, so VICIdial would get another value than the reviewer reads; TOML forbids it",
    }
}

impl Rule for DuplicateKey {
    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let toml = Format::from_path(&ctx.file.path) != Some(Format::Json);
        // A TOML duplicate is invalid TOML in any file; a JSON one matters in
        // definitions only (package.json is not ours to judge).
        if !toml && !ctx.document.is_definition {
            return;
        }
        for problem in &ctx.document.problems {
            let Problem::DuplicateKey {
                key, first, second, ..
            } = problem
            else {
                continue;
            };
            let consequence = if toml {
                "TOML forbids duplicate keys, so the file is invalid and the record is not checked further"
            } else {
                "JSON parsers keep the last value, so VICIdial would get this one, not the first a reviewer reads"
            };
            let mut finding = Finding::new(
                Self::META.name,
                Self::META.severity,
                ctx.file,
                *second,
                format!("key `{key}` is written twice: {consequence}"),
            )
            .with_label("written again here")
            .with_help(format!(
                "keep one `{key}`, the one with the value you mean, and delete the other"
            ));
            if let Some(first) = first {
                finding = finding.with_secondary(*first, "first written here");
            }
            out.push(finding);
        }
    }
}
