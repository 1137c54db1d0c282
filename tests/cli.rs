//! The binary as a user runs it: exit codes, formats, subcommands.

mod common;

use common::phonelint;
use predicates::prelude::*;
use serde_json::Value;

fn json_of(args: &[&str]) -> Value {
    let output = phonelint()
        .args(args)
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

#[test]
fn exit_code_zero_when_clean() {
    phonelint()
        .arg("fixtures/rules/inactive-admin/clean")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no problems found"));
}

#[test]
fn exit_code_one_when_errors_found() {
    phonelint()
        .arg("fixtures/rules/inactive-admin/bad")
        .assert()
        .code(1);
}

#[test]
fn warnings_alone_exit_zero() {
    phonelint()
        .arg("fixtures/rules/blocked-but-listed/bad")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("3 warnings"));
}

#[test]
fn exit_code_two_for_missing_paths_but_the_rest_is_checked() {
    phonelint()
        .args(["no/such/dir", "fixtures/rules/inactive-admin/bad"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/dir: no such file or directory",
        ))
        .stdout(predicate::str::contains("inactive-admin"));
}

#[test]
fn exit_code_two_for_bad_usage() {
    phonelint().arg("--format=xml").assert().code(2);
    phonelint()
        .args(["explain", "inactive-admn"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `inactive-admin`?"));
}

#[test]
fn check_subcommand_is_the_default_command() {
    let a = phonelint()
        .args(["check", "fixtures/example", "--format", "short"])
        .output()
        .unwrap();
    let b = phonelint()
        .args(["fixtures/example", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.status.code(), Some(1));
    assert!(!a.stdout.is_empty());
}

#[test]
fn default_path_is_the_current_directory() {
    let output = phonelint()
        .current_dir(common::root().join("fixtures/example"))
        .args(["--format", "short"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("phones/admin.toml:11:10: error[inactive-admin]"),
        "{text}"
    );
}

#[test]
fn explain_prints_the_rule_documentation() {
    phonelint()
        .args(["explain", "inactive-admin"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# inactive-admin (error)"))
        .stdout(predicate::str::contains("## Why it matters"))
        .stdout(predicate::str::contains("vicidial-phones.md §1"));
}

#[test]
fn rules_lists_every_rule_with_severity() {
    let output = phonelint().arg("rules").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for rule in phonelint::rules::RULES {
        let meta = rule.meta();
        let line = text
            .lines()
            .find(|line| line.split_whitespace().next() == Some(meta.name))
            .unwrap_or_else(|| panic!("{} not listed", meta.name));
        // A rule that is off unless configured lists as such.
        let level = if meta.off_by_default {
            "off"
        } else {
            meta.severity.as_str()
        };
        assert_eq!(line.split_whitespace().nth(1), Some(level), "{line}");
    }
}

#[test]
fn json_output_follows_the_contract() {
    let doc = json_of(&["fixtures/example"]);
    assert_eq!(doc["version"], 1);
    let summary = &doc["summary"];
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    let count = |severity: &str| {
        diagnostics
            .iter()
            .filter(|d| d["severity"] == severity)
            .count()
    };
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["infos"], count("info"));
    assert_eq!(summary["files"], 8);
    assert!(summary["records"].as_u64().unwrap() >= 30);

    let admin = diagnostics
        .iter()
        .find(|d| d["rule"] == "inactive-admin")
        .unwrap();
    assert_eq!(admin["severity"], "error");
    assert_eq!(admin["path"], "fixtures/example/phones/admin.toml");
    assert_eq!(
        admin["span"]["start"],
        serde_json::json!({"line": 11, "column": 10})
    );
    assert_eq!(
        admin["span"]["end"],
        serde_json::json!({"line": 11, "column": 17})
    );
    assert_eq!(
        admin["record"],
        serde_json::json!({"kind": "phone", "key": "gs102@10.10.10.15"})
    );
    assert!(admin["help"].as_str().unwrap().contains("active = \"Y\""));
    assert_eq!(admin["related"], serde_json::json!([]));
    assert!(admin["fix"].is_null());

    // offset and length are bytes into the file, and cover the value exactly.
    let text =
        std::fs::read_to_string(common::root().join("fixtures/example/phones/admin.toml")).unwrap();
    let offset = admin["span"]["offset"].as_u64().unwrap() as usize;
    let length = admin["span"]["length"].as_u64().unwrap() as usize;
    assert_eq!(&text[offset..offset + length], "\"ADMIN\"");

    let status = diagnostics
        .iter()
        .find(|d| d["rule"] == "unknown-status")
        .unwrap();
    assert_eq!(status["fix"]["applicability"], "safe");
    assert_eq!(status["fix"]["edits"][0]["replacement"], "\"ACTIVE\"");
}

#[test]
fn json_paths_use_forward_slashes_relative_to_the_current_directory() {
    let output = phonelint()
        .current_dir(common::root().join("fixtures"))
        .args(["example/phones", "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    for d in doc["diagnostics"].as_array().unwrap() {
        assert!(
            d["path"].as_str().unwrap().starts_with("example/phones/"),
            "{d}"
        );
    }
}

#[test]
fn short_format_is_one_line_per_finding() {
    let output = phonelint()
        .args(["fixtures/example", "--format", "short"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let doc = json_of(&["fixtures/example"]);
    assert_eq!(
        common::without_summary(&text).lines().count(),
        doc["diagnostics"].as_array().unwrap().len()
    );
    // `[*]`: --fix fixes it.
    assert!(text.contains(
        "fixtures/example/phones/floor1.toml:95:10: error[unknown-status] [*] status `Active` is not one of the admin form's statuses"
    ));
    // The summary of human output closes it.
    let human = phonelint().arg("fixtures/example").output().unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    let summary = "Checked 8 files (33 records): 12 errors, 9 warnings, 1 info.\n\
                   [*] 2 fixable with the `--fix` option (3 unsafe fixes with `--fix --unsafe-fixes`).\n";
    assert!(text.ends_with(summary), "{text}");
    assert!(human.ends_with(summary), "{human}");
}

#[test]
fn no_colour_when_piped_or_no_color_is_set() {
    let piped = phonelint().arg("fixtures/example").output().unwrap();
    assert!(
        !piped.stdout.contains(&0x1b),
        "escape codes in piped output"
    );
    let forced = phonelint()
        .args(["fixtures/example", "--color", "always"])
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b));
}

#[test]
fn human_output_of_the_example_repository() {
    let output = phonelint().arg("fixtures/example").output().unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn a_file_named_explicitly_is_read_even_if_ignored_or_hidden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".hidden")).unwrap();
    let file = dir.path().join(".hidden/p.toml");
    std::fs::write(
        &file,
        "[[phones]]\nextension = \"x\"\nstatus = \"ADMIN\"\nactive = \"N\"\n",
    )
    .unwrap();
    phonelint()
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Checked 0 files"));
    phonelint()
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("inactive-admin"));
}

#[test]
fn bad_input_does_not_stop_the_rest_of_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("binary.toml"), b"\x00\x01\x02").unwrap();
    std::fs::write(dir.path().join("latin1.json"), b"{\"phones\": [\"\xe9\"]}").unwrap();
    std::fs::write(dir.path().join("empty.toml"), b"").unwrap();
    std::fs::write(dir.path().join("syntax.toml"), b"[[phones]\n").unwrap();
    std::fs::write(
        dir.path().join("ok.toml"),
        "[[phones]]\nextension = \"x\"\nstatus = \"ADMIN\"\nactive = \"N\"\n",
    )
    .unwrap();
    let output = phonelint()
        .arg(dir.path())
        .args(["--format", "short"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("binary.toml:1:1: error[parse-error] the file holds binary content"),
        "{text}"
    );
    assert!(
        text.contains("latin1.json:1:14: error[parse-error] the file is not UTF-8"),
        "{text}"
    );
    assert!(text.contains("syntax.toml:1:"), "{text}");
    assert!(
        text.contains("ok.toml:3:10: error[inactive-admin]"),
        "{text}"
    );
    // Every format renders the same run without failing.
    for format in ["human", "json"] {
        phonelint()
            .arg(dir.path())
            .args(["--format", format])
            .assert()
            .code(1);
    }
}

#[test]
fn snippets_mask_secrets_and_escape_terminal_controls() {
    let dir = tempfile::tempdir().unwrap();
    // Escapes inside TOML strings reach the values, and so the messages.
    std::fs::write(
        dir.path().join("p.toml"),
        "[[phones]]\nextension = \"x\"\nPASS = \"OtherSecret9\"\nstatus = \"ADMIN\\u001b[0m\\u0007\"\npass = \"Hunter2Secret\"\nactive = \"N\"\n",
    )
    .unwrap();
    // Raw control characters are a syntax error, shown in the snippet.
    std::fs::write(
        dir.path().join("raw.toml"),
        "[[phones]]\nfullname = \"\u{1b}]0;pwned\u{7}\"\n",
    )
    .unwrap();
    let output = phonelint()
        .arg(dir.path())
        .args(["--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}'),
        "raw escape reached the terminal:\n{text}"
    );
    assert!(!text.contains('\u{7}'));
    assert!(
        text.contains("status `ADMIN\\u{1b}[0m\\u{7}` is not one of the admin form's statuses"),
        "{text}"
    );
    assert!(
        text.contains("fullname = \"\\u{1b}]0;pwned\\u{7}\""),
        "{text}"
    );
    assert!(!text.contains("Hunter2Secret"), "{text}");
    assert!(!text.contains("OtherSecret9"), "{text}");
    assert!(text.contains("pass = \"****\""), "{text}");
    assert!(text.contains("PASS = \"****\""), "{text}");

    let shown = phonelint()
        .arg(dir.path())
        .args(["--show-secrets"])
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(shown.contains("Hunter2Secret"), "{shown}");
    assert!(!shown.contains('\u{1b}'));

    let short = phonelint()
        .arg(dir.path())
        .args(["--format", "short"])
        .output()
        .unwrap();
    assert!(!short.stdout.contains(&0x1b));
}

#[test]
fn json_cross_file_findings_are_on_each_record_with_the_others_related() {
    let document = json_of(&["fixtures/example"]);
    let logins: Vec<&Value> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "duplicate-login")
        .collect();
    assert_eq!(logins.len(), 2, "{logins:?}");
    let (toml, json) = (logins[0], logins[1]);
    assert_eq!(toml["path"], "fixtures/example/phones/floor1.toml");
    assert_eq!(toml["record"]["key"], "cc111@10.10.10.15");
    assert_eq!(json["path"], "fixtures/example/phones/floor2.json");
    assert_eq!(json["record"]["key"], "cc131@10.10.10.16");
    // Each points at the other, with the other's span.
    assert_eq!(toml["related"][0]["path"], json["path"]);
    assert_eq!(toml["related"][0]["span"], json["span"]);
    assert_eq!(json["related"][0]["path"], toml["path"]);
    assert_eq!(json["related"][0]["span"], toml["span"]);
    assert!(
        json["related"][0]["message"]
            .as_str()
            .unwrap()
            .contains("cc111@10.10.10.15")
    );
}

/// When even stderr cannot be written (here: a file on a "full disk", every
/// write failing with EFBIG), phonelint still ends with a documented exit
/// code instead of aborting from inside its panic hook.
#[cfg(unix)]
#[test]
fn an_unwritable_stderr_ends_with_an_exit_code_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" no-such-path >out 2>err")
        .arg(env!("CARGO_BIN_EXE_phonelint"))
        .current_dir(dir.path())
        .env("PHONELINT_CACHE_DIR", common::test_cache_dir())
        .env_remove("GITHUB_ACTIONS")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
}

