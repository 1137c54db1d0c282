use super::meta::declare_rule;
use super::rule::Rule;

declare_rule! {
    /// ## What it catches
    /// A `# phonelint: allow(rule)` comment with nothing after the closing
    /// parenthesis, or an `[[allow]]` entry in phonelint.toml without a
    /// `reason`. Such a suppression is rejected: the findings it names are
    /// still reported.
    ///
    /// ## Why it matters
    /// Every finding rests on a fact about how VICIdial reads a phone
    /// (vicidial-phones.md §1-§7); accepting one is a decision someone made
    /// for a reason, and the next reader needs that reason to know whether it
    /// still holds. Suppressions are defined in the README
    /// (README.md#suppressions).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "gs102"
    /// status = "ADMIN" # phonelint: allow(inactive-admin)
    /// active = "N"
    /// ```
    ///
    /// ## How to fix
    /// Say why: `# phonelint: allow(inactive-admin) install sample, removed
    /// with ticket 4711`, or `reason = "..."` in the `[[allow]]` entry.
    pub struct SuppressionWithoutReason {
        name: "suppression-without-reason",
        severity: Error,
        scope: Policy,
        summary: "A suppression without a reason; it is rejected",
        catches: "a suppression without a reason; it is rejected",
    }
}

impl Rule for SuppressionWithoutReason {
}
