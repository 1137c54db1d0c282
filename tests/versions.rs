//! One version everywhere: what `phonelint --version` prints is Cargo.toml's
//! version, which the wheel takes as well (python/pyproject.toml declares it
//! dynamic), the pre-commit placeholder pins, CHANGELOG.md has a section for
//! and the README's snippets name as the tag the release process creates
//! (CONTRIBUTING.md, "Cutting a release"; .ci/release.py checks the same on
//! the tag before anything is published).

mod common;

use std::fs;
use std::process::Command;

use common::root;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(name: &str) -> String {
    fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn toml_file(name: &str) -> toml::Table {
    read(name).parse().unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The strings of a TOML array.
fn strings(value: &toml::Value) -> Vec<&str> {
    let array = value.as_array().expect("an array");
    array.iter().filter_map(|v| v.as_str()).collect()
}

#[test]
fn the_binary_says_the_cargo_version() {
    let out = Command::new(env!("CARGO_BIN_EXE_phonelint"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("phonelint {VERSION}\n")
    );
}

#[test]
fn the_readme_snippets_name_the_current_release_tag() {
    let readme = read("README.md");
    let tag = format!("v{VERSION}");
    let revs: Vec<&str> = readme
        .lines()
        .filter_map(|line| line.trim().strip_prefix("rev: "))
        .collect();
    let uses: Vec<&str> = readme
        .lines()
        .filter_map(|line| line.trim().strip_prefix("uses: "))
        .filter(|action| action.contains("/phonelint@"))
        .collect();
    assert!(!revs.is_empty(), "the README has a pre-commit snippet");
    assert!(!uses.is_empty(), "the README has a workflow snippet");
    for rev in revs {
        let rev = rev.split_whitespace().next().unwrap_or("");
        assert_eq!(rev, tag, "pre-commit snippet: rev: {rev}");
    }
    for action in uses {
        let at = action.split_whitespace().next().unwrap_or("");
        assert!(
            at.ends_with(&format!("@{tag}")),
            "workflow snippet: uses: {at}"
        );
    }
    // So do the wheel pins (`pipx install phonelint==X`).
    for pin in readme.split("phonelint==").skip(1) {
        let pin = pin
            .split(|c: char| c.is_whitespace() || c == '`')
            .next()
            .unwrap_or("");
        assert_eq!(pin, VERSION, "wheel pin phonelint=={pin}");
    }
    // The binary download names it too.
    let downloads: Vec<&str> = readme
        .split("/releases/download/")
        .skip(1)
        .map(|rest| rest.split(['/', '"', '\n', ' ']).next().unwrap_or(""))
        .collect();
    assert!(!downloads.is_empty(), "the README has a binary download");
    for download in downloads {
        assert_eq!(download, tag, "binary download of {download}");
    }
}

#[test]
fn the_changelog_has_a_section_for_the_version() {
    let changelog = read("CHANGELOG.md");
    let heading = format!("## [{VERSION}] - ");
    assert!(
        changelog.lines().any(|line| line.starts_with(&heading)),
        "CHANGELOG.md has no `{heading}...`"
    );
}

#[test]
fn the_wheel_takes_its_version_from_cargo() {
    let wheel = toml_file("python/pyproject.toml");
    let project = wheel["project"].as_table().unwrap();
    assert_eq!(project["name"].as_str(), Some("phonelint"));
    assert!(
        !project.contains_key("version"),
        "python/pyproject.toml must not write a version of its own"
    );
    let dynamic = strings(&project["dynamic"]);
    assert!(dynamic.contains(&"version"), "{dynamic:?}");
    assert_eq!(wheel["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
}

#[test]
fn the_pre_commit_placeholder_pins_this_version() {
    let placeholder = toml_file("pyproject.toml");
    let project = placeholder["project"].as_table().unwrap();
    assert_eq!(project["version"].as_str(), Some(VERSION));
    assert_eq!(
        strings(&project["dependencies"]),
        [format!("phonelint=={VERSION}")]
    );
}