/// PHONELINT_TIMINGS=1 reports each stage on stderr and changes nothing else;
/// unset or `0`, nothing is reported.
#[test]
fn timings_go_to_stderr_and_change_nothing_else() {
    let run = |timings: Option<&str>| {
        let mut cmd = phonelint();
        cmd.args(["--format", "json", "fixtures/example"]);
        cmd.env_remove("PHONELINT_TIMINGS");
        if let Some(value) = timings {
            cmd.env("PHONELINT_TIMINGS", value);
        }
        cmd.output().unwrap()
    };
    let (plain, timed, off) = (run(None), run(Some("1")), run(Some("0")));
    assert_eq!(timed.stdout, plain.stdout);
    assert_eq!(timed.status.code(), plain.status.code());
    let stderr = String::from_utf8(timed.stderr).unwrap();
    for stage in [
        "discover",
        "per file",
        "index",
        "across files",
        "policy",
        "filter and sort",
        "free",
        "report",
    ] {
        assert!(
            stderr.lines().any(
                |line| line.starts_with(&format!("phonelint: timing: {stage} "))
                    && line.ends_with(" ms")
            ),
            "{stage} missing from:\n{stderr}"
        );
        // And the processor time it took, where the system says.
        #[cfg(unix)]
        assert!(
            stderr.lines().any(
                |line| line.starts_with(&format!("phonelint: cpu: {stage} "))
                    && line.ends_with(" ms on all cores")
            ),
            "{stage}'s processor time missing from:\n{stderr}"
        );
    }
    assert!(plain.stderr.is_empty() && off.stderr.is_empty());
    // One file asked about: the rest of the repository is walked, a stage of
    // its own; no stage is printed twice.
    let mut cmd = phonelint();
    cmd.args(["--no-cache", "fixtures/example/phones/admin.toml"]);
    cmd.env("PHONELINT_TIMINGS", "1");
    let stderr = String::from_utf8(cmd.output().unwrap().stderr).unwrap();
    let stages: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("phonelint: timing: "))
        .filter(|line| !line.starts_with("note: "))
        .filter_map(|line| line.rsplit_once("  ").map(|(stage, _)| stage.trim_end()))
        .collect();
    assert_eq!(
        stages.iter().take(2).copied().collect::<Vec<_>>(),
        ["discover", "walk the repository"],
        "{stderr}"
    );
    let mut unique = stages.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        stages.len(),
        "a stage printed twice:\n{stderr}"
    );
}

