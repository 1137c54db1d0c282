//! What a rule declares about itself, once, with its documentation
//! (`declare_rule!`).

use crate::model::{Applicability, Severity};

/// Where a rule looks, which is where the check calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A whole file: its syntax, its keys ([`Rule::check_file`]).
    File,
    /// One record on its own ([`Rule::check_record`]; `check_file` too, for
    /// what of the rule's concern sits outside a record).
    Record,
    /// Records across the repository ([`Rule::check_repository`]).
    Repository,
    /// phonelint's own suppressions and baseline: the policy stage reports
    /// them, and their `check_*` methods do nothing.
    Policy,
    /// The repository against a database: `phonelint drift` reports them,
    /// never a check (they are not in the registry).
    Drift,
}

/// The sections every rule's documentation has, in order.
pub const DOC_SECTIONS: [&str; 4] = [
    "## What it catches",
    "## Why it matters",
    "## Example",
    "## How to fix",
];

/// What every rule declares about itself, in one place: its `declare_rule!`.
#[derive(Debug)]
pub struct RuleMeta {
    /// The stable identifier users write in configs.
    pub name: &'static str,
    /// The severity of its findings, unless configured otherwise.
    pub severity: Severity,
    /// Other severities some of its findings take (a note beside an error).
    pub also: &'static [Severity],
    pub scope: Scope,
    /// One line for `phonelint rules` and SARIF.
    pub summary: &'static str,
    /// What it catches, in a line of Markdown: the README's rule table.
    pub catches: &'static str,
    /// The kinds of fix its findings may carry.
    pub fixes: &'static [Applicability],
    /// A JSON Schema can express it: a definition has one of its findings
    /// (other than an info note) exactly when `phonelint schema` rejects it.
    pub in_schema: bool,
    /// Reports nothing unless a configuration gives it a level: what it
    /// catches is a style a team may want, not a problem of VICIdial's.
    pub off_by_default: bool,
    /// The rule's doc comment, as written (each line keeps rustdoc's leading space).
    pub raw_docs: &'static str,
}

impl RuleMeta {
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

/// Declares a rule: a unit struct whose doc comment becomes its
/// documentation, with its metadata ([`RuleMeta`]). `also`, `fixes`,
/// `schema` and `off_by_default` may be left out, in that order.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $rule:ident {
            name: $name:literal,
            severity: $severity:ident,
            scope: $scope:ident,
            summary: $summary:literal,
            catches: $catches:literal
            $(, also: [$($also:ident),* $(,)?])?
            $(, fixes: [$($fix:ident),* $(,)?])?
            $(, schema: $schema:literal)?
            $(, off_by_default: $off:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $rule;

        impl $rule {
            pub const META: $crate::rules::meta::RuleMeta = $crate::rules::meta::RuleMeta {
                name: $name,
                severity: $crate::model::Severity::$severity,
                also: &[$($($crate::model::Severity::$also),*)?],
                scope: $crate::rules::meta::Scope::$scope,
                summary: $summary,
                catches: $catches,
                fixes: &[$($($crate::model::Applicability::$fix),*)?],
                in_schema: false $(|| $schema)?,
                off_by_default: false $(|| $off)?,
                raw_docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::rules::meta::Declared for $rule {
            fn meta(&self) -> &'static $crate::rules::meta::RuleMeta {
                &Self::META
            }
        }
    };
}
pub(crate) use declare_rule;

/// The metadata of a declared rule (implemented by `declare_rule!`).
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}
