//! The `phonelint` binary: parse arguments, call the library, print, and map
//! the outcome to an exit code (0 clean, 1 errors found, 2 phonelint's own
//! usage or I/O errors, 3 internal error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

mod cli;

use cli::{CheckArgs, Cli, ColorChoice, Command, ConfigArgs};
use phonelint::config::Config;
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
        Some(Command::Config(args)) => show_config(&args),
    }
}

fn current_dir() -> Result<std::path::PathBuf, ExitCode> {
    std::env::current_dir().map_err(|error| {
        eprintln!("phonelint: cannot read the current directory: {error}");
        ExitCode::from(EXIT_USAGE_OR_IO)
    })
}

/// The configuration for this run, or its errors on stderr (exit code 2).
fn load_config(args: &ConfigArgs, cwd: &std::path::Path) -> Result<Config, ExitCode> {
    Config::load(cwd, args.config.as_deref(), args.isolated).map_err(|error| {
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        eprint!("{}", error.render(color));
        ExitCode::from(EXIT_USAGE_OR_IO)
    })
}

fn show_config(args: &ConfigArgs) -> ExitCode {
    let config = match current_dir().and_then(|cwd| load_config(args, &cwd)) {
        Ok(config) => config,
        Err(code) => return code,
    };
    write_stdout(&config.describe());
    ExitCode::SUCCESS
}

fn check(args: CheckArgs) -> ExitCode {
    let (cwd, config) =
        match current_dir().and_then(|cwd| Ok((load_config(&args.config, &cwd)?, cwd))) {
            Ok((config, cwd)) => (cwd, config),
            Err(code) => return code,
        };
    let paths = if args.paths.is_empty() {
        vec![".".into()]
    } else {
        args.paths
    };
    let outcome = phonelint::check_with(&paths, &cwd, &config);
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
    } else if outcome.fails(config.fail_on.value) {
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
