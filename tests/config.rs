//! phonelint.toml as a user meets it: discovery, --config, --isolated, rule
//! levels, overrides, include/exclude, fail-on, `phonelint config`, and the
//! diagnostics for a broken configuration.

mod common;

use std::path::Path;

use common::phonelint;
use predicates::prelude::*;

const INACTIVE_ADMIN: &str = include_str!("../fixtures/rules/inactive-admin/bad/phones.toml");
const BLOCKED_BUT_LISTED: &str =
    include_str!("../fixtures/rules/blocked-but-listed/bad/phones.toml");

/// A repository: `.git`, `phones/a.toml` (inactive-admin, error) and
/// `phones/legacy/b.toml` (blocked-but-listed, warning).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("phones/legacy")).unwrap();
    std::fs::write(root.join("phones/a.toml"), INACTIVE_ADMIN).unwrap();
    std::fs::write(root.join("phones/legacy/b.toml"), BLOCKED_BUT_LISTED).unwrap();
    dir
}

fn short(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    common::run_short(cwd, args)
}

#[test]
fn found_walking_up_from_the_current_directory() {
    let repo = repository();
    std::fs::write(
        repo.path().join("phonelint.toml"),
        "[rules]\ninactive-admin = \"warning\"\n",
    )
    .unwrap();
    let (code, out, _) = short(&repo.path().join("phones"), &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("a.toml:9:10: warning[inactive-admin]"),
        "{out}"
    );

    // .phonelint.toml is found too.
    std::fs::rename(
        repo.path().join("phonelint.toml"),
        repo.path().join(".phonelint.toml"),
    )
    .unwrap();
    let (code, out, _) = short(&repo.path().join("phones/legacy"), &[".."]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("warning[inactive-admin]"), "{out}");
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(
        outer.path().join("phonelint.toml"),
        "[rules]\ninactive-admin = \"off\"\n",
    )
    .unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join("a.toml"), INACTIVE_ADMIN).unwrap();
    let (code, out, _) = short(&repo, &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("error[inactive-admin]"), "{out}");
}

