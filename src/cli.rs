//! Command-line definitions.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use phonelint::report::OutputFormat;

/// A linter for VICIdial phone definitions kept as code.
///
/// Checks TOML and JSON files holding `phones`, `aliases` and `servers` records
/// the way VICIdial reads them. Exit codes: 0 nothing at error severity, 1
/// errors found, 2 usage or I/O error of phonelint's own, 3 internal error.
#[derive(Debug, Parser)]
#[command(name = "phonelint", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories (the default command).
    Check(CheckArgs),
    /// List every rule: name, default severity, summary.
    Rules,
    /// Print a rule's full documentation.
    Explain {
        /// The rule's name, e.g. inactive-admin.
        rule: String,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("fixing").args(["fix", "diff"]).multiple(true)))]
pub struct CheckArgs {
    /// Files and directories to check [default: .]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// When to colour human output: auto colours only a terminal, and never
    /// when NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show credential values (pass, conf_secret, ...) in snippets instead of
    /// masking them as "****".
    #[arg(long)]
    pub show_secrets: bool,

    /// Apply safe fixes to the files, then report the findings that remain.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff: apply unsafe fixes too (renaming a key; confirm intent).
    #[arg(long, requires = "fixing")]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing (exit 1 if there are any).
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}
