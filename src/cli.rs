//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
pub struct CheckArgs {
    /// Files and directories to check [default: .]
    pub paths: Vec<PathBuf>,

    /// Output format on stdout [default: human, or github when
    /// GITHUB_ACTIONS=true and stdout is not a terminal].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,

    /// The repository root: every definition under it is read for rules that
    /// look across files, and github/sarif paths are relative to it [default:
    /// the nearest directory above the first path holding phonelint.toml or .git].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Also write this format to the file given by the matching
    /// --output-file (repeatable; the n-th --output-format goes with the n-th
    /// --output-file).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Vec<OutputFormat>,

    /// The file that the matching --output-format is written to.
    #[arg(long, value_name = "FILE")]
    pub output_file: Vec<PathBuf>,

    /// When to colour human output: auto colours only a terminal, and never
    /// when NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show credential values (pass, conf_secret, ...) in snippets instead of
    /// masking them as "****".
    #[arg(long)]
    pub show_secrets: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}
