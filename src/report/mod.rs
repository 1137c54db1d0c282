//! Turning an [`Outcome`] into text: one file per output format. A renderer
//! never decides severity or filters; it shows what it is given.

mod diff;
mod display;
mod human;
mod json;
mod short;

use crate::check::Outcome;

pub use diff::render as render_diff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// miette reports with snippets and labels, and a summary line.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Short,
    /// One JSON document (see the README for the versioned contract).
    Json,
}

/// Options that change how, not what, is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours in human output.
    pub color: bool,
    /// Show credential values in snippets instead of `****`.
    pub show_secrets: bool,
}

pub fn render(format: OutputFormat, outcome: &Outcome, options: RenderOptions) -> String {
    match format {
        OutputFormat::Human => human::render(outcome, options),
        OutputFormat::Short => short::render(outcome),
        OutputFormat::Json => json::render(outcome),
    }
}

/// "1 error", "2 warnings".
fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}
