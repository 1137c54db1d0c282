//! The `phonelint` binary: parse arguments, call the library, print, and map
//! the outcome to an exit code (0 clean, 1 errors found, 2 phonelint's own
//! usage or I/O errors, 3 internal error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

mod cli;

use cli::{BaselineArgs, CheckArgs, Cli, ColorChoice, Command, ConfigArgs};
use phonelint::config::{Origin, Setting};
use phonelint::fix as fixes;
use phonelint::model::{Outcome, RunError};
use phonelint::policy::baseline::{self, Baseline};
use phonelint::report::{
    LinkBase, OutputFormat, RenderOptions, render_diff, step_summary, terminal, write_report,
};
use phonelint::rules::find;
use phonelint::text::escape::escape_controls;
use phonelint::text::suggest::closest;
use phonelint::workspace::{Options, Workspace, WorkspaceError};

// The static Linux release binaries link musl, whose allocator is slow under
// the many small allocations phonelint makes on every thread (Cargo.toml).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc (v3, as libmimalloc-sys 0.1.49 builds it) commits the memory of
/// its arenas ahead of use and returns freed pages to the system only after
/// a delay: the static build peaked at twice the resident memory of the glibc
/// build (200 MB against 98 MB on 100,000 phones). Committing as used and
/// returning at once brings it to 92 MB (BENCHMARKS.md, round two).
#[cfg(target_env = "musl")]
fn tune_allocator() {
    // Positions in mimalloc v3's `mi_option_e` (include/mimalloc.h).
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store mimalloc allows at any
    // time, from any thread; these are valid options of the version built.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

#[cfg(not(target_env = "musl"))]
fn tune_allocator() {}

const EXIT_ERRORS_FOUND: u8 = 1;
const EXIT_USAGE_OR_IO: u8 = 2;
const EXIT_INTERNAL: u8 = 3;

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    // A panic is a bug of ours, never the input's fault: say so and exit 3.
    // The hook must not panic itself (eprintln! does when stderr cannot be
    // written, e.g. on a full disk): that would abort instead of exiting 3.
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(
            std::io::stderr(),
            "phonelint: internal error: {info}\nThis is a bug in phonelint; please report it with the input that caused it."
        );
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
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "phonelint",
                &mut out,
            );
            write_stdout(&String::from_utf8_lossy(&out));
            ExitCode::SUCCESS
        }
        Some(Command::Manpage) => manpage(),
        Some(Command::Rules { format }) => {
            write_stdout(&phonelint::report::rules::list(
                format,
                phonelint::drift::RULES,
            ));
            ExitCode::SUCCESS
        }
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Import(args)) => import(args),
        Some(Command::Schema) => {
            write_stdout(&phonelint::schema::render());
            ExitCode::SUCCESS
        }
        Some(Command::Config(args)) => show_config(&args),
        Some(Command::Baseline(args)) => write_baseline(args),
        Some(Command::Drift(args)) => drift(args),
    }
}

