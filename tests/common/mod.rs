//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod mariadb;

use std::path::{Path, PathBuf};

use phonelint::model::Outcome;
use phonelint::policy::baseline::{Baseline, DEFAULT_FILE};
use phonelint::report::{OutputFormat, RenderOptions, render};
use phonelint::workspace::{Options, Workspace};

/// The crate root: cargo runs integration tests there, and fixture paths in
/// outputs are shown relative to it.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Checks `path` as `phonelint path` run from the crate root does: the same
/// workspace (root and configuration found from `path`) and, when `path`
/// holds a phonelint-baseline.json, with `--baseline` it (fixtures of the
/// policy rules carry them).
pub fn check(path: impl AsRef<Path>) -> Outcome {
    let path = path.as_ref().to_path_buf();
    let workspace =
        Workspace::new(&root(), Some(&path), &Options::default()).expect("a valid workspace");
    let baseline = path.join(DEFAULT_FILE);
    let baseline = root()
        .join(&baseline)
        .is_file()
        .then(|| Baseline::load(&baseline, &workspace).expect("a baseline"));
    phonelint::check::check(&workspace, &[path], baseline.as_ref())
}

/// Checks `paths` from `cwd` with default settings, as `phonelint --isolated`
/// run there does.
pub fn check_isolated(cwd: &Path, paths: &[PathBuf]) -> Outcome {
    let options = Options {
        isolated: true,
        ..Options::default()
    };
    let workspace =
        Workspace::new(cwd, paths.first().map(PathBuf::as_path), &options).expect("a workspace");
    phonelint::check::check(&workspace, paths, None)
}

/// Copies the directory `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn rule_fixture(rule: &str, which: &str) -> PathBuf {
    PathBuf::from("fixtures/rules").join(rule).join(which)
}

/// The findings of `outcome` as short lines, without the closing summary.
pub fn short(outcome: &Outcome) -> String {
    let options = RenderOptions {
        quiet: true,
        ..RenderOptions::default()
    };
    render(OutputFormat::Short, outcome, options)
}

/// Short output without its closing summary (`Checked ...` and the line
/// about fixes that may follow it): the finding lines. Output that has
/// findings and no summary is a failure: the summary must close it.
pub fn without_summary(out: &str) -> String {
    let lines: Vec<&str> = out.lines().collect();
    let Some(at) = lines.iter().rposition(|line| line.starts_with("Checked ")) else {
        assert!(out.is_empty(), "no summary closes the output:\n{out}");
        return String::new();
    };
    assert!(
        lines[at + 1..]
            .iter()
            .all(|line| line.starts_with("[*] ") || line.starts_with("No safe fixes")),
        "the summary is not last:\n{out}"
    );
    lines[..at].iter().map(|line| format!("{line}\n")).collect()
}

pub fn human(outcome: &Outcome) -> String {
    render(OutputFormat::Human, outcome, RenderOptions::default())
}

/// The cache directory of the tests' runs: one that cannot be made (below
/// a file), so that they run without a cache, never touch the user's, and
/// leave no cache of their temporary repositories behind. tests/cache.rs
/// gives each of its runs a directory of its own.
pub fn test_cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml/no-cache")
}

pub fn phonelint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("phonelint").expect("binary built");
    // Output as in a UTF-8 terminal whatever the machine's locale; colour
    // and ASCII are tested by setting these.
    cmd.current_dir(root())
        .env("PHONELINT_CACHE_DIR", test_cache_dir())
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .env_remove("TERM")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

/// Runs `phonelint --format short ARGS` in `cwd`: exit code, the finding
/// lines of stdout (its summary checked and taken off), stderr.
pub fn run_short(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = phonelint()
        .current_dir(cwd)
        .args(["--format", "short"])
        .args(args)
        .output()
        .expect("phonelint runs");
    (
        output.status.code(),
        without_summary(&String::from_utf8_lossy(&output.stdout)),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs the phonelint binary in `cwd` on a disk that is full for every file
/// it creates: the file-size limit is 0 (RLIMIT_FSIZE, `ulimit -f 0`) with
/// SIGXFSZ ignored, so each write to a file fails with EFBIG, as on a full
/// disk, whatever the user (root included). stdout and stderr are pipes, which
/// the limit does not touch.
#[cfg(unix)]
pub fn phonelint_on_a_full_disk(cwd: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_phonelint"))
        .args(args)
        .current_dir(cwd)
        .env("PHONELINT_CACHE_DIR", test_cache_dir())
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("sh runs")
}
