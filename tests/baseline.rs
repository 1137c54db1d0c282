//! The baseline workflow: write today's findings, report only new ones, and
//! report the entries that no longer match.

mod common;

use std::path::Path;

use common::phonelint;
use serde_json::Value;

const INACTIVE_ADMIN: &str = include_str!("../fixtures/rules/inactive-admin/bad/phones.toml");
const INACTIVE_WITH_ACCESS: &str =
    include_str!("../fixtures/rules/inactive-with-access/bad/phones.toml");

fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("phones")).unwrap();
    // inactive-with-access is off by default; these tests want two findings.
    std::fs::write(
        dir.path().join("phonelint.toml"),
        "[rules]\ninactive-with-access = \"warning\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("phones/a.toml"),
        format!("{INACTIVE_ADMIN}\n{INACTIVE_WITH_ACCESS}"),
    )
    .unwrap();
    dir
}

fn short(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let (code, out, _) = common::run_short(dir, args);
    (code, out)
}

fn write_baseline(dir: &Path) {
    phonelint()
        .current_dir(dir)
        .arg("baseline")
        .assert()
        .code(0)
        .stderr("phonelint: wrote 2 findings to phonelint-baseline.json\n");
}

#[test]
fn baseline_lists_every_finding_without_lines() {
    let dir = repository();
    write_baseline(dir.path());
    let text = std::fs::read_to_string(dir.path().join("phonelint-baseline.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    let entries = doc["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let admin = entries
        .iter()
        .find(|e| e["rule"] == "inactive-admin")
        .unwrap();
    assert_eq!(admin["path"], "phones/a.toml");
    assert_eq!(admin["record"], "gs102@10.10.10.15");
    assert_eq!(admin["field"], "status");
    assert_eq!(admin["fingerprint"].as_str().unwrap().len(), 16);
    assert!(!text.contains("line"), "{text}");
    // One entry per line, for reviewable diffs.
    assert_eq!(
        text.lines().filter(|l| l.contains("fingerprint")).count(),
        2
    );

    // From a subdirectory, paths are still relative to the project root.
    phonelint()
        .current_dir(dir.path().join("phones"))
        .args(["baseline", "-o", "../again.json"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("again.json")).unwrap(),
        text
    );
}

#[test]
fn baselined_findings_are_not_reported_even_after_edits_above_them() {
    let dir = repository();
    write_baseline(dir.path());
    let (code, out) = short(dir.path(), &["--baseline", "phonelint-baseline.json"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));

    // An unrelated edit above: a comment, a new clean phone, reordered keys.
    let clean = INACTIVE_ADMIN
        .replace("\"gs102\"", "\"cc300\"")
        .replace("\"ADMIN\"", "\"ACTIVE\"")
        .replace("active = \"N\"", "active = \"Y\"");
    let edited = format!(
        "# Floor 3\n\n{clean}\n{}\n{INACTIVE_WITH_ACCESS}",
        INACTIVE_ADMIN
            .replace("protocol = \"SIP\"\n", "")
            .replace("[[phones]]\n", "[[phones]]\nprotocol = \"SIP\"\n")
    );
    std::fs::write(dir.path().join("phones/a.toml"), &edited).unwrap();
    let (code, out) = short(dir.path(), &["--baseline", "phonelint-baseline.json"]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{edited}");

    // A new finding is reported; the baselined ones stay quiet.
    std::fs::write(
        dir.path().join("phones/b.toml"),
        INACTIVE_ADMIN.replace("gs102", "gs103"),
    )
    .unwrap();
    let (code, out) = short(dir.path(), &["--baseline", "phonelint-baseline.json"]);
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("phones/b.toml:9:10: error[inactive-admin]"),
        "{out}"
    );
}

#[test]
fn entries_that_match_nothing_are_stale() {
    let dir = repository();
    write_baseline(dir.path());
    // gs102 is fixed; cc104 stays.
    std::fs::write(
        dir.path().join("phones/a.toml"),
        format!(
            "{}\n{INACTIVE_WITH_ACCESS}",
            INACTIVE_ADMIN.replace("\"ADMIN\"", "\"SUSPENDED\"")
        ),
    )
    .unwrap();
    let (code, out) = short(dir.path(), &["--baseline", "phonelint-baseline.json"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "phonelint-baseline.json:5:20: info[stale-baseline-entry] stale baseline entry: `inactive-admin` no longer reported in phones/a.toml on `gs102@10.10.10.15` field `status`\n"
    );

    // Checking another file alone does not make the entries stale...
    std::fs::write(
        dir.path().join("other.toml"),
        INACTIVE_WITH_ACCESS.replace("cc104", "cc105"),
    )
    .unwrap();
    let (_, out) = short(
        dir.path(),
        &["--baseline", "phonelint-baseline.json", "other.toml"],
    );
    assert!(!out.contains("stale-baseline-entry"), "{out}");
    // ...but a deleted file's entries are.
    std::fs::remove_file(dir.path().join("phones/a.toml")).unwrap();
    let (_, out) = short(
        dir.path(),
        &["--baseline", "phonelint-baseline.json", "other.toml"],
    );
    assert_eq!(out.matches("stale-baseline-entry").count(), 2, "{out}");
}

#[test]
fn a_missing_or_broken_baseline_is_an_error() {
    let dir = repository();
    let (code, _) = short(dir.path(), &["--baseline", "nope.json"]);
    assert_eq!(code, Some(2));
    std::fs::write(dir.path().join("bad.json"), "{\"phones\": []}").unwrap();
    phonelint()
        .current_dir(dir.path())
        .args(["--baseline", "bad.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "bad.json: not a phonelint baseline",
        ));
}

/// A baseline written for one directory sees the rest of the repository, as
/// the check does: a clash with a file outside it is baselined, and the check
/// of that directory is then clean.
#[test]
fn a_baseline_of_a_directory_holds_its_clashes_with_the_rest() {
    let phone = |extension: &str, number: &str| {
        format!(
            "[[phones]]\nextension = \"{extension}\"\ndialplan_number = \"{number}\"\n\
             voicemail_id = \"{number}\"\nserver_ip = \"10.10.10.15\"\nlogin = \"shared\"\n\
             pass = \"Hunter2xyz\"\nstatus = \"ACTIVE\"\nactive = \"Y\"\n\
             conf_secret = \"Kd93hxQa7\"\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (file, extension, number) in [
        ("phones/a.toml", "cc100", "8300"),
        ("other/b.toml", "cc200", "8301"),
    ] {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, phone(extension, number)).unwrap();
    }
    // Before the baseline: the login clash is reported on phones/a.toml.
    let (code, out) = short(dir.path(), &["phones"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("phones/a.toml") && out.contains("duplicate-login"),
        "{out}"
    );
    phonelint()
        .current_dir(dir.path())
        .args(["baseline", "phones"])
        .assert()
        .code(0)
        .stderr("phonelint: wrote 1 finding to phonelint-baseline.json\n");
    let (code, out) = short(
        dir.path(),
        &["phones", "--baseline", "phonelint-baseline.json"],
    );
    assert_eq!((code, out.as_str()), (Some(0), ""));
}
