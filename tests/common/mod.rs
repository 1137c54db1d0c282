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

pub fn rule_fixture(rule: &str, which: &str) -> PathBuf {
    PathBuf::from("fixtures/rules").join(rule).join(which)
}

pub fn short(outcome: &Outcome) -> String {
    render(OutputFormat::Short, outcome, RenderOptions::default())
}

pub fn human(outcome: &Outcome) -> String {
    render(OutputFormat::Human, outcome, RenderOptions::default())
}

pub fn phonelint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("phonelint").expect("binary built");
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

/// Runs `phonelint --format short ARGS` in `cwd`: exit code, stdout, stderr.
pub fn run_short(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = phonelint()
        .current_dir(cwd)
        .args(["--format", "short"])
        .args(args)
        .output()
        .expect("phonelint runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
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
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("sh runs")
}
