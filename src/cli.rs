//! Command-line definitions.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use phonelint::load::Format;
use phonelint::model::Severity;
use phonelint::report::OutputFormat;
use phonelint::report::rules::ListFormat;

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
    Rules {
        /// `markdown`: the tables of the README's Rules section; `json`:
        /// every rule's metadata (fixes, severities, scope, documentation).
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's full documentation.
    Explain {
        /// The rule's name, e.g. inactive-admin.
        rule: String,
    },
    /// Turn a VICIdial database export (mysqldump SQL or `mysql --batch`
    /// output) into definition files, then check them. Exit codes: 0 the
    /// files are written (whatever the check finds; --check-exit-code gives
    /// the check's), 2 the import failed.
    Import(ImportArgs),
    /// Print the JSON Schema (draft 2020-12) of definition files, for editors:
    /// `phonelint schema > phonelint.schema.json`.
    Schema,
    /// Print the effective configuration and where each setting came from.
    Config(ConfigArgs),
    /// Write every current finding to a baseline file: the one
    /// phonelint.toml names (`baseline = "..."`), which every check then
    /// applies, or one given with -o, for `--baseline FILE`.
    Baseline(BaselineArgs),
    /// Compare the repository with a VICIdial database (live, or a dump of
    /// one): records only on one side and columns that differ are findings.
    /// Exit codes: 0 no drift, 1 drift, 2 the database or a file could not
    /// be read.
    Drift(DriftArgs),
    /// Print a completion script for SHELL on stdout, e.g. `phonelint
    /// completions bash > ~/.local/share/bash-completion/completions/phonelint`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout: `phonelint manpage >
    /// phonelint.1`, then `man ./phonelint.1`.
    Manpage,
}

/// `phonelint drift [PATHS] --db URL | --dump FILE`: see the README's section
/// on drift.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").args(["db", "dump"]).required(true)))]
pub struct DriftArgs {
    /// Definition files and directories to compare [default: .]
    pub paths: Vec<PathBuf>,

    /// A live database (needs the `db` feature):
    /// mysql://USER@HOST[:PORT]/DATABASE, with ?socket=PATH,
    /// ?ssl-mode=REQUIRED|VERIFY_CA|VERIFY_IDENTITY and ?ssl-ca=FILE. The
    /// password need not be on the command line: --defaults-file,
    /// PHONELINT_DB_PASSWORD or MYSQL_PWD.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,

    /// A dump of the database instead: mysqldump/mariadb-dump SQL or
    /// `mysql --batch` output, as `phonelint import` reads it.
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Output format on stdout: those of `check`, or `sql`, the statements
    /// that would make the database match the repository [default: human,
    /// or github when GITHUB_ACTIONS=true and stdout is not a terminal].
    #[arg(long, value_enum)]
    pub format: Option<DriftFormat>,

    /// The repository root: github and SARIF paths are relative to it
    /// [default: the nearest directory above the first path holding
    /// phonelint.toml or .git].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// When to colour human output: auto colours a terminal; FORCE_COLOR,
    /// NO_COLOR, CLICOLOR_FORCE and CLICOLOR are honoured (see the README).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Draw human output in ASCII only [default: when TERM=dumb or the
    /// locale is not UTF-8].
    #[arg(long)]
    pub ascii: bool,

    /// Show credential values: in human output's messages and snippets, and
    /// in the SQL plan (which otherwise comments out the statements setting
    /// them).
    #[arg(long)]
    pub show_secrets: bool,

    #[command(flatten)]
    pub config: ConfigArgs,
}

/// How to reach a live database (`--db`).
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Read the [client] and [phonelint] sections of this MySQL option
    /// file (user, password, host, port, socket, database, ssl-mode,
    /// ssl-ca); the URL wins where both say something.
    #[arg(long, value_name = "FILE")]
    pub defaults_file: Option<PathBuf>,

    /// Seconds the server may take to accept the connection, or stay
    /// silent after (a lock held elsewhere included).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub connect_timeout: u64,
}

/// The output formats of `phonelint drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DriftFormat {
    /// miette reports with snippets and labels, and a summary line.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Short,
    /// One JSON document, as `check` writes it.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0.
    Sarif,
    /// The SQL statements that would make the database match the repository.
    Sql,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files and directories to check [default: .]
    pub paths: Vec<PathBuf>,

    /// Where to write the baseline [default: `baseline` in phonelint.toml,
    /// else phonelint-baseline.json in the current directory].
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Which phonelint.toml to use.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this configuration file instead of the root's phonelint.toml (or
    /// .phonelint.toml); its directory is the root unless --root is given.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file: defaults only.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("fixing").args(["fix", "diff"]).multiple(true)))]
pub struct CheckArgs {
    /// Files and directories to check [default: .]
    pub paths: Vec<PathBuf>,

    /// Output format on stdout [default: human, or github when
    /// GITHUB_ACTIONS=true and stdout is not a terminal].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,

    /// The project root: its phonelint.toml applies, globs, [[allow]] paths and
    /// baselines are relative to it, and every definition under it is read for
    /// the rules that look across files [default: the directory of --config,
    /// else the nearest directory at or above the first path holding
    /// phonelint.toml, .phonelint.toml or .git].
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

