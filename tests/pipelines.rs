//! Repository scope, GitHub annotations, the job summary, SARIF and several
//! outputs per run, through the binary as CI systems run it.

mod common;

use std::path::Path;

use common::phonelint;
use serde_json::Value;

/// A phone record; `extra` lines are appended inside it.
fn phone(extension: &str, login: &str, status: &str, active: &str, extra: &str) -> String {
    format!(
        "[[phones]]\nextension = \"{extension}\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\n\
         server_ip = \"10.10.10.15\"\nlogin = \"{login}\"\npass = \"Hunter2xyz\"\n\
         status = \"{status}\"\nactive = \"{active}\"\nconf_secret = \"Kd93hxQa7\"\n{extra}"
    )
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A repository (marked by `.git`) with a clean file and a bad one.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(
        root,
        "phones/clean.toml",
        &phone("cc100", "cc100", "ACTIVE", "Y", ""),
    );
    write(
        root,
        "phones/admin.toml",
        &phone("gs102", "gs102", "ADMIN", "N", ""),
    );
    dir
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn given_files_are_reported_on_and_the_root_is_found_above_them() {
    let repo = repository();
    let sub = repo.path().join("phones");
    // Asked about the clean file only: nothing reported, exit 0.
    let clean = phonelint()
        .current_dir(&sub)
        .args(["clean.toml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let doc: Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["diagnostics"], serde_json::json!([]));

    // Asked about the bad file from inside phones/: paths in github output are
    // relative to the root, in human/short output to the current directory.
    let bad = phonelint()
        .current_dir(&sub)
        .args(["admin.toml", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).starts_with("::error file=phones/admin.toml,line=8,"),
        "{}",
        stdout(&bad)
    );
    let short = phonelint()
        .current_dir(&sub)
        .args(["admin.toml", "--format", "short"])
        .output()
        .unwrap();
    assert!(stdout(&short).starts_with("admin.toml:8:10: error[inactive-admin]"));

    // A directory is reported on in full.
    let all = phonelint()
        .current_dir(repo.path())
        .args([".", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(common::without_summary(&stdout(&all)).lines().count(), 1);
}

#[test]
fn root_flag_overrides_detection_and_must_be_a_directory() {
    let repo = repository();
    write(
        repo.path(),
        "inner/phonelint.toml",
        "[rules]\ninactive-admin = \"warning\"\n",
    );
    write(
        repo.path(),
        "inner/a.toml",
        &phone("x1", "x1", "ADMIN", "N", ""),
    );
    // Detected: inner/ is the root, its configuration applies; annotations
    // name the file from the top of the git checkout all the same.
    let detected = phonelint()
        .current_dir(repo.path())
        .args(["inner/a.toml", "--format", "github"])
        .output()
        .unwrap();
    assert!(
        stdout(&detected).starts_with("::warning file=inner/a.toml,"),
        "{}",
        stdout(&detected)
    );
    // Given: the checkout is the root, and it has no configuration.
    let given = phonelint()
        .current_dir(repo.path())
        .args(["inner/a.toml", "--root", ".", "--format", "github"])
        .output()
        .unwrap();
    assert!(
        stdout(&given).starts_with("::error file=inner/a.toml,"),
        "{}",
        stdout(&given)
    );
    phonelint()
        .current_dir(repo.path())
        .args(["--root", "nope", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--root nope: not a directory"));
}

/// Values from definition files that try to inject workflow commands.
const PAYLOAD_EXTENSION: &str = "x1\n::add-mask::Hunter2xyz\r::set-output name=a::b";

fn hostile_repository() -> tempfile::TempDir {
    let repo = repository();
    let extension = PAYLOAD_EXTENSION.replace('\n', "\\n").replace('\r', "\\r");
    write(
        repo.path(),
        "phones/hostile.toml",
        &phone(
            &extension,
            "x1",
            "ADMIN",
            "N",
            "fullname = \"Bob\\n::add-mask::x %0A::error::y\"\n",
        ),
    );
    write(
        repo.path(),
        "phones/hostile.json",
        r#"{"phones": [{"extension": "j1", "dialplan_number": "1", "voicemail_id": "1",
            "server_ip": "10.10.10.15", "login": "j1", "pass": "Hunter2xyz", "status": "ACTIVE",
            "active": "Y\n::warning::%0Ainjected", "full\r\n::add-mask::name": "x"}]}"#,
    );
    write(
        repo.path(),
        "odd\n::error::name,x:y%.toml",
        &phone("o1", "o1", "ADMIN", "N", ""),
    );
    repo
}

/// Undoes GitHub's escaping of a message.
fn unescape(data: &str) -> String {
    data.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn annotations_cannot_be_hijacked_by_definition_values() {
    let repo = hostile_repository();
    let output = phonelint()
        .current_dir(repo.path())
        .args(["--format", "github"])
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(!text.contains('\r'));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 4, "{text}");
    for line in &lines {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "a line that is not one of ours: {line:?}"
        );
        // The properties end at the first `::`; nothing in them is a raw `:` or `,`
        // except the separators phonelint wrote.
        let (head, _) = line[2..].split_once("::").unwrap();
        for property in head.split_once(' ').unwrap().1.split(',') {
            let (key, _) = property.split_once('=').unwrap();
            assert!(
                ["file", "line", "endLine", "col", "endColumn", "title"].contains(&key),
                "{line}"
            );
        }
    }
    // Errors come first.
    let first_warning = lines
        .iter()
        .position(|l| l.starts_with("::warning"))
        .unwrap();
    assert!(
        lines[..first_warning]
            .iter()
            .all(|l| l.starts_with("::error"))
    );
    assert!(
        lines[first_warning..]
            .iter()
            .all(|l| !l.starts_with("::error"))
    );

    // The extension comes back intact once GitHub unescapes the message...
    let key_line = lines
        .iter()
        .find(|l| l.contains("title=phonelint inactive-admin") && l.contains("hostile.toml"))
        .unwrap();
    let message = unescape(
        key_line
            .split_once("::")
            .unwrap()
            .1
            .split_once("::")
            .unwrap()
            .1,
    );
    assert!(
        message.contains("x1\n::add-mask::****\r::set-output"),
        "{message:?}"
    );
    // ... with the password masked: secrets never leave in annotations.
    assert!(!text.contains("Hunter2xyz"), "{text}");
    // A literal `%0A` in a value stays literal.
    let active = lines.iter().find(|l| l.contains("invalid-value")).unwrap();
    assert!(active.contains("%250Ainjected"), "{active}");
    assert!(active.contains("Y%0A::warning::"), "{active}");
    // File names are escaped as properties.
    assert!(
        text.contains("file=odd%0A%3A%3Aerror%3A%3Aname%2Cx%3Ay%25.toml,"),
        "{text}"
    );
}

/// The checks GitHub's runner makes before it accepts an annotation.
#[test]
fn annotations_pass_the_runners_position_checks() {
    let output = phonelint()
        .args(["fixtures/example", "--format", "github"])
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(text.lines().count() >= 9, "{text}");
    for line in text.lines() {
        let head = line[2..].split_once("::").unwrap().0;
        let properties: std::collections::HashMap<&str, usize> = head
            .split_once(' ')
            .unwrap()
            .1
            .split(',')
            .filter_map(|p| p.split_once('='))
            .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
            .collect();
        let (start, end) = (properties["line"], properties["endLine"]);
        assert!(start >= 1 && end >= start, "{line}");
        match (properties.get("col"), properties.get("endColumn")) {
            (Some(col), Some(end_col)) => {
                assert_eq!(start, end, "{line}");
                assert!(*col >= 1 && end_col >= col, "{line}");
            }
            (None, None) => assert_ne!(start, end, "{line}"),
            _ => panic!("col without endColumn: {line}"),
        }
    }
}

#[test]
fn github_is_the_default_in_actions_when_piped_and_an_explicit_format_wins() {
    let repo = repository();
    let run = |args: &[&str]| {
        let output = phonelint()
            .current_dir(repo.path())
            .env("GITHUB_ACTIONS", "true")
            .args(args)
            .output()
            .unwrap();
        stdout(&output)
    };
    assert!(run(&[]).starts_with("::error file=phones/admin.toml,"));
    assert!(run(&["--format", "short"]).starts_with("phones/admin.toml:8:10: error"));
    let outside = phonelint().current_dir(repo.path()).output().unwrap();
    assert!(stdout(&outside).contains("Checked 2 files"));
}

#[test]
fn the_job_summary_counts_rules_and_links_every_finding() {
    let repo = hostile_repository();
    let summary = repo.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = phonelint()
        .current_dir(repo.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/phones")
        .env("GITHUB_SHA", "0123abc")
        .output()
        .unwrap();
    let annotations = stdout(&output).lines().count();
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n## phonelint\n"), "{text}");
    assert!(text.contains("| `inactive-admin` | error | 3 |"), "{text}");
    assert!(text.contains(
        "[phones/admin.toml:8](https://github.com/acme/phones/blob/0123abc/phones/admin.toml#L8)"
    ));
    let rows = text
        .lines()
        .filter(|l| l.contains("](https://github.com/"))
        .count();
    assert_eq!(rows, annotations);
    assert!(!text.contains("Hunter2xyz"));
    // No line of the table is broken by a value.
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        assert!(
            line.starts_with('|') || line.starts_with("## ") || line.starts_with("Checked "),
            "{line:?}"
        );
    }
}

#[test]
fn the_job_summary_table_is_capped() {
    let repo = repository();
    let many: String = (0..phonelint::report::github::SUMMARY_MAX_ROWS + 3)
        .map(|i| phone(&format!("m{i}"), &format!("m{i}"), "ADMIN", "N", ""))
        .collect();
    write(repo.path(), "phones/many.toml", &many);
    let summary = repo.path().join("summary.md");
    phonelint()
        .current_dir(repo.path())
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1);
    let text = std::fs::read_to_string(&summary).unwrap();
    let rows = text.lines().filter(|l| l.starts_with("| error |")).count();
    assert_eq!(rows, phonelint::report::github::SUMMARY_MAX_ROWS);
    assert!(
        text.contains("... and 4 more findings: see the annotations"),
        "{text}"
    );
}

fn sarif_of(dir: &Path, args: &[&str]) -> Value {
    let output = phonelint()
        .current_dir(dir)
        .args(args)
        .args(["--format", "sarif"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn sarif_describes_the_tool_and_locates_results_in_the_repository() {
    let repo = hostile_repository();
    let doc = sarif_of(&repo.path().join("phones"), &["admin.toml"]);
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "phonelint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], phonelint::report::INFORMATION_URI);
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), phonelint::rules::RULES.len());
    let admin = rules.iter().find(|r| r["id"] == "inactive-admin").unwrap();
    assert_eq!(admin["defaultConfiguration"]["level"], "error");
    assert!(
        admin["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why it matters")
    );
    assert!(
        !admin["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "only the file asked about");
    let result = &results[0];
    assert_eq!(result["ruleId"], "inactive-admin");
    assert_eq!(result["level"], "error");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "inactive-admin"
    );
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "phones/admin.toml");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 8, "startColumn": 10, "endLine": 8, "endColumn": 17})
    );
    // The secondary label (active) is a related location.
    assert_eq!(
        result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        9
    );

    let whole = serde_json::to_string(&sarif_of(repo.path(), &[])).unwrap();
    assert!(!whole.contains("Hunter2xyz"));
    assert!(whole.contains("odd%0A%3A%3Aerror%3A%3Aname%2Cx%3Ay%25.toml"));
}

