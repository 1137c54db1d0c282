//! The `phonelint` binary: parse arguments, call the library, print, and map
//! the outcome to an exit code (0 clean, 1 errors found, 2 phonelint's own
//! usage or I/O errors, 3 internal error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

mod cli;

use cli::{CheckArgs, Cli, ColorChoice, Command};
use phonelint::report::{RenderOptions, render};
use phonelint::rules::{RULES, find};
use phonelint::suggest::closest;

const EXIT_ERRORS_FOUND: u8 = 1;
const EXIT_USAGE_OR_IO: u8 = 2;
const EXIT_INTERNAL: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A panic is a bug of ours, never the input's fault: say so and exit 3.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("phonelint: internal error: {info}");
        eprintln!("This is a bug in phonelint; please report it with the input that caused it.");
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(code) => code,
        Err(_) => ExitCode::from(EXIT_INTERNAL),
    }
}

fn run(cli: Cli) -> ExitCode {
    match cli.command {
        None => check(cli.check),
        Some(Command::Check(args)) => check(args),
        Some(Command::Rules) => list_rules(),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Import(args)) => import(args),
        Some(Command::Schema) => {
            write_stdout(&phonelint::schema::render());
            ExitCode::SUCCESS
        }
    }
}

/// Writes the definition files, says what was written, then checks them: the
/// exit code is the check's (2 if the import itself failed).
fn import(args: cli::ImportArgs) -> ExitCode {
    let options = phonelint::import::Options {
        out: args.out.clone(),
        format: args.format,
        layout: args.layout,
        all_columns: args.all_columns,
        runtime_columns: args.runtime_columns,
        force: args.force,
    };
    let imported = match phonelint::import::import(&args.dump, &options) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("phonelint: cannot import {}: {error}", args.dump.display());
            return ExitCode::from(EXIT_USAGE_OR_IO);
        }
    };
    write_stdout(&imported.report(&args.dump));
    // Check with the check command's defaults, whatever flags it grows.
    let matches = <CheckArgs as clap::Args>::augment_args(clap::Command::new("check"))
        .try_get_matches_from([
            std::ffi::OsString::from("check"),
            "--".into(),
            args.out.into(),
        ]);
    match matches.and_then(|m| <CheckArgs as clap::FromArgMatches>::from_arg_matches(&m)) {
        Ok(check_args) => check(check_args),
        Err(error) => {
            eprintln!("phonelint: internal error: {error}");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            eprintln!("phonelint: cannot read the current directory: {error}");
            return ExitCode::from(EXIT_USAGE_OR_IO);
        }
    };
    let paths = if args.paths.is_empty() {
        vec![".".into()]
    } else {
        args.paths
    };
    let outcome = phonelint::check(&paths, &cwd);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    };
    let options = RenderOptions {
        color,
        show_secrets: args.show_secrets,
    };
    let text = render(args.format, &outcome, options);
    write_stdout(&text);
    for error in &outcome.errors {
        eprintln!("phonelint: error: {error}");
    }
    if !outcome.errors.is_empty() {
        ExitCode::from(EXIT_USAGE_OR_IO)
    } else if outcome.has_errors() {
        ExitCode::from(EXIT_ERRORS_FOUND)
    } else {
        ExitCode::SUCCESS
    }
}

fn list_rules() -> ExitCode {
    let width = RULES.iter().map(|r| r.meta().name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in RULES {
        let meta = rule.meta();
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            meta.name, meta.severity, meta.summary
        ));
    }
    write_stdout(&out);
    ExitCode::SUCCESS
}

fn explain(name: &str) -> ExitCode {
    match find(name) {
        Some(rule) => {
            let meta = rule.meta();
            write_stdout(&format!(
                "# {} ({})\n\n{}\n\n{}\n",
                meta.name,
                meta.severity,
                meta.summary,
                meta.docs()
            ));
            ExitCode::SUCCESS
        }
        None => {
            let names = RULES.iter().map(|r| r.meta().name);
            match closest(name, names) {
                Some(near) => eprintln!("phonelint: unknown rule `{name}`; did you mean `{near}`?"),
                None => eprintln!("phonelint: unknown rule `{name}`; `phonelint rules` lists them"),
            }
            ExitCode::from(EXIT_USAGE_OR_IO)
        }
    }
}

/// Writes to stdout; a closed pipe (`phonelint | head`) is not an error.
fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
