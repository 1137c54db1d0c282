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
    /// Turn a VICIdial database export (mysqldump SQL or `mysql --batch`
    /// output) into definition files, then check them.
    Import(ImportArgs),
    /// Print the JSON Schema (draft 2020-12) of definition files, for editors:
    /// `phonelint schema > phonelint.schema.json`.
    Schema,
}

#[derive(Debug, Args)]
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// `phonelint import DUMP --out DIR`: see the README's section on import.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A mysqldump/mariadb-dump SQL file, or tab-separated `mysql --batch` output.
    pub dump: PathBuf,

    /// The directory to write definition files into (created if missing).
    #[arg(long)]
    pub out: PathBuf,

    /// Syntax of the written files.
    #[arg(long, value_enum, default_value_t = phonelint::import::OutputFormat::Toml)]
    pub format: phonelint::import::OutputFormat,

    /// How records are spread over files.
    #[arg(long, value_enum, default_value_t = phonelint::import::Layout::PerServer)]
    pub layout: phonelint::import::Layout,

    /// Also write columns equal to VICIdial's schema default (NULL columns are
    /// always left out: TOML has no null).
    #[arg(long)]
    pub all_columns: bool,

    /// Also write columns VICIdial writes at run time (messages, peer_status, ...).
    #[arg(long)]
    pub runtime_columns: bool,

    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}
