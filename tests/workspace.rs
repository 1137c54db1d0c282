//! Where a check's root is, which configuration applies, and which paths each
//! output shows, in the monorepo case: a git checkout whose definitions live
//! in a subfolder holding phonelint.toml, checked from the git root (as
//! pre-commit and the Action run it), from the subfolder, and from anywhere
//! else.

mod common;

use std::path::Path;

use common::phonelint;
use serde_json::Value;

const INACTIVE_ADMIN: &str = include_str!("../fixtures/rules/inactive-admin/bad/phones.toml");

/// `repo/.git`, and `repo/defs` holding phonelint.toml (inactive-admin at
/// warning; legacy/ excluded; an [[allow]] with a path glob), an inactive
/// ADMIN phone in phones/admin.toml, another in legacy/old.toml and a third
/// in lab/x.toml that the [[allow]] covers.
fn monorepo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let defs = repo.join("defs");
    for sub in ["phones", "legacy", "lab"] {
        std::fs::create_dir_all(defs.join(sub)).unwrap();
    }
    std::fs::write(
        defs.join("phonelint.toml"),
        "exclude = [\"legacy/**\"]\n\n[rules]\ninactive-admin = \"warning\"\n\n\
         [[allow]]\nrule = \"inactive-admin\"\nrecord = \"lab1@10.10.10.15\"\npath = \"lab/*.toml\"\n\
         reason = \"a lab phone\"\n",
    )
    .unwrap();
    std::fs::write(defs.join("phones/admin.toml"), INACTIVE_ADMIN).unwrap();
    std::fs::write(
        defs.join("legacy/old.toml"),
        INACTIVE_ADMIN.replace("gs102", "old1"),
    )
    .unwrap();
    std::fs::write(
        defs.join("lab/x.toml"),
        INACTIVE_ADMIN.replace("gs102", "lab1"),
    )
    .unwrap();
    dir
}

struct Run {
    code: Option<i32>,
    stdout: String,
}

fn run(cwd: &Path, args: &[&str], format: &str) -> Run {
    let output = phonelint()
        .current_dir(cwd)
        .args(args)
        .args(["--format", format])
        .output()
        .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
    }
}

/// What one invocation shows: the short lines, the github `file=` of each
/// annotation and the SARIF uri of each result.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    code: Option<i32>,
    short: Vec<String>,
    github: Vec<String>,
    sarif: Vec<String>,
}

