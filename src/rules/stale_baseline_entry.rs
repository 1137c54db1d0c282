use super::meta::declare_rule;
use super::rule::Rule;

declare_rule! {
    /// ## What it catches
    /// An entry of the baseline given with `--baseline` that matches no
    /// finding any more: the problem was fixed, or the record or file it was
    /// on is gone.
    ///
    /// ## Why it matters
    /// A baseline freezes the findings a repository had when phonelint was
    /// adopted, each resting on a fact about VICIdial (vicidial-phones.md
    /// §1-§7), so that only new ones fail a check. An entry whose finding is
    /// gone would let the same problem come back unnoticed; reporting it keeps
    /// the baseline shrinking. The workflow is described in the README
    /// (README.md#baseline).
    ///
    /// ## Example
    /// ```json
    /// {"fingerprint": "0c4e2d9f3a1b7e55", "rule": "inactive-admin",
    ///  "path": "phones/admin.toml", "record": "gs102@10.10.10.15", "field": "status"}
    /// ```
    /// after `gs102` was given `status = "SUSPENDED"`.
    ///
    /// ## How to fix
    /// Run `phonelint baseline` again and commit the smaller file.
    pub struct StaleBaselineEntry {
        name: "stale-baseline-entry",
        severity: Info,
        scope: Policy,
        summary: "A baseline entry that matches no finding any more",
        catches: "a baseline entry that matches no finding any more (see [Baseline](#baseline))",
    }
}

impl Rule for StaleBaselineEntry {
}