/// Compares the repository with the database: exit 0 when they agree, 1 on
/// drift, 2 when the database, the dump or a definition cannot be read.
fn drift(args: cli::DriftArgs) -> ExitCode {
    let paths = or_current(args.paths);
    let workspace = match workspace(&args.config, args.root.as_deref(), &paths) {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    let database = match read_database(args.db.as_deref(), args.dump.as_deref(), &args.connection) {
        Ok(database) => database,
        Err(message) => {
            eprintln!("phonelint: {}", escape_controls(&message));
            return ExitCode::from(EXIT_USAGE_OR_IO);
        }
    };
    let loaded = phonelint::drift::repository::load(&workspace, &paths);
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let format = args
        .format
        .unwrap_or(match default_format(stdout_is_terminal) {
            OutputFormat::Github => cli::DriftFormat::Github,
            _ => cli::DriftFormat::Human,
        });
    let report_format = match format {
        cli::DriftFormat::Human => Some(OutputFormat::Human),
        cli::DriftFormat::Short => Some(OutputFormat::Short),
        cli::DriftFormat::Json => Some(OutputFormat::Json),
        cli::DriftFormat::Github => Some(OutputFormat::Github),
        cli::DriftFormat::Sarif => Some(OutputFormat::Sarif),
        cli::DriftFormat::Sql => None,
    };
    let options = phonelint::drift::Options {
        show_secret_values: args.show_secrets && report_format == Some(OutputFormat::Human),
        plan: report_format
            .is_none()
            .then_some(phonelint::drift::plan::Options {
                show_secrets: args.show_secrets,
            }),
    };
    let result = phonelint::drift::drift(
        loaded,
        &database,
        workspace.checkout_prefix.clone(),
        options,
    );
    match (&result.plan, report_format) {
        (Some(plan), _) => write_stdout(plan),
        (None, Some(format)) => {
            let options = RenderOptions {
                color: use_color(args.color, stdout_is_terminal),
                ascii: args.ascii || !unicode(),
                show_secrets: args.show_secrets,
                other_rules: phonelint::drift::RULES,
                ..RenderOptions::default()
            };
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = write_report(format, &result.outcome, options, &mut stdout)
                .and_then(|()| stdout.flush());
        }
        (None, None) => {}
    }
    for note in &result.notes {
        eprintln!("phonelint: note: {}", escape_controls(note));
    }
    for note in &result.outcome.notes {
        eprintln!("phonelint: note: {}", escape_controls(&note.to_string()));
    }
    for error in &result.outcome.errors {
        eprintln!("phonelint: error: {}", escape_controls(&error.to_string()));
    }
    if !result.outcome.errors.is_empty() {
        ExitCode::from(EXIT_USAGE_OR_IO)
    } else if result.drifted() {
        ExitCode::from(EXIT_ERRORS_FOUND)
    } else {
        ExitCode::SUCCESS
    }
}

/// The database to compare with: a live one (`--db`) or a dump (`--dump`);
/// the error is one line, without the password.
fn read_database(
    db: Option<&str>,
    dump: Option<&std::path::Path>,
    connection: &cli::ConnectionArgs,
) -> Result<phonelint::drift::Database, String> {
    if let Some(dump) = dump {
        if connection.defaults_file.is_some() {
            return Err("--defaults-file is for --db: a dump needs no credentials".to_owned());
        }
        let name = dump.display().to_string();
        let bytes = std::fs::read(dump).map_err(|error| format!("cannot read {name}: {error}"))?;
        let tables = phonelint::import::read_export(&bytes)
            .map_err(|error| format!("cannot read {name}: {error}"))?;
        if tables.is_empty() {
            return Err(format!(
                "{name} holds none of the tables phones, phones_alias and servers"
            ));
        }
        return Ok(phonelint::drift::Database::from_tables(name, tables));
    }
    let (name, tables) = live_tables(db.unwrap_or_default(), connection)?;
    Ok(phonelint::drift::Database::from_tables(name, tables))
}

/// The tables of a live database, and its name (the URL without password).
#[cfg(feature = "db")]
fn live_tables(
    url: &str,
    connection: &cli::ConnectionArgs,
) -> Result<(String, Vec<phonelint::import::TableData>), String> {
    use phonelint::drift::connect;
    let settings = connect::Settings::resolve(url, connection.defaults_file.as_deref(), |name| {
        std::env::var(name).ok()
    })
    .map_err(|error| error.to_string())?;
    if settings.password_from_url {
        eprintln!(
            "phonelint: warning: the URL holds a password, which other users of this machine can \
             read in the process list; use PHONELINT_DB_PASSWORD or --defaults-file"
        );
    }
    let timeout = std::time::Duration::from_secs(connection.connect_timeout.max(1));
    let read = connect::read_tables(&settings, timeout).map_err(|error| error.to_string())?;
    for note in &read.notes {
        eprintln!("phonelint: note: {}", escape_controls(note));
    }
    Ok((settings.to_string(), read.tables))
}

#[cfg(not(feature = "db"))]
fn live_tables(
    _url: &str,
    _connection: &cli::ConnectionArgs,
) -> Result<(String, Vec<phonelint::import::TableData>), String> {
    Err(
        "this phonelint was built without database support (the `db` feature): build it \
         with `cargo install phonelint --features db`, or read a dump (`--dump FILE`, or \
         `phonelint import DUMP`)"
            .to_owned(),
    )
}

/// The format on stdout when none is asked for: annotations in a GitHub
/// Actions step (not a terminal), else human.
fn default_format(stdout_is_terminal: bool) -> OutputFormat {
    let in_actions = std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true");
    if in_actions && !stdout_is_terminal {
        OutputFormat::Github
    } else {
        OutputFormat::Human
    }
}

/// Whether human output is coloured (report/terminal.rs has the rules).
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    terminal::color(choice.explicit(), is_terminal, env)
}