#[test]
fn config_flag_and_isolated() {
    let repo = repository();
    std::fs::write(
        repo.path().join("phonelint.toml"),
        "[rules]\ninactive-admin = \"off\"\n",
    )
    .unwrap();
    std::fs::write(
        repo.path().join("strict.toml"),
        "fail-on = \"warning\"\n[rules]\ninactive-admin = \"off\"\n",
    )
    .unwrap();
    let (code, out, _) = short(repo.path(), &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("inactive-admin"), "{out}");

    // fail-on = "warning": the remaining warning fails the check.
    let (code, out, _) = short(repo.path(), &["--config", "strict.toml", "phones"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("warning[blocked-but-listed]"), "{out}");

    let (code, out, _) = short(repo.path(), &["--isolated", "phones"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("error[inactive-admin]"), "{out}");

    phonelint()
        .current_dir(repo.path())
        .args(["--isolated", "--config", "strict.toml"])
        .assert()
        .code(2);
    phonelint()
        .current_dir(repo.path())
        .args(["--config", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.toml: cannot read"));
}

#[test]
fn overrides_and_include_exclude_follow_globs_from_the_root() {
    let repo = repository();
    std::fs::write(
        repo.path().join("phonelint.toml"),
        "[[overrides]]\nfiles = [\"phones/legacy/**\"]\n[overrides.rules]\nblocked-but-listed = \"error\"\n",
    )
    .unwrap();
    let (code, out, _) = short(&repo.path().join("phones"), &[]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("legacy/b.toml:9:10: error[blocked-but-listed]"),
        "{out}"
    );

    std::fs::write(
        repo.path().join("phonelint.toml"),
        "exclude = [\"phones/legacy/**\"]\n",
    )
    .unwrap();
    let (_, out, _) = short(repo.path(), &[]);
    assert!(out.contains("phones/a.toml"), "{out}");
    assert!(!out.contains("legacy"), "{out}");
    // A file named explicitly is read even when excluded.
    let (_, out, _) = short(repo.path(), &["phones/legacy/b.toml"]);
    assert!(out.contains("legacy/b.toml"), "{out}");

    std::fs::write(
        repo.path().join("phonelint.toml"),
        "include = [\"**/legacy/*.toml\"]\n",
    )
    .unwrap();
    let (_, out, _) = short(repo.path(), &[]);
    assert!(!out.contains("phones/a.toml"), "{out}");
    assert!(out.contains("legacy/b.toml"), "{out}");
}

#[test]
fn config_subcommand_shows_each_setting_and_its_origin() {
    let repo = repository();
    std::fs::write(
        repo.path().join("phonelint.toml"),
        "fail-on = \"warning\"\n\n[rules]\nblocked-but-listed = \"off\"\n\n[site]\nmin_secret_length = 12\n\n[[overrides]]\nfiles = [\"lab/**\"]\n[overrides.rules]\ninactive-admin = \"warning\"\n",
    )
    .unwrap();
    let output = phonelint()
        .current_dir(repo.path().join("phones"))
        .arg("config")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no `{start}` in:\n{text}"))
            .to_owned()
    };
    assert!(line("fail-on = \"warning\"").ends_with("phonelint.toml:1"));
    assert!(line("blocked-but-listed = \"off\"").ends_with("phonelint.toml:4"));
    assert!(line("min_secret_length = 12").ends_with("phonelint.toml:7"));
    assert!(line("inactive-admin = \"error\"").ends_with("# default"));
    assert!(line("require_password_length = 0").ends_with("# default"));
    assert!(line("[[overrides]]").ends_with("phonelint.toml:9"));
    assert!(line("inactive-admin = \"warning\"").ends_with("phonelint.toml:12"));

    phonelint()
        .current_dir(repo.path())
        .args(["config", "--isolated"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no configuration file"))
        .stdout(predicate::str::contains("blocked-but-listed = \"warning\""));
}

#[test]
fn a_broken_configuration_is_reported_in_the_file_and_nothing_is_checked() {
    let repo = repository();
    std::fs::write(
        repo.path().join("phonelint.toml"),
        "fail_on = \"warning\"\nexclude = [\"legacy/[**\"]\n\n[rules]\ninactive-with-acess = \"error\"\nblocked-but-listed = \"loud\"\n\n[site]\nmin_secret_length = \"8\"\n\n[[overrides]]\nrules = { inactive-admin = \"off\" }\n\n[[allow]]\nrule = \"inactive-admn\"\nrecord = \"gs102@10.10.10.15\"\n",
    )
    .unwrap();
    let output = phonelint()
        .current_dir(repo.path())
        .args(["--color", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap());

    std::fs::write(repo.path().join("phonelint.toml"), "[rules\n").unwrap();
    let output = phonelint().current_dir(repo.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!("syntax_error", String::from_utf8(output.stderr).unwrap());
}

#[test]
fn control_characters_in_the_file_do_not_reach_the_terminal() {
    let repo = repository();
    std::fs::write(
        repo.path().join("phonelint.toml"),
        "# \u{1b}]0;pwned\u{7}\nfail-on = \"error\"\n",
    )
    .unwrap();
    let output = phonelint().current_dir(repo.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(!stderr.contains('\u{7}'), "{stderr}");
    assert!(stderr.contains("\\u{1b}]0;pwned"), "{stderr}");
}

#[test]
fn site_facts_reach_weak_secret() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    // Strong by VICIdial's advice (9 characters, mixed case, digits).
    std::fs::write(
        root.join("phones.toml"),
        "[[phones]]\nextension = \"cc100\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\nserver_ip = \"10.10.10.15\"\nlogin = \"cc100\"\npass = \"Rr8xkq2Lw\"\nconf_secret = \"Kd93hxQa7\"\nstatus = \"ACTIVE\"\nactive = \"Y\"\nprotocol = \"SIP\"\n",
    )
    .unwrap();
    let (code, out, _) = short(root, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("weak-secret"), "{out}");

    // The site asks for 12: both secrets are weak (a warning), and VICIdial
    // refuses a conf_secret under require_password_length (an error).
    std::fs::write(
        root.join("phonelint.toml"),
        "[site]\nmin_secret_length = 12\nrequire_password_length = 10\n",
    )
    .unwrap();
    let (code, out, _) = short(root, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("phones.toml:7:8: warning[weak-secret] `pass` of `cc100@10.10.10.15` is weak: shorter than 12 characters"),
        "{out}"
    );
    assert!(
        out.contains("phones.toml:8:15: error[weak-secret] `conf_secret` of `cc100@10.10.10.15` is shorter than the site's require_password_length (10)"),
        "{out}"
    );
    assert!(
        !out.contains("Kd93hxQa7") && !out.contains("Rr8xkq2Lw"),
        "{out}"
    );
}

/// The `[site]` facts of VICIdial's own settings: shown with their origin by
/// `phonelint config`, and what the rules say follows them.
#[test]
fn site_settings_change_what_the_rules_say() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(
        root.join("phones.toml"),
        "[[phones]]\nextension = \"cc100\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\nserver_ip = \"10.10.10.15\"\nlogin = \"émile\"\npass = \"Rr8xkq2Lw\"\nconf_secret = \"Kd93hxQa7\"\nactive = \"Y\"\ncompany = \"abcdefghijkl\"\n",
    )
    .unwrap();
    let (_, out, _) = short(root, &[]);
    assert!(
        out.contains("error[value-too-long]") && out.contains("warning[agent-unusable-login]"),
        "{out}"
    );
    let human = phonelint()
        .current_dir(root)
        .args(["--format", "human", "--color", "never"])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains("a strict sql_mode (MariaDB's default) refuses the row"),
        "{human}"
    );

    std::fs::write(
        root.join("phonelint.toml"),
        "[site]\nstrict_sql_mode = false\nuse_non_latin = true\ngenerate_cross_server_exten = true\napi_limits = true\n",
    )
    .unwrap();
    let (_, out, _) = short(root, &[]);
    assert!(!out.contains("agent-unusable-login"), "{out}");
    let human = phonelint()
        .current_dir(root)
        .args(["--format", "human", "--color", "never"])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains("MySQL truncates it to 10 characters (the site's sql_mode is not strict)"),
        "{human}"
    );
    let config = phonelint()
        .current_dir(root)
        .arg("config")
        .output()
        .unwrap();
    let config = String::from_utf8(config.stdout).unwrap();
    for (setting, line) in [
        ("strict_sql_mode = false", 2),
        ("use_non_latin = true", 3),
        ("generate_cross_server_exten = true", 4),
        ("api_limits = true", 5),
    ] {
        let found = config
            .lines()
            .find(|l| l.starts_with(setting))
            .unwrap_or_else(|| panic!("no `{setting}` in:\n{config}"));
        assert!(
            found.ends_with(&format!("phonelint.toml:{line}")),
            "{found}"
        );
    }

    std::fs::write(root.join("phonelint.toml"), "[site]\nuse_non_latin = 1\n").unwrap();
    phonelint()
        .current_dir(root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("true or false"));
}

/// Files that are not definitions, in a mixed repository: a key close to a
/// record array (`server`, `alias`, `phone`) is a definition with a typo only
/// when it holds records, or when `include` says definitions live there.
#[test]
fn a_near_miss_key_is_ours_when_it_holds_records_or_include_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("config")).unwrap();
    std::fs::create_dir_all(root.join("phones")).unwrap();
    std::fs::write(
        root.join("phones/a.toml"),
        "[[phones]]\nextension = \"cc100\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\n\
         server_ip = \"10.10.10.15\"\nlogin = \"cc100\"\npass = \"Rr8xkq2Lw\"\nconf_secret = \"Vb7mWq3Lp9\"\n\
         status = \"ACTIVE\"\nactive = \"Y\"\n",
    )
    .unwrap();
    let app = "{\"server\": \"db1.example.com\", \"alias\": \"prod\", \"phone\": {\"country\": \"US\"}}\n";
    let deploy = "[server]\nhost = \"10.0.0.5\"\nport = 22\n\n[[alias]]\nname = \"www\"\n";
    std::fs::write(root.join("config/app.json"), app).unwrap();
    std::fs::write(root.join("deploy.toml"), deploy).unwrap();
    // Not ours: nothing, walked or named (as the pre-commit hook names
    // every staged file).
    for args in [&[][..], &["config/app.json", "deploy.toml"]] {
        let (code, out, err) = short(root, args);
        assert_eq!((code, out.as_str()), (Some(0), ""), "{args:?}: {err}");
    }
    // Records under a misspelt key are ours: reported, with the fix.
    std::fs::write(
        root.join("phones/old.json"),
        "{\"Phones\": [{\"extension\": \"cc300\", \"server_ip\": \"10.10.10.15\"}]}\n",
    )
    .unwrap();
    let (code, out, _) = short(root, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(
        out,
        "phones/old.json:1:2: warning[unknown-field] top-level key `Phones` is not `phones`, `aliases` or `servers`\n"
    );
    let json = phonelint()
        .current_dir(root)
        .args(["--format", "json", "phones/old.json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["diagnostics"][0]["fix"]["edits"][0]["replacement"], "\"phones\"",
        "{json}"
    );
    std::fs::remove_file(root.join("phones/old.json")).unwrap();
    // `include` names where definitions live: there, a near miss is a
    // definition with a typo whatever it holds; elsewhere, still not ours.
    std::fs::write(
        root.join("phonelint.toml"),
        "include = [\"phones/**\", \"config/**\"]\n",
    )
    .unwrap();
    let (code, out, _) = short(root, &[]);
    assert_eq!(code, Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "config/app.json:1:2: warning[unknown-field] top-level key `server` is not `phones`, `aliases` or `servers`",
            "config/app.json:1:31: warning[unknown-field] top-level key `alias` is not `phones`, `aliases` or `servers`",
            "config/app.json:1:48: warning[unknown-field] top-level key `phone` is not `phones`, `aliases` or `servers`",
        ],
        "{out}"
    );
    let human = phonelint()
        .current_dir(root)
        .args(["--color", "never", "config/app.json"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("though `include` in phonelint.toml names its place")
            && human.contains("`exclude`"),
        "{human}"
    );
    // deploy.toml, named explicitly outside `include`, stays not ours.
    let (code, out, _) = short(root, &["deploy.toml"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
}