fn seen(cwd: &Path, args: &[&str]) -> Seen {
    let short = run(cwd, args, "short");
    let github = run(cwd, args, "github");
    let sarif = run(cwd, args, "sarif");
    let doc: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let uris = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    Seen {
        code: short.code,
        short: common::without_summary(&short.stdout)
            .lines()
            .map(|line| line.split(" inactive").next().unwrap().to_owned())
            .collect(),
        github: github
            .stdout
            .lines()
            .map(|line| {
                let file = line.split("file=").nth(1).unwrap();
                file.split(',').next().unwrap().to_owned()
            })
            .collect(),
        sarif: uris,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn expect(code: i32, short: &[&str], github: &[&str], sarif: &[&str]) -> Seen {
    Seen {
        code: Some(code),
        short: strings(short),
        github: strings(github),
        sarif: strings(sarif),
    }
}

#[test]
fn from_the_git_root_the_subfolder_and_elsewhere() {
    let dir = monorepo();
    let repo = dir.path().join("repo");
    let defs = repo.join("defs");
    let elsewhere = tempfile::tempdir().unwrap();
    let defs_absolute = defs.to_str().unwrap();
    let admin_absolute = defs.join("phones/admin.toml");

    // The configuration of the subfolder applies from everywhere (admin.toml
    // at warning, legacy/ excluded, lab/x.toml allowed), and github and SARIF
    // name the file from the top of the checkout.
    let github = ["defs/phones/admin.toml"];
    // From the git root, as pre-commit runs it (the staged files).
    assert_eq!(
        seen(&repo, &["defs/phones/admin.toml"]),
        expect(
            0,
            &["defs/phones/admin.toml:9:10: warning[inactive-admin]"],
            &github,
            &github,
        )
    );
    // From the git root, as the Action runs it with `paths: defs`.
    assert_eq!(
        seen(&repo, &["defs"]),
        expect(
            0,
            &["defs/phones/admin.toml:9:10: warning[inactive-admin]"],
            &github,
            &github,
        )
    );
    // From the subfolder.
    assert_eq!(
        seen(&defs, &[]),
        expect(
            0,
            &["phones/admin.toml:9:10: warning[inactive-admin]"],
            &github,
            &github,
        )
    );
    // From anywhere else, naming the subfolder.
    assert_eq!(
        seen(elsewhere.path(), &[defs_absolute]),
        expect(
            0,
            &[&format!(
                "{defs_absolute}/phones/admin.toml:9:10: warning[inactive-admin]"
            )],
            &github,
            &github,
        )
    );
    // From anywhere else, naming one file.
    assert_eq!(
        seen(elsewhere.path(), &[admin_absolute.to_str().unwrap()]),
        expect(
            0,
            &[&format!(
                "{defs_absolute}/phones/admin.toml:9:10: warning[inactive-admin]"
            )],
            &github,
            &github,
        )
    );
    // From the git root asking about the whole checkout, the checkout is the
    // root: the subfolder's configuration is not it.
    assert_eq!(
        seen(&repo, &[]),
        expect(
            1,
            &[
                "defs/lab/x.toml:9:10: error[inactive-admin]",
                "defs/legacy/old.toml:9:10: error[inactive-admin]",
                "defs/phones/admin.toml:9:10: error[inactive-admin]",
            ],
            &[
                "defs/lab/x.toml",
                "defs/legacy/old.toml",
                "defs/phones/admin.toml",
            ],
            &[
                "defs/lab/x.toml",
                "defs/legacy/old.toml",
                "defs/phones/admin.toml",
            ],
        )
    );
}

/// `phonelint baseline` names files relative to the project root, whatever
/// the current directory, with the project's configuration.
#[test]
fn baseline_entries_from_the_git_root_and_the_subfolder() {
    let dir = monorepo();
    let repo = dir.path().join("repo");
    let defs = repo.join("defs");
    let paths_in = |file: &Path| -> Vec<String> {
        let doc: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["path"].as_str().unwrap().to_owned())
            .collect()
    };
    phonelint()
        .current_dir(&repo)
        .args(["baseline", "defs", "-o", "from-git-root.json"])
        .assert()
        .success();
    assert_eq!(
        paths_in(&repo.join("from-git-root.json")),
        ["phones/admin.toml"]
    );
    phonelint()
        .current_dir(&defs)
        .args(["baseline", "-o", "from-defs.json"])
        .assert()
        .success();
    assert_eq!(
        paths_in(&defs.join("from-defs.json")),
        ["phones/admin.toml"]
    );
}

/// `phonelint config` says which file applies and where the root is.
#[test]
fn config_subcommand_names_the_file_and_the_root() {
    let dir = monorepo();
    let repo = dir.path().join("repo");
    let defs = repo.join("defs");
    let described = |cwd: &Path| {
        let output = phonelint().current_dir(cwd).arg("config").output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        let text = String::from_utf8(output.stdout).unwrap();
        text.lines().take(2).collect::<Vec<_>>().join("\n")
    };
    let root = |path: &Path| path.canonicalize().unwrap().display().to_string();
    assert_eq!(
        described(&defs),
        format!(
            "# configuration file: phonelint.toml\n# project root: {}",
            root(&defs)
        )
    );
    assert_eq!(
        described(&repo),
        format!(
            "# no configuration file: defaults only\n# project root: {}",
            root(&repo)
        )
    );
}
