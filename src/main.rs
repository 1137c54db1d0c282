//! The `phonelint` binary: parse arguments, call the library, print, and map
//! the outcome to an exit code (0 clean, 1 errors found, 2 phonelint's own
//! usage or I/O errors, 3 internal error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

mod cli;

use cli::{CheckArgs, Cli, ColorChoice, Command};
use phonelint::fix as fixes;
use phonelint::report::{RenderOptions, render, render_diff};
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
    if args.diff {
        return diff(&paths, &cwd, args.unsafe_fixes, args.show_secrets);
    }
    let mut failed = false;
    let outcome = if args.fix {
        let (outcome, applied) =
            fixes::fix_until_stable(|| phonelint::check(&paths, &cwd), args.unsafe_fixes);
        failed = report_fixes(&applied);
        outcome
    } else {
        phonelint::check(&paths, &cwd)
    };
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
    if !outcome.errors.is_empty() || failed {
        ExitCode::from(EXIT_USAGE_OR_IO)
    } else if outcome.has_errors() {
        ExitCode::from(EXIT_ERRORS_FOUND)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--diff`: the fixes of one pass as a unified diff; nothing is written.
/// Exit 1 if `--fix` would change something, 0 if not, 2 on errors.
fn diff(
    paths: &[std::path::PathBuf],
    cwd: &std::path::Path,
    unsafe_fixes: bool,
    show_secrets: bool,
) -> ExitCode {
    let outcome = phonelint::check(paths, cwd);
    let mut plan = fixes::plan(&outcome.findings, unsafe_fixes);
    let mut failed = false;
    plan.files.retain(|fixed| match fixes::verify(&fixed.file) {
        Ok(_) => true,
        Err(skip) => {
            eprintln!(
                "phonelint: error: {}: would not fix: {skip}",
                fixed.file.name
            );
            failed = true;
            false
        }
    });
    for (file, skip) in &plan.skipped {
        eprintln!("phonelint: {}: would not fix: {skip}", file.name);
    }
    write_stdout(&render_diff(&plan, show_secrets));
    let count: usize = plan.files.iter().map(|f| f.fixes).sum();
    eprintln!(
        "phonelint: {count} fix(es) in {} file(s){}",
        plan.files.len(),
        unsafe_note(plan.unsafe_left)
    );
    for error in &outcome.errors {
        eprintln!("phonelint: error: {error}");
    }
    if failed || !outcome.errors.is_empty() {
        ExitCode::from(EXIT_USAGE_OR_IO)
    } else if plan.files.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_ERRORS_FOUND)
    }
}

/// Says on stderr what `--fix` did; true if a file could not be written.
fn report_fixes(applied: &fixes::Applied) -> bool {
    let mut failed = false;
    for (name, skip) in &applied.skipped {
        if skip.is_error() {
            failed = true;
            eprintln!("phonelint: error: {name}: not fixed: {skip}");
        } else {
            eprintln!("phonelint: {name}: not fixed: {skip}");
        }
    }
    eprintln!(
        "phonelint: fixed {} finding(s) in {} file(s){}",
        applied.fixes,
        applied.files,
        unsafe_note(applied.unsafe_left)
    );
    failed
}

fn unsafe_note(unsafe_left: usize) -> String {
    if unsafe_left == 0 {
        String::new()
    } else {
        format!("; {unsafe_left} unsafe fix(es) more with --unsafe-fixes")
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
