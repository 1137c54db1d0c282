//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod mariadb;

use std::path::{Path, PathBuf};

use phonelint::Outcome;
use phonelint::report::{OutputFormat, RenderOptions, render};

/// The crate root: cargo runs integration tests there, and fixture paths in
/// outputs are shown relative to it.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Checks `path` as `phonelint path` run from the crate root would, with the
/// phonelint.toml found from `path` upwards and, when `path` holds a
/// phonelint-baseline.json, with `--baseline` it (fixtures of the policy rules
/// carry them).
pub fn check(path: impl AsRef<Path>) -> Outcome {
    let found = phonelint::config::find(&root().join(path.as_ref()));
    let mut config = phonelint::config::Config::load(&root(), found.as_deref(), false)
        .expect("a valid configuration");
    let baseline = path.as_ref().join(phonelint::baseline::DEFAULT_FILE);
    if root().join(&baseline).is_file() {
        let baseline = phonelint::baseline::Baseline::load(&baseline, &root()).expect("a baseline");
        config.baseline = Some(std::sync::Arc::new(baseline));
    }
    phonelint::check_with(&[path.as_ref().to_path_buf()], &root(), &config)
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
