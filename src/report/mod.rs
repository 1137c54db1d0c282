//! Turning an [`Outcome`] into text: one file per output format. A renderer
//! never decides severity or filters; it shows what it is given.

pub mod config;
mod diff;
pub mod github;
mod human;
mod json;
mod miette;
pub mod rules;
mod sarif;
mod short;
pub mod statistics;
mod summary;
pub mod terminal;

pub use github::{LinkBase, step_summary};
pub use sarif::INFORMATION_URI;

use crate::model::Outcome;
use crate::rules::RuleMeta;

pub use diff::render as render_diff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// miette reports with snippets and labels, and a summary line.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Short,
    /// One JSON document (see the README for the versioned contract).
    Json,
    /// GitHub Actions workflow commands (annotations), errors first.
    Github,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
    Sarif,
}

/// Options that change how, not what, is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours in human output.
    pub color: bool,
    /// Show credential values in snippets instead of `****`.
    pub show_secrets: bool,
    /// Rules outside the registry whose findings the outcome holds (those
    /// of `phonelint drift`): SARIF describes them after the registry's.
    pub other_rules: &'static [&'static RuleMeta],
    /// ASCII only in human output's drawing (a terminal without Unicode).
    pub ascii: bool,
    /// No summary after human and short output (`--quiet`).
    pub quiet: bool,
    /// Fixes were just applied (`--fix`): the summary does not offer them.
    pub after_fix: bool,
    /// Human output shows what each finding's fix replaces (`--show-fixes`).
    pub show_fixes: bool,
}

impl OutputFormat {
    /// Every format, in the order `--format`'s help lists them.
    pub fn all() -> &'static [Self] {
        <Self as clap::ValueEnum>::value_variants()
    }

    /// The name `--format` takes.
    pub fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default()
    }
}

/// Writes the report of `outcome` in `format` to `out` a chunk of findings
/// at a time (see [`Outcome::chunks`]): the whole report is never held in
/// memory.
pub fn write_report(
    format: OutputFormat,
    outcome: &Outcome,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Human => human::write(outcome, options, out),
        OutputFormat::Short => short::write(outcome, options, out),
        OutputFormat::Json => json::write(outcome, out),
        OutputFormat::Github => github::write(outcome, out),
        OutputFormat::Sarif => sarif::write(outcome, options.other_rules, out),
    }
}

/// The report of `outcome` in `format`, as text.
pub fn render(format: OutputFormat, outcome: &Outcome, options: RenderOptions) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail, and every format writes UTF-8.
    let _ = write_report(format, outcome, options, &mut bytes);
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}