#[test]
fn fingerprints_survive_edits_above_and_differ_between_records() {
    let repo = repository();
    let fingerprints = |dir: &Path| -> Vec<(u64, String)> {
        let doc = sarif_of(dir, &[]);
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                    r["partialFingerprints"]["phonelint/v1"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect()
    };
    let before = fingerprints(repo.path());
    let admin = repo.path().join("phones/admin.toml");
    let text = std::fs::read_to_string(&admin).unwrap();
    std::fs::write(&admin, format!("# a comment\n\n{text}")).unwrap();
    let after = fingerprints(repo.path());
    assert_eq!(before.len(), 1);
    assert_eq!(after[0].0, before[0].0 + 2);
    assert_eq!(after[0].1, before[0].1);
    std::fs::write(&admin, text.replace("gs102", "gs103")).unwrap();
    assert_ne!(fingerprints(repo.path())[0].1, before[0].1);
}

#[test]
fn several_outputs_in_one_run() {
    let repo = repository();
    let output = phonelint()
        .current_dir(repo.path())
        .args(["--format", "github"])
        .args(["--output-format", "sarif", "--output-file", "out.sarif"])
        .args(["--output-format", "json", "--output-file", "out.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("::error "));
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    let json: Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["errors"], 1);

    phonelint()
        .current_dir(repo.path())
        .args(["--output-format", "sarif"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs its --output-file"));
    phonelint()
        .current_dir(repo.path())
        .args([
            "--output-format",
            "sarif",
            "--output-file",
            "no/such/dir/x.sarif",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot write"));
}

/// The repository is walked once: directories asked about are not walked
/// again for the cross-file rules, yet every file is read exactly once and
/// the rules still see the files outside them.
#[test]
fn asked_directories_and_the_rest_of_the_repository_are_each_read_once() {
    let repo = repository();
    let root = repo.path();
    write(
        root,
        "other/b.toml",
        &phone("cc200", "gs102", "ACTIVE", "Y", ""),
    );
    write(root, ".gitignore", "drafts/\n");
    write(
        root,
        "drafts/d.toml",
        &phone("cc300", "gs102", "ACTIVE", "Y", ""),
    );
    let json = |args: &[&str]| -> Value {
        let output = phonelint()
            .current_dir(root)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let rules_in = |doc: &Value, path: &str| -> Vec<String> {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == path)
            .map(|d| d["rule"].as_str().unwrap().to_owned())
            .collect()
    };

    // phones/ only: the login clash with other/b.toml is seen from phones/,
    // and a broken file elsewhere, read for the rules across files, is not
    // reported.
    write(root, "other/broken.toml", "x = \n");
    let phones = json(&["phones"]);
    assert!(rules_in(&phones, "other/broken.toml").is_empty());
    assert_eq!(phones["summary"]["files"], 2);
    assert!(rules_in(&phones, "phones/admin.toml").contains(&"duplicate-login".to_owned()));
    assert!(rules_in(&phones, "other/b.toml").is_empty());
    let related = &phones["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "duplicate-login")
        .unwrap()["related"];
    assert_eq!(related[0]["path"], "other/b.toml");

    // A directory and a file inside it, and another file: each counted once.
    let both = json(&["phones", "phones/admin.toml", "other/b.toml"]);
    assert_eq!(both["summary"]["files"], 3);
    assert_eq!(
        rules_in(&both, "phones/admin.toml")
            .iter()
            .filter(|rule| *rule == "duplicate-login")
            .count(),
        1
    );

    // An ignored directory asked about by name is read, and its clash with
    // the repository is found; the repository walk still leaves it out.
    let drafts = json(&["drafts"]);
    assert_eq!(drafts["summary"]["files"], 1);
    assert!(rules_in(&drafts, "drafts/d.toml").contains(&"duplicate-login".to_owned()));
    let whole = json(&["."]);
    assert_eq!(whole["summary"]["files"], 3);
    assert_eq!(rules_in(&whole, "other/broken.toml"), ["parse-error"]);
}