/// Whether the terminal shows Unicode (report/terminal.rs has the rules).
fn unicode() -> bool {
    terminal::unicode(env)
}

/// An environment variable, when it is set and UTF-8.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Writes the definition files, says what was written, then checks them:
/// exit code 0 once the files are written (the check's with
/// `--check-exit-code`), 2 if the import itself failed.
fn import(args: cli::ImportArgs) -> ExitCode {
    if args.format.is_some() {
        eprintln!(
            "phonelint: warning: `import --format` is deprecated: use `--syntax` (`--format` is the report format of `phonelint check`)"
        );
    }
    let options = phonelint::import::Options {
        out: args.out.clone(),
        format: args.format.unwrap_or(args.syntax),
        layout: args.layout,
        all_columns: args.all_columns,
        runtime_columns: args.runtime_columns,
        force: args.force,
    };
    let imported = match (&args.dump, &args.db) {
        (Some(dump), _) if dump.as_os_str() == "-" => {
            let source = "standard input".to_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
                .map_err(|error| phonelint::import::ImportError::Invalid(error.to_string()))
                .and_then(|_| phonelint::import::read_export(&bytes))
                .and_then(|tables| phonelint::import::import_tables(&tables, &options))
                .map(|imported| (source.clone(), imported))
                .map_err(|error| format!("cannot import {source}: {error}"))
        }
        (Some(dump), _) => phonelint::import::import(dump, &options)
            .map(|imported| (dump.display().to_string(), imported))
            .map_err(|error| format!("cannot import {}: {error}", dump.display())),
        (None, db) => live_tables(db.as_deref().unwrap_or_default(), &args.connection).and_then(
            |(name, tables)| {
                phonelint::import::import_tables(&tables, &options)
                    .map(|imported| (name.clone(), imported))
                    .map_err(|error| format!("cannot import {name}: {error}"))
            },
        ),
    };
    let (source, imported) = match imported {
        Ok(imported) => imported,
        Err(message) => {
            eprintln!("phonelint: {}", escape_controls(&message));
            return ExitCode::from(EXIT_USAGE_OR_IO);
        }
    };
    write_stdout(&imported.report(std::path::Path::new(&source)));
    // Check with the check command's defaults, whatever flags it grows.
    let matches = <CheckArgs as clap::Args>::augment_args(clap::Command::new("check"))
        .try_get_matches_from([
            std::ffi::OsString::from("check"),
            "--".into(),
            args.out.into(),
        ]);
    match matches.and_then(|m| <CheckArgs as clap::FromArgMatches>::from_arg_matches(&m)) {
        Ok(check_args) => {
            let checked = check(check_args);
            if args.check_exit_code {
                checked
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("phonelint: internal error: {error}");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

fn write_baseline(args: BaselineArgs) -> ExitCode {
    let paths = or_current(args.paths);
    let workspace = match workspace(&args.config, None, &paths) {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    // The repository the paths belong to is read whole, as `check` reads it,
    // so that the baseline holds the same findings a check of the paths gives.
    let mut workspace = workspace;
    use_cache(&mut workspace);
    let outcome = phonelint::check::check(&workspace, &paths, None);
    for error in &outcome.errors {
        eprintln!("phonelint: error: {error}");
    }
    let configured = match baseline::configured_path(&workspace) {
        Ok(configured) => configured,
        Err(error) => {
            eprintln!("phonelint: error: {}", escape_controls(&error.to_string()));
            return ExitCode::from(EXIT_USAGE_OR_IO);
        }
    };
    let output = match (&args.output, &configured) {
        (Some(output), _) => workspace.cwd.join(output),
        (None, Some(configured)) => configured.clone(),
        (None, None) => workspace.cwd.join(baseline::DEFAULT_FILE),
    };
    let name = escape_controls(&workspace.name(&output)).into_owned();
    // A baseline of some paths replaces their entries and keeps the others'.
    let whole = paths.iter().any(|path| workspace.holds_root(path));
    let kept = if whole || std::fs::symlink_metadata(&output).is_err() {
        Vec::new()
    } else {
        match Baseline::load(&output, &workspace) {
            Ok(existing) => {
                let scopes: Vec<String> = paths
                    .iter()
                    .map(|path| {
                        phonelint::files::paths::path_from(
                            &workspace.root,
                            &phonelint::files::paths::absolute(path, &workspace.cwd),
                        )
                    })
                    .collect();
                existing
                    .entries
                    .into_iter()
                    .filter(|entry| !baseline::covered(&entry.path, &scopes))
                    .collect()
            }
            Err(error) => {
                eprintln!(
                    "phonelint: error: {}; it holds the entries of the paths not given, so it is not rewritten: run `phonelint baseline` on the whole repository, or name another file with -o",
                    escape_controls(&error.to_string())
                );
                return ExitCode::from(EXIT_USAGE_OR_IO);
            }
        }
    };
    let others = kept.len();
    let text = baseline::render_with(&outcome.findings, kept);
    if let Err(error) = baseline::write(&output, &text) {
        eprintln!("phonelint: error: {name}: {error}");
        return ExitCode::from(EXIT_USAGE_OR_IO);
    }
    let n = outcome.findings.len();
    let kept_note = if others == 0 {
        String::new()
    } else {
        format!(
            " ({others} entr{} of other paths kept)",
            if others == 1 { "y" } else { "ies" }
        )
    };
    eprintln!(
        "phonelint: wrote {n} finding{} to {name}{kept_note}",
        if n == 1 { "" } else { "s" },
    );
    if configured.is_none() && workspace.is_repository {
        // Said once, where it is learnt: the configuration can name the
        // baseline for every run (a local check, the hooks, the Action).
        let relative = phonelint::files::paths::path_from(&workspace.root, &output);
        if phonelint::files::paths::stays_inside(&relative) {
            let config = workspace
                .config
                .file
                .as_ref()
                .map_or("phonelint.toml", |file| file.name.as_str());
            eprintln!(
                "phonelint: to apply it in every run, add to {}: baseline = {}",
                escape_controls(config),
                escape_controls(&phonelint::text::quote::quoted(&relative))
            );
        }
    }
    if outcome.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_USAGE_OR_IO)
    }
}

/// The paths given, or the current directory.
fn or_current(paths: Vec<std::path::PathBuf>) -> Vec<std::path::PathBuf> {
    if paths.is_empty() {
        vec![".".into()]
    } else {
        paths
    }
}

/// The workspace of this run (root, current directory, configuration), or
/// what is wrong with it on stderr (exit code 2).
fn workspace(
    args: &ConfigArgs,
    root: Option<&std::path::Path>,
    paths: &[std::path::PathBuf],
) -> Result<Workspace, ExitCode> {
    let cwd = std::env::current_dir().map_err(|error| {
        eprintln!("phonelint: cannot read the current directory: {error}");
        ExitCode::from(EXIT_USAGE_OR_IO)
    })?;
    let options = Options {
        root,
        config: args.config.as_deref(),
        isolated: args.isolated,
    };
    Workspace::new(&cwd, paths.first().map(|p| p.as_path()), &options).map_err(|error| {
        match error {
            WorkspaceError::RootNotADirectory(root) => {
                eprintln!(
                    "phonelint: --root {}: not a directory",
                    escape_controls(&root)
                );
            }
            WorkspaceError::Config(error) => {
                let color = use_color(ColorChoice::Auto, std::io::stderr().is_terminal());
                eprint!(
                    "{}",
                    phonelint::report::config::render(&error, color, !unicode())
                );
            }
        }
        ExitCode::from(EXIT_USAGE_OR_IO)
    })
}

fn show_config(args: &ConfigArgs) -> ExitCode {
    match workspace(args, None, &[]) {
        Ok(workspace) => {
            write_stdout(&workspace.config.describe(&workspace.root));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let stdin = match stdin_path(&args) {
        Ok(stdin) => stdin,
        Err(message) => {
            eprintln!("phonelint: error: {message}");
            return ExitCode::from(EXIT_USAGE_OR_IO);
        }
    };
    let paths = match &stdin {
        Some(path) => vec![path.clone()],
        None => or_current(args.paths.clone()),
    };
    let mut workspace = match workspace(&args.config, args.root.as_deref(), &paths) {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    command_line_settings(&mut workspace, &args);
    if !args.no_cache {
        use_cache(&mut workspace);
    }
    let baseline = match baseline_of(args.baseline.as_deref(), args.no_baseline, &workspace) {
        Ok(baseline) => baseline,
        Err(error) => {
            eprintln!("phonelint: error: {}", escape_controls(&error.to_string()));
            return ExitCode::from(EXIT_USAGE_OR_IO);
        }
    };
    if args.output_format.len() != args.output_file.len() {
        eprintln!(
            "phonelint: every --output-format needs its --output-file (got {} and {})",
            args.output_format.len(),
            args.output_file.len()
        );
        return ExitCode::from(EXIT_USAGE_OR_IO);
    }
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let format = args
        .format
        .unwrap_or_else(|| default_format(stdout_is_terminal));
    // Statistics are text or JSON: asked for with another format, an error;
    // by default (annotations in a GitHub Actions step), text.
    if args.statistics
        && let Some(asked @ (OutputFormat::Github | OutputFormat::Sarif)) = args.format
    {
        eprintln!(
            "phonelint: error: --statistics prints text or JSON, not --format {}",
            asked.name()
        );
        return ExitCode::from(EXIT_USAGE_OR_IO);
    }
    let outcome = match &stdin {
        Some(path) => match read_stdin() {
            Ok(bytes) => {
                let buffer = phonelint::check::Buffer {
                    path: path.clone(),
                    bytes,
                };
                phonelint::check::check_buffer(&workspace, buffer, baseline.as_ref())
            }
            Err(error) => {
                eprintln!("phonelint: error: cannot read standard input: {error}");
                return ExitCode::from(EXIT_USAGE_OR_IO);
            }
        },
        None if args.fix => {
            let run_check = || phonelint::check::check(&workspace, &paths, baseline.as_ref());
            let (outcome, applied) = fixes::fix_until_stable(run_check, args.unsafe_fixes);
            let failed = report_fixes(&applied, args.quiet, args.show_fixes);
            let stale_rule = phonelint::rules::StaleBaselineEntry::META.name;
            let stale = outcome
                .findings
                .iter()
                .filter(|f| f.rule == stale_rule)
                .count();
            if applied.fixes > 0 && stale > 0 && !args.quiet {
                // --fix leaves the baseline as it is, as ruff leaves its noqa
                // comments: the entries of what it fixed are now stale.
                eprintln!(
                    "phonelint: {stale} baseline entr{} match nothing any more: `phonelint baseline` drops them",
                    if stale == 1 { "y" } else { "ies" }
                );
            }
            return finish(&args, &workspace, format, outcome, failed);
        }
        None if args.diff => phonelint::check::check(&workspace, &paths, baseline.as_ref()),
        // Reported as it is read back: the findings are never all in memory.
        None => phonelint::check::check_streamed(&workspace, &paths, baseline.as_ref()),
    };
    if args.diff {
        // Standard input is not a file on disk to compare the fixes with.
        let code = diff(&outcome, &args, stdin.is_none());
        return exit_zero(code, args.exit_zero);
    }
    finish(&args, &workspace, format, outcome, false)
}

/// Prints the report of a check (or its statistics) and the other outputs,
/// and gives its exit code; `failed` when fixes could not be written.
fn finish(
    args: &CheckArgs,
    workspace: &Workspace,
    format: OutputFormat,
    outcome: Outcome,
    failed: bool,
) -> ExitCode {
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let options = RenderOptions {
        color: use_color(args.color, stdout_is_terminal),
        ascii: args.ascii || !unicode(),
        show_secrets: args.show_secrets,
        quiet: args.quiet,
        after_fix: args.fix,
        show_fixes: args.show_fixes && !args.fix,
        ..RenderOptions::default()
    };
    let mut timings = phonelint::timings::Timings::start();
    {
        // Buffered: stdout alone flushes at every line break.
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let written = if args.statistics {
            let text = phonelint::report::statistics::render(
                &outcome,
                format == OutputFormat::Json,
                options,
            );
            stdout.write_all(text.as_bytes())
        } else {
            write_report(format, &outcome, options, &mut stdout)
        };
        // A closed pipe (`| head`) is not an error of the check.
        let _ = written.and_then(|()| stdout.flush());
    }
    timings.mark("report");
    let mut errors: Vec<RunError> = Vec::new();
    let file_options = RenderOptions {
        color: false,
        ascii: false,
        ..options
    };
    for (format, file) in args.output_format.iter().zip(&args.output_file) {
        let written = std::fs::File::create(file).and_then(|created| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, created);
            write_report(*format, &outcome, file_options, &mut out)?;
            out.flush()
        });
        if let Err(error) = written {
            errors.push(RunError::Write {
                path: file.display().to_string(),
                error,
            });
        }
    }
    let github = (format == OutputFormat::Github && !args.statistics)
        || args.output_format.contains(&OutputFormat::Github);
    if github
        && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty())
    {
        let links = LinkBase::from_env(|name| std::env::var(name).ok());
        if let Err(error) = append(summary.as_ref(), &step_summary(&outcome, links.as_ref())) {
            errors.push(RunError::StepSummary(error));
        }
    }
    errors.extend(outcome.take_stream_errors());
    if !args.quiet {
        for note in &outcome.notes {
            eprintln!("phonelint: note: {}", escape_controls(&note.to_string()));
        }
    }
    for error in outcome.errors.iter().chain(&errors) {
        eprintln!("phonelint: error: {}", escape_controls(&error.to_string()));
    }
    let code = if !outcome.errors.is_empty() || !errors.is_empty() || failed {
        ExitCode::from(EXIT_USAGE_OR_IO)
    } else if outcome.fails(workspace.config.fail_on.value) {
        ExitCode::from(EXIT_ERRORS_FOUND)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing every finding one by one would only
    // delay the exit.
    std::mem::forget(outcome);
    exit_zero(code, args.exit_zero)
}

/// `--exit-zero`: findings do not fail the run; phonelint's own errors do.
fn exit_zero(code: ExitCode, exit_zero: bool) -> ExitCode {
    if exit_zero && code == ExitCode::from(EXIT_ERRORS_FOUND) {
        ExitCode::SUCCESS
    } else {
        code
    }
}

/// What the command line says over the configuration: `--select` replaces
/// its `select` and `ignore` (as a later layer does in ruff), `--ignore`
/// adds to its `ignore`, `--fail-on` replaces its `fail-on`.
/// Lets the check use the user's cache of what the rules across files read
/// of each file, unless the configuration says `cache = false`.
fn use_cache(workspace: &mut Workspace) {
    if workspace.config.cache.value {
        workspace.cache = phonelint::cache::user_dir(&workspace.cwd);
    }
}

fn command_line_settings(workspace: &mut Workspace, args: &CheckArgs) {
    let config = &mut workspace.config;
    if let Some(select) = &args.select {
        config.select = Setting {
            value: Some(select.clone()),
            origin: Origin::CommandLine,
        };
        config.ignore = Setting {
            value: Vec::new(),
            origin: Origin::CommandLine,
        };
    }
    if !args.ignore.is_empty() {
        config.ignore.value.extend(args.ignore.iter().copied());
        config.ignore.origin = Origin::CommandLine;
    }
    if let Some(fail_on) = args.fail_on {
        config.fail_on = Setting {
            value: fail_on.severity(),
            origin: Origin::CommandLine,
        };
    }
}

/// The file standard input is checked as: `--stdin-filename PATH` with `-`
/// as the only path (or no path); `None` when files are checked. `-` alone
/// and `-` among other paths are usage errors, and so is `--fix`, which
/// writes files.
fn stdin_path(args: &CheckArgs) -> Result<Option<std::path::PathBuf>, String> {
    let dash = std::path::Path::new("-");
    let dashes = args.paths.iter().filter(|path| *path == dash).count();
    let Some(name) = &args.stdin_filename else {
        return if dashes > 0 {
            Err("`-` reads standard input, which needs --stdin-filename PATH: the file it stands for (its extension says TOML or JSON, its place which repository and configuration apply)".to_owned())
        } else {
            Ok(None)
        };
    };
    if dashes != args.paths.len() || dashes > 1 {
        return Err(
            "--stdin-filename checks standard input only: give `-` as the only path, or no path"
                .to_owned(),
        );
    }
    if args.fix {
        return Err(
            "--fix writes files, and standard input is not one: use --diff to see the fixes"
                .to_owned(),
        );
    }
    if name.is_dir() {
        return Err(format!(
            "--stdin-filename {}: a directory, not a file",
            escape_controls(&name.display().to_string())
        ));
    }
    Ok(Some(name.clone()))
}

/// Standard input, up to one byte more than a definition may hold (the check
/// reports a larger one as too large, without reading the rest).
fn read_stdin() -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(phonelint::files::read::MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The baseline of a check: `--baseline FILE`, else (without
/// `--no-baseline`) the one phonelint.toml names. A configured baseline
/// that does not exist yet applies nothing, and a note says so: every
/// finding is then reported, which fails safe.
fn baseline_of(
    given: Option<&std::path::Path>,
    no_baseline: bool,
    workspace: &Workspace,
) -> Result<Option<Baseline>, baseline::BaselineError> {
    if let Some(path) = given {
        return Baseline::load(path, workspace).map(Some);
    }
    if no_baseline {
        return Ok(None);
    }
    let Some(path) = baseline::configured_path(workspace)? else {
        return Ok(None);
    };
    if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        eprintln!(
            "phonelint: note: no baseline at {} (named in {}): every finding is reported; `phonelint baseline` writes it",
            escape_controls(&workspace.name(&path)),
            workspace.config.baseline.origin
        );
        return Ok(None);
    }
    Baseline::load(&path, workspace).map(Some)
}

/// Appends `text` to the file at `path`, creating it if needed.
fn append(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// `--diff`: the fixes of one pass as a unified diff; nothing is written.
/// Exit 1 if `--fix` would change something, 0 if not, 2 on errors. Each
/// file is compared with the file on disk (`verify`), unless the text came
/// from standard input.
fn diff(outcome: &Outcome, args: &CheckArgs, verify: bool) -> ExitCode {
    let mut plan = fixes::plan(outcome.fixable(), args.unsafe_fixes);
    let mut failed = false;
    plan.files.retain(|fixed| {
        if !verify {
            return true;
        }
        match fixes::verify(&fixed.file) {
            Ok(_) => true,
            Err(skip) => {
                eprintln!(
                    "phonelint: error: {}: would not fix: {skip}",
                    fixed.file.name
                );
                failed = true;
                false
            }
        }
    });
    for (file, skip) in &plan.skipped {
        eprintln!("phonelint: {}: would not fix: {skip}", file.name);
    }
    for (file, left_out) in &plan.left_out {
        eprintln!(
            "phonelint: {}: {}",
            escape_controls(&file.name),
            escape_controls(&left_out.to_string())
        );
    }
    write_stdout(&render_diff(&plan, args.show_secrets));
    let count: usize = plan.files.iter().map(|f| f.fixes).sum();
    if !args.quiet {
        eprintln!(
            "phonelint: {count} fix(es) in {} file(s){}",
            plan.files.len(),
            unsafe_note(plan.unsafe_left)
        );
    }
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

/// Says on stderr what `--fix` did (with `show_fixes`, per file and rule;
/// with `quiet`, only its errors); true if a file could not be written.
fn report_fixes(applied: &fixes::Applied, quiet: bool, show_fixes: bool) -> bool {
    let mut failed = false;
    for (name, skip) in &applied.skipped {
        if skip.is_error() {
            failed = true;
            eprintln!("phonelint: error: {name}: not fixed: {skip}");
        } else {
            eprintln!("phonelint: {name}: not fixed: {skip}");
        }
    }
    for (name, left_out) in &applied.left_out {
        eprintln!(
            "phonelint: {}: {}",
            escape_controls(name),
            escape_controls(&left_out.to_string())
        );
    }
    if quiet {
        return failed;
    }
    eprintln!(
        "phonelint: fixed {} finding(s) in {} file(s){}",
        applied.fixes,
        applied.files,
        unsafe_note(applied.unsafe_left)
    );
    if show_fixes {
        let mut files: Vec<(&str, Vec<String>)> = Vec::new();
        for ((file, rule), count) in &applied.fixed {
            let entry = format!("{count} {rule}");
            match files.last_mut() {
                Some((name, rules)) if name == file => rules.push(entry),
                _ => files.push((file, vec![entry])),
            }
        }
        for (file, rules) in files {
            eprintln!("  {}: {}", escape_controls(file), rules.join(", "));
        }
    }
    failed
}

fn unsafe_note(unsafe_left: usize) -> String {
    if unsafe_left == 0 {
        String::new()
    } else {
        format!("; {unsafe_left} unsafe fix(es) more with --unsafe-fixes")
    }
}

/// `phonelint manpage`: clap_mangen's page of the command line (the check's
/// options, the subcommands), then exit status, environment and files.
fn manpage() -> ExitCode {
    let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
    let mut out = Vec::new();
    let rendered = man
        .render_title(&mut out)
        .and_then(|()| man.render_name_section(&mut out))
        .and_then(|()| man.render_synopsis_section(&mut out))
        .and_then(|()| man.render_description_section(&mut out))
        .and_then(|()| man.render_options_section(&mut out))
        .and_then(|()| man.render_subcommands_section(&mut out))
        .and_then(|()| man.render_version_section(&mut out));
    if let Err(error) = rendered {
        eprintln!("phonelint: internal error: the manual page: {error}");
        return ExitCode::from(EXIT_INTERNAL);
    }
    let mut page = String::from_utf8_lossy(&out).into_owned();
    for (heading, entries) in MAN_SECTIONS {
        page.push_str(&format!(".SH \"{heading}\"\n"));
        for (term, text) in *entries {
            page.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(term), roff(text)));
        }
    }
    write_stdout(&page);
    ExitCode::SUCCESS
}

/// The manual page's sections after clap's: each a heading and its terms.
const MAN_SECTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "EXIT STATUS",
        &[
            (
                "0",
                "Nothing at the fail-on severity was found (warnings and infos may have been).",
            ),
            (
                "1",
                "A finding at the fail-on severity (error, or warning with fail-on = \"warning\"); with --diff, fixes to apply.",
            ),
            (
                "2",
                "phonelint's own usage, configuration or I/O error, said on stderr; the rest of the repository is still checked.",
            ),
            ("3", "An internal error: a bug in phonelint."),
        ],
    ),
    (
        "ENVIRONMENT",
        &[
            (
                "FORCE_COLOR",
                "Set and not empty (other than 0 or false): colour human output even when it is not a terminal. --color wins.",
            ),
            (
                "NO_COLOR",
                "Set and not empty: no colour (unless FORCE_COLOR or --color always).",
            ),
            (
                "CLICOLOR_FORCE",
                "Set and not 0: colour, unless NO_COLOR is set. CLICOLOR=0 turns colour off.",
            ),
            (
                "TERM",
                "dumb: no colour, and ASCII drawing in human output.",
            ),
            (
                "LC_ALL, LC_CTYPE, LANG",
                "The first set decides the locale: human output draws with Unicode only in a UTF-8 one (--ascii forces ASCII).",
            ),
            (
                "GITHUB_ACTIONS",
                "true, with stdout not a terminal: the default format is github.",
            ),
            (
                "GITHUB_STEP_SUMMARY",
                "With github output: the file a Markdown job summary is appended to.",
            ),
            (
                "PHONELINT_TIMINGS",
                "1: the duration of each stage on stderr.",
            ),
        ],
    ),
    (
        "FILES",
        &[
            (
                "phonelint.toml, .phonelint.toml",
                "The project's configuration, at its root (the nearest directory above the first path holding one of them or .git).",
            ),
            (
                "phonelint-baseline.json",
                "Findings accepted for now, written by phonelint baseline and read with --baseline.",
            ),
        ],
    ),
    (
        "SEE ALSO",
        &[(
            "https://github.com/phonelint/phonelint#readme",
            "The README: configuration, suppressions, baseline, fixes, import, drift, the output formats and every rule (phonelint explain RULE).",
        )],
    ),
];

/// `text` for roff: backslashes and hyphens escaped, and a line that starts
/// with a dot or quote kept from being read as a request.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

fn explain(name: &str) -> ExitCode {
    let meta = find(name)
        .map(|rule| rule.meta())
        .or_else(|| phonelint::drift::rules::find(name));
    match meta {
        Some(meta) => {
            write_stdout(&phonelint::report::rules::explain(meta));
            ExitCode::SUCCESS
        }
        None => {
            let names = phonelint::rules::names()
                .chain(phonelint::drift::RULES.iter().map(|meta| meta.name));
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
