use super::meta::declare_rule;
use super::rule::Rule;

declare_rule! {
    /// ## What it catches
    /// A suppression that allows nothing: a `# phonelint: allow(rule) reason`
    /// comment, or an `[[allow]]` entry in phonelint.toml, with no finding of
    /// that rule where it points; or one that names a rule that does not exist.
    ///
    /// ## Why it matters
    /// A suppression documents an accepted exception to a fact about VICIdial
    /// (vicidial-phones.md §1-§7). Once the record is fixed, renamed or deleted,
    /// a stale suppression no longer documents anything, and it would silently
    /// hide the same problem if it came back. Suppressions are defined in the
    /// README (README.md#suppressions); this rule keeps them from outliving
    /// their cause.
    ///
    /// ## Example
    /// ```toml
    /// # phonelint: allow(inactive-admin) kept for the audit until March
    /// [[phones]]
    /// extension = "gs102"
    /// status = "SUSPENDED"
    /// active = "N"
    /// ```
    ///
    /// ## How to fix
    /// Remove the comment or `[[allow]]` entry. A comment on its own line
    /// allows the key or `[[phones]]` header directly below it; at the end of a
    /// line it allows that line. Check the rule name for typos.
    pub struct UnusedSuppression {
        name: "unused-suppression",
        severity: Warning,
        scope: Policy,
        summary: "A suppression comment or [[allow]] entry that allows no finding",
        catches: "a suppression comment or `[[allow]]` entry that allows nothing (see [Suppressions](#suppressions))",
    }
}

impl Rule for UnusedSuppression {}