#[test]
fn short_lines_show_tabs_invisible_and_lone_combining_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // TOML escapes put them in the value, and so in the message.
    std::fs::write(
        dir.path().join("p.toml"),
        "[[phones]]\nextension = \"x\"\nstatus = \"\\u0301Act\\tive\\uFEFF\\u200B\"\n",
    )
    .unwrap();
    let output = phonelint()
        .arg(dir.path().join("p.toml"))
        .args(["--format", "short"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let status = text
        .lines()
        .find(|line| line.contains("unknown-status"))
        .unwrap_or_else(|| panic!("{text}"));
    for c in ['\t', '\u{FEFF}', '\u{200B}', '\u{301}'] {
        assert!(!status.contains(c), "{c:?} shown raw: {status:?}");
    }
    assert!(
        status.contains("`\\u{301}Act\\u{9}ive\\u{feff}\\u{200b}`"),
        "{status:?}"
    );
    // A combining mark on a letter is part of the text and stays.
    std::fs::write(
        dir.path().join("q.toml"),
        "[[phones]]\nextension = \"x\"\nstatus = \"Cafe\\u0301\"\n",
    )
    .unwrap();
    let output = phonelint()
        .arg(dir.path().join("q.toml"))
        .args(["--format", "short"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("`Cafe\u{301}`"), "{text}");
}

/// The README's rule tables are `phonelint rules --format markdown`, written
/// from each rule's declaration: a rule added, renamed or re-described
/// without regenerating them fails here.
#[test]
fn the_readme_rule_tables_are_generated() {
    let output = phonelint()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let (start, end) = ("<!-- rules-table:start -->\n", "<!-- rules-table:end -->");
    let block = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(block, _)| block)
        .expect("README.md holds the rules-table markers");
    assert!(
        block == generated,
        "README.md's rule tables differ from `phonelint rules --format markdown`; \
         replace what stands between the rules-table markers with its output"
    );
}