    /// When to colour human output: auto colours a terminal (not with
    /// TERM=dumb); FORCE_COLOR forces colour, NO_COLOR turns it off, then
    /// CLICOLOR_FORCE forces it and CLICOLOR=0 turns it off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Draw human output in ASCII only [default: when TERM=dumb or the
    /// locale (LC_ALL, LC_CTYPE, LANG) is not UTF-8].
    #[arg(long)]
    pub ascii: bool,

    /// Show credential values (pass, conf_secret, ...) in snippets instead of
    /// masking them as "****".
    #[arg(long)]
    pub show_secrets: bool,

    /// Report only these rules (comma-separated, repeatable); replaces the
    /// configuration's `select` and `ignore`. A rule off by default that is
    /// named here is on.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = RuleName, hide_possible_values = true)]
    pub select: Option<Vec<&'static str>>,

    /// Do not report these rules (comma-separated, repeatable), on top of
    /// the configuration's `ignore`.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = RuleName, hide_possible_values = true)]
    pub ignore: Vec<&'static str>,

    /// Exit 1 when findings reach this severity; overrides `fail-on` in
    /// phonelint.toml [default: the configuration's, else error].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Exit 0 even when findings reach fail-on (phonelint's own errors still
    /// exit 2).
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,

    /// Print the findings and nothing else: no summary, no notes, no
    /// account of fixes.
    #[arg(long, short)]
    pub quiet: bool,

    /// Instead of the findings, one line per rule: how many findings, how
    /// many --fix fixes, sorted by count (JSON with --format json).
    #[arg(long)]
    pub statistics: bool,

    /// With --fix: list what was fixed, per file and rule. Without: show
    /// each fix as a diff under its finding (human output).
    #[arg(long)]
    pub show_fixes: bool,

    /// Check standard input as if it were this file (given as the path
    /// `-`, or alone): the rest of the repository is read around it, and
    /// it takes the place of the file on disk.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Report only findings not in this baseline (written by `phonelint
    /// baseline`), and the baseline's entries that match nothing any more
    /// [default: `baseline` in phonelint.toml].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Apply no baseline, not even the one phonelint.toml names: report
    /// every finding.
    #[arg(long, conflicts_with = "baseline")]
    pub no_baseline: bool,

    /// Read every file: use no cache of the files not asked about (kept in
    /// the user's cache directory, or PHONELINT_CACHE_DIR), and write none.
    #[arg(long)]
    pub no_cache: bool,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Apply safe fixes to the files, then report the findings that remain.
    #[arg(long, conflicts_with = "diff")]
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

impl ColorChoice {
    /// `Some` when colour is asked for or refused, `None` for auto.
    pub fn explicit(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

/// The severities `--fail-on` takes, as `fail-on` in phonelint.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Findings at error severity.
    Error,
    /// Findings at warning or error severity.
    Warning,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }
}

/// A rule's name (`--select`, `--ignore`): completions offer every rule, and
/// a mistyped one is refused with the closest name as a tip.
#[derive(Debug, Clone, Copy)]
struct RuleName;

impl clap::builder::TypedValueParser for RuleName {
    type Value = &'static str;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Self::Value, clap::Error> {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let text = value.to_string_lossy();
        if let Some(name) = phonelint::rules::names().find(|name| *name == text) {
            return Ok(name);
        }
        let mut error = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        if let Some(arg) = arg {
            error.insert(
                ContextKind::InvalidArg,
                ContextValue::String(arg.to_string()),
            );
        }
        error.insert(
            ContextKind::InvalidValue,
            ContextValue::String(text.to_string()),
        );
        let tip = match phonelint::text::suggest::closest(&text, phonelint::rules::names()) {
            Some(near) => format!("no rule has this name; did you mean `{near}`?"),
            None => "no rule has this name; `phonelint rules` lists them".to_owned(),
        };
        error.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![tip.into()]),
        );
        Err(error)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            phonelint::rules::names().map(clap::builder::PossibleValue::new),
        ))
    }
}

/// `phonelint import DUMP --out DIR`: see the README's section on import.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").args(["dump", "db"]).required(true)))]
pub struct ImportArgs {
    /// A mysqldump/mariadb-dump SQL file, or tab-separated `mysql --batch`
    /// output; `-` reads it from standard input.
    pub dump: Option<PathBuf>,

    /// Import from a live database instead, as `phonelint drift --db` reads
    /// it (see there for the URL and the password).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// The directory to write definition files into (created if missing).
    #[arg(long)]
    pub out: PathBuf,

    /// Syntax of the written files.
    #[arg(long, default_value = "toml", value_parser = syntax())]
    pub syntax: Format,

    /// The old name of --syntax, kept working with a warning: `--format`
    /// is the report format of `check`.
    #[arg(long, hide = true, value_parser = syntax(), conflicts_with = "syntax")]
    pub format: Option<Format>,

    /// Exit with the code of the check that follows the import (1 when it
    /// finds what `fail-on` fails on, 2 when it cannot run) instead of 0
    /// once the files are written.
    #[arg(long)]
    pub check_exit_code: bool,

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

/// `--syntax toml|json` of import: the loader's [`Format`].
fn syntax() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new([Format::Toml.extension(), Format::Json.extension()])
        .map(|text| {
            if text == Format::Json.extension() {
                Format::Json
            } else {
                Format::Toml
            }
        })
}
