//! The options of a check as a user runs them: what the summary says about
//! fixes, `--statistics`, the words and the ASCII fallback of human output,
//! colour from the environment, `--select`/`--ignore` and their twins in
//! phonelint.toml, `--fail-on`, `--exit-zero`, `--quiet`, `--show-fixes`,
//! standard input, `phonelint rules --format json`, completions and the man
//! page.

mod common;

use std::path::Path;

use common::phonelint;
use serde_json::Value;

/// `phonelint ARGS` in `dir`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = phonelint().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// `phonelint ARGS` from the crate root.
fn here(args: &[&str]) -> (Option<i32>, String, String) {
    run(&common::root(), args)
}

const PHONE: &str = "[[phones]]\nextension = \"cc100\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\nserver_ip = \"10.10.10.15\"\nlogin = \"cc100\"\npass = \"Rr8xkq2Lw\"\nconf_secret = \"Vb7mWq3Lp9\"\nstatus = \"ACTIVE\"\nactive = \"Y\"\nprotocol = \"SIP\"\n";

/// A repository (a phonelint.toml holding `config`) with `files`.
fn repository(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("phonelint.toml"), config).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn the_summary_counts_fixes_and_json_carries_the_counts() {
    let (code, out, _) = here(&["fixtures/example"]);
    assert_eq!(code, Some(1));
    assert!(
        out.ends_with(
            "Checked 8 files (33 records): 12 errors, 9 warnings, 1 info.\n\
             [*] 2 fixable with the `--fix` option (3 unsafe fixes with `--fix --unsafe-fixes`).\n"
        ),
        "{out}"
    );
    // The marker is on exactly the findings with a safe fix.
    let (_, json, _) = here(&["fixtures/example", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    let with = |applicability: &str| {
        diagnostics
            .iter()
            .filter(|d| d["fix"]["applicability"] == applicability)
            .count()
    };
    assert_eq!(doc["summary"]["fixable"], with("safe"));
    assert_eq!(doc["summary"]["unsafe_fixable"], with("unsafe"));
    assert_eq!((with("safe"), with("unsafe")), (2, 3));
    let (_, short, _) = here(&["fixtures/example", "--format", "short"]);
    assert_eq!(short.matches("] [*] ").count(), 2, "{short}");
    let human_markers = out
        .lines()
        .filter(|line| line.starts_with("error[") || line.starts_with("warning["))
        .filter(|line| line.ends_with(" [*]"))
        .count();
    assert_eq!(human_markers, 2, "{out}");

    // Only unsafe fixes: none is offered as fixable.
    let dir = repository(
        "",
        &[(
            "a.toml",
            &PHONE.replace("protocol = \"SIP\"\n", "fulname = \"Desk\"\n"),
        )],
    );
    let (_, out, _) = run(dir.path(), &["--format", "short"]);
    assert!(!out.contains("[*]"), "{out}");
    assert!(
        out.ends_with("No safe fixes (1 unsafe fix with `--fix --unsafe-fixes`).\n"),
        "{out}"
    );
    // No definitions: what phonelint looks for.
    let dir = repository("", &[("package.json", "{\"name\": \"x\"}")]);
    let (code, out, _) = run(dir.path(), &[]);
    assert_eq!(
        (code, out.as_str()),
        (
            Some(0),
            "Checked 0 files: no definitions found (`.toml` and `.json` files holding `phones`, `aliases` or `servers`).\n"
        )
    );
    // Nothing to fix: nothing said about fixes.
    let dir = repository("", &[("a.toml", PHONE)]);
    let (code, out, _) = run(dir.path(), &[]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "Checked 1 file (1 record): no problems found.\n")
    );
}

#[test]
fn statistics_give_one_line_per_rule_by_count() {
    let (code, out, _) = here(&["fixtures/example", "--statistics"]);
    assert_eq!(code, Some(1), "the exit code is the check's");
    let lines: Vec<&str> = out.lines().collect();
    let rules = &lines[..lines.len() - 2];
    let counts: Vec<usize> = rules
        .iter()
        .map(|line| line.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|pair| pair[0] >= pair[1]), "{out}");
    assert_eq!(counts.iter().sum::<usize>(), 22);
    assert!(
        rules.contains(&"1  unknown-status         error    [*] 1 fixable"),
        "{out}"
    );
    assert!(
        rules.contains(&"1  unknown-field          warning  1 unsafe fix"),
        "{out}"
    );
    assert!(
        lines[lines.len() - 2].starts_with("Checked 8 files"),
        "{out}"
    );

    let (_, json, _) = here(&["fixtures/example", "--statistics", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["errors"], 12);
    let statistics = doc["statistics"].as_array().unwrap();
    assert_eq!(statistics.len(), rules.len());
    let login = statistics
        .iter()
        .find(|rule| rule["rule"] == "duplicate-login")
        .unwrap();
    assert_eq!(
        *login,
        serde_json::json!({"rule": "duplicate-login", "count": 2, "errors": 2, "warnings": 0,
            "infos": 0, "fixable": 0, "unsafe_fixable": 0})
    );
    // In a GitHub Actions step, where annotations are the default: text.
    let in_actions = phonelint()
        .env("GITHUB_ACTIONS", "true")
        .args(["fixtures/example", "--statistics"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(in_actions.stdout).unwrap(), out);
    // Annotations and SARIF have no statistics.
    let (code, _, err) = here(&["fixtures/example", "--statistics", "--format", "sarif"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--statistics prints text or JSON"), "{err}");
}

#[test]
fn human_output_says_the_severity_and_notes_the_other_places() {
    let (_, out, _) = here(&["fixtures/example", "--color", "never"]);
    for word in [
        "error[inactive-admin]",
        "warning[blocked-but-listed]",
        "info[runtime-field]",
    ] {
        assert!(
            out.contains(&format!("\n{word}\n")),
            "{word} missing:\n{out}"
        );
    }
    assert!(!out.contains("Advice"), "{out}");
    assert!(
        out.contains("\n  note: `cc131@10.10.10.16` has this login\n     ╭─[fixtures/example/phones/floor2.json:165:16]\n"),
        "{out}"
    );
}

#[test]
fn human_output_falls_back_to_ascii_where_unicode_cannot_be_shown() {
    let ascii_only = |text: &str| text.is_ascii();
    let unicode = here(&["fixtures/example"]).1;
    assert!(!ascii_only(&unicode));
    // The example's files hold ASCII only: all of the report is.
    for env in [
        &[("LANG", "C")][..],
        &[("LANG", "en_US.ISO-8859-1")],
        &[("LANG", "C.UTF-8"), ("LC_ALL", "POSIX")],
        &[("LANG", "C.UTF-8"), ("LC_CTYPE", "C")],
        &[("LANG", "C.UTF-8"), ("TERM", "dumb")],
    ] {
        let output = phonelint()
            .envs(env.iter().copied())
            .arg("fixtures/example")
            .output()
            .unwrap();
        let out = String::from_utf8(output.stdout).unwrap();
        assert!(ascii_only(&out), "{env:?}:\n{out}");
        assert!(
            out.contains("\nerror[inactive-admin]\n\n  x inactive phone"),
            "{out}"
        );
        assert!(out.contains("\n  note: "), "{out}");
    }
    // A line cut short in a snippet ends in `...`, not `…`.
    let long = PHONE.replace("\"ACTIVE\"", &format!("\"Active\" # {}", "x".repeat(1200)));
    let dir = repository("", &[("a.toml", &long)]);
    let (_, out, _) = run(dir.path(), &["--ascii"]);
    assert!(out.is_ascii() && out.contains("x...\n"), "{out}");
    let (_, out, _) = run(dir.path(), &[]);
    assert!(out.contains("x…\n"), "{out}");
    let (_, asked, _) = here(&["fixtures/example", "--ascii"]);
    assert!(ascii_only(&asked), "{asked}");
    assert!(
        asked.contains("    ,-[fixtures/example/phones/admin.toml:11:10]"),
        "{asked}"
    );
    // The same report, drawn otherwise.
    assert_eq!(asked.lines().count(), unicode.lines().count());
    // A broken configuration on stderr too.
    let dir = repository("[rules]\nnot-a-rule = \"off\"\n", &[]);
    let output = phonelint()
        .current_dir(dir.path())
        .env("TERM", "dumb")
        .output()
        .unwrap();
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(
        ascii_only(&err) && err.starts_with("error[config]\n"),
        "{err}"
    );
}

#[test]
fn colour_follows_force_color_no_color_and_clicolor_force() {
    // stdout is a pipe here: only a forcing variable colours it.
    let coloured = |env: &[(&str, &str)], args: &[&str]| {
        let output = phonelint()
            .envs(env.iter().copied())
            .arg("fixtures/example/phones/admin.toml")
            .args(args)
            .output()
            .unwrap();
        output.stdout.contains(&0x1b)
    };
    assert!(!coloured(&[], &[]));
    assert!(coloured(&[("FORCE_COLOR", "1")], &[]));
    assert!(!coloured(&[("FORCE_COLOR", "0")], &[]));
    assert!(coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!coloured(
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &[]
    ));
    assert!(!coloured(&[("FORCE_COLOR", "1")], &["--color", "never"]));
    assert!(coloured(&[("NO_COLOR", "1")], &["--color", "always"]));
}

#[test]
fn a_mistyped_path_is_one_error_with_the_close_name_and_no_summary() {
    let (code, out, err) = here(&["fixtures/example/phones/flor1.toml"]);
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "phonelint: error: fixtures/example/phones/flor1.toml: no such file or directory; did you mean `fixtures/example/phones/floor1.toml`?\n"
    );
    let (code, out, err) = here(&["fixtures/exampel", "--format", "short"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("did you mean `fixtures/example`?"), "{err}");
    // Nothing close: no suggestion.
    let (_, _, err) = here(&["no/such/place"]);
    assert_eq!(
        err,
        "phonelint: error: no/such/place: no such file or directory\n"
    );
    // With a path that exists, its report and summary stay.
    let (code, out, _) = here(&["fixtures/example/phones/admin.toml", "fixtures/exampel"]);
    assert_eq!(code, Some(2));
    assert!(
        out.ends_with("Checked 1 file (3 records): 1 error, 0 warnings, 0 infos.\n"),
        "{out}"
    );
}

#[test]
fn select_and_ignore_choose_the_rules_reported() {
    let short = |args: &[&str]| {
        let (code, out, err) = here(&[&["fixtures/example", "--format", "short"], args].concat());
        let rules: std::collections::BTreeSet<String> = common::without_summary(&out)
            .lines()
            .map(|line| {
                line.split('[')
                    .nth(1)
                    .unwrap()
                    .split(']')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        (code, rules, err)
    };
    let (code, rules, _) = short(&["--select", "inactive-admin,weak-secret"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        rules,
        ["inactive-admin", "weak-secret"].map(String::from).into()
    );
    let (code, rules, _) = short(&["--select", "weak-secret", "--select", "blocked-but-listed"]);
    assert_eq!(code, Some(0), "warnings only");
    assert_eq!(
        rules,
        ["blocked-but-listed", "weak-secret"]
            .map(String::from)
            .into()
    );
    let (_, all, _) = short(&[]);
    let (_, rules, _) = short(&["--ignore", "default-credential,duplicate-login"]);
    assert_eq!(rules.len(), all.len() - 2);
    assert!(!rules.contains("default-credential"));
    // A rule off by default is on when selected.
    let (_, out, _) = here(&[
        "fixtures/rules/inactive-with-access/bad",
        "--isolated",
        "--format",
        "short",
    ]);
    assert!(
        !out.contains("inactive-with-access"),
        "off by default:\n{out}"
    );
    let (_, out, _) = here(&[
        "fixtures/rules/inactive-with-access/bad",
        "--isolated",
        "--format",
        "short",
        "--select",
        "inactive-with-access",
    ]);
    assert!(out.contains("info[inactive-with-access]"), "{out}");
    // A mistyped name is refused, with the close one.
    let (code, out, err) = here(&["fixtures/example", "--select", "inactive-admn"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(
        err.contains("invalid value 'inactive-admn' for '--select <RULE>'"),
        "{err}"
    );
    assert!(err.contains("did you mean `inactive-admin`?"), "{err}");
    let (code, _, err) = here(&["fixtures/example", "--ignore", "zzz"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`phonelint rules` lists them"), "{err}");
}

#[test]
fn select_and_ignore_leave_suppressions_and_the_baseline_matched() {
    let admin = PHONE
        .replace("\"ACTIVE\"", "\"ADMIN\"")
        .replace("active = \"Y\"", "active = \"N\"");
    let suppressed = format!("# phonelint: allow(inactive-admin) kept for the audit\n{admin}");
    let dir = repository("", &[("a.toml", &suppressed)]);
    // Ignoring the suppressed rule leaves its suppression used.
    let (code, out, _) = run(
        dir.path(),
        &["--format", "short", "--ignore", "inactive-admin"],
    );
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "Checked 1 file (1 record): no problems found.\n")
    );
    // A baseline's entries of rules not selected are not stale.
    let dir = repository(
        "",
        &[
            ("a.toml", &admin),
            (
                "b.toml",
                &PHONE
                    .replace("cc100", "cc101")
                    .replace("\"Rr8xkq2Lw\"", "\"test\""),
            ),
        ],
    );
    phonelint()
        .current_dir(dir.path())
        .arg("baseline")
        .assert()
        .code(0);
    let (code, out, _) = run(
        dir.path(),
        &[
            "--format",
            "short",
            "--baseline",
            "phonelint-baseline.json",
            "--select",
            "weak-secret",
        ],
    );
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "Checked 2 files (2 records): no problems found.\n")
    );
}

#[test]
fn select_and_ignore_in_the_configuration() {
    let admin = PHONE
        .replace("\"ACTIVE\"", "\"ADMIN\"")
        .replace("active = \"Y\"", "active = \"N\"")
        .replace("\"Rr8xkq2Lw\"", "\"short1\"");
    let rules = |config: &str, args: &[&str]| {
        let dir = repository(config, &[("a.toml", &admin)]);
        let (code, out, err) = run(dir.path(), &[&["--format", "short"], args].concat());
        assert!(err.is_empty(), "{err}");
        let found: Vec<String> = common::without_summary(&out)
            .lines()
            .map(|line| line.split(' ').nth(1).unwrap().to_owned())
            .collect();
        (code, found)
    };
    assert_eq!(
        rules("", &[]),
        (
            Some(1),
            vec![
                "warning[weak-secret]".into(),
                "error[inactive-admin]".into()
            ]
        )
    );
    assert_eq!(
        rules("select = [\"weak-secret\"]\n", &[]),
        (Some(0), vec!["warning[weak-secret]".into()])
    );
    assert_eq!(
        rules("ignore = \"weak-secret\"\n", &[]),
        (Some(1), vec!["error[inactive-admin]".into()])
    );
    // --select replaces the configuration's select and ignore; --ignore adds.
    assert_eq!(
        rules("ignore = [\"weak-secret\"]\n", &["--select", "weak-secret"]),
        (Some(0), vec!["warning[weak-secret]".into()])
    );
    assert_eq!(
        rules(
            "ignore = [\"weak-secret\"]\n",
            &["--ignore", "inactive-admin"]
        ),
        (Some(0), vec![])
    );
    // A level "off" stays off when selected.
    assert_eq!(
        rules(
            "select = [\"weak-secret\"]\n[rules]\nweak-secret = \"off\"\n",
            &[]
        ),
        (Some(0), vec![])
    );
    // phonelint config says where each came from.
    let dir = repository("select = [\"weak-secret\", \"inactive-admin\"]\n", &[]);
    let (_, described, _) = run(dir.path(), &["config"]);
    assert!(
        described
            .contains("select = [\"weak-secret\", \"inactive-admin\"]       # phonelint.toml:1"),
        "{described}"
    );
    assert!(
        described.contains("ignore = []                                      # default"),
        "{described}"
    );

    // A mistyped name points into the file, with the close one.
    let dir = repository(
        "select = [\"weak-secret\", \"inactive-admn\"]\nignore = 3\n",
        &[],
    );
    let output = phonelint().current_dir(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap());
}

#[test]
fn fail_on_and_exit_zero_decide_the_exit_code() {
    let warnings_only = "fixtures/rules/blocked-but-listed/bad";
    assert_eq!(here(&[warnings_only]).0, Some(0));
    assert_eq!(here(&[warnings_only, "--fail-on", "warning"]).0, Some(1));
    // Over the configuration's fail-on.
    let dir = repository(
        "fail-on = \"warning\"\n",
        &[("a.toml", &PHONE.replace("\"Rr8xkq2Lw\"", "\"short1\""))],
    );
    assert_eq!(run(dir.path(), &[]).0, Some(1));
    assert_eq!(run(dir.path(), &["--fail-on", "error"]).0, Some(0));
    // --exit-zero: findings never fail; phonelint's own errors still do.
    assert_eq!(here(&["fixtures/example", "--exit-zero"]).0, Some(0));
    assert_eq!(
        here(&["fixtures/example", "no/such", "--exit-zero"]).0,
        Some(2)
    );
    // --diff: 1 when there are fixes to show, 0 with --exit-zero; -q keeps
    // the diff and drops the count.
    let (code, diff, err) = here(&["fixtures/example", "--diff"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("fix(es) in"), "{err}");
    let (code, quiet_diff, err) = here(&["fixtures/example", "--diff", "-q", "--exit-zero"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(quiet_diff, diff);
    let (code, _, err) = here(&["fixtures/example", "--exit-zero", "--fail-on", "error"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn quiet_prints_the_findings_and_nothing_else() {
    let (code, out, err) = here(&["fixtures/example", "--format", "short", "-q"]);
    assert_eq!(code, Some(1));
    assert!(
        !out.contains("Checked") && !out.contains("fixable"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 22);
    assert_eq!(err, "");
    let (code, out, _) = here(&["fixtures/rules/inactive-admin/clean", "--quiet"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // Notes are not said either; errors are.
    #[cfg(unix)]
    {
        let dir = repository("", &[("a.toml", PHONE)]);
        std::os::unix::fs::symlink("a.toml", dir.path().join("link.toml")).unwrap();
        let (_, _, err) = run(dir.path(), &[]);
        assert!(err.contains("note: skipped link.toml"), "{err}");
        let (_, out, err) = run(dir.path(), &["-q", "nothing.toml"]);
        assert_eq!(out, "");
        assert_eq!(
            err,
            "phonelint: error: nothing.toml: no such file or directory\n"
        );
    }
    // --fix: no account of what was done.
    let dir = repository(
        "",
        &[("a.toml", &PHONE.replace("\"ACTIVE\"", "\"active\""))],
    );
    let (code, out, err) = run(dir.path(), &["--fix", "-q"]);
    assert_eq!((code, out.as_str(), err.as_str()), (Some(0), "", ""));
    assert!(
        std::fs::read_to_string(dir.path().join("a.toml"))
            .unwrap()
            .contains("\"ACTIVE\"")
    );
}

#[test]
fn show_fixes_shows_each_fix_and_after_fix_what_was_fixed() {
    let text = PHONE
        .replace("\"ACTIVE\"", "\"active\"")
        .replace("active = \"Y\"", "active = \"y\"")
        .replace(
            "protocol = \"SIP\"\n",
            "protocol = \"SIP\"\nfulname = \"Desk\"\n",
        );
    let dir = repository("", &[("a.toml", &text)]);
    let (_, out, _) = run(dir.path(), &["--show-fixes", "--color", "never"]);
    assert!(
        out.contains("  fix (safe): `\"active\"` -> `\"ACTIVE\"` at 9:10\n"),
        "{out}"
    );
    assert!(
        out.contains("  fix (safe): `\"y\"` -> `\"Y\"` at 10:10\n"),
        "{out}"
    );
    assert!(
        out.contains("  fix (unsafe, with --unsafe-fixes): `fulname` -> `fullname` at 12:1\n"),
        "{out}"
    );
    // Without the option, no fix lines.
    let (_, plain, _) = run(dir.path(), &[]);
    assert!(!plain.contains("  fix ("), "{plain}");
    // A key renamed to a credential's: the edit is the key, no value shown.
    let dir = repository(
        "",
        &[(
            "a.toml",
            &PHONE.replace("pass = \"Rr8xkq2Lw\"", "pas = \"Rr8xkq2Lw\""),
        )],
    );
    let (_, out, _) = run(dir.path(), &["--show-fixes"]);
    assert!(
        out.contains("  fix (unsafe, with --unsafe-fixes): `pas` -> `pass` at 7:1\n"),
        "{out}"
    );
    // With --fix: what was fixed, per file and rule, on stderr.
    let dir = repository(
        "",
        &[
            ("a.toml", &text),
            (
                "b.toml",
                &PHONE
                    .replace("cc100", "cc101")
                    .replace("\"ACTIVE\"", "\"active\""),
            ),
        ],
    );
    let (_, _, err) = run(dir.path(), &["--fix", "--show-fixes"]);
    assert_eq!(
        err,
        "phonelint: fixed 3 finding(s) in 2 file(s); 1 unsafe fix(es) more with --unsafe-fixes\n\
         \x20 a.toml: 1 invalid-value, 1 unknown-status\n\
         \x20 b.toml: 1 unknown-status\n"
    );
}

#[test]
fn standard_input_is_checked_as_the_file_it_names() {
    let root = common::root();
    let floor1 = std::fs::read_to_string(root.join("fixtures/example/phones/floor1.toml")).unwrap();
    let stdin = |text: &str, args: &[&str]| {
        let output = phonelint()
            .args(args)
            .write_stdin(text.to_owned())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let name = "fixtures/example/phones/floor1.toml";
    // As the file on disk: the same findings, across files too.
    let (code, from_stdin, _) = stdin(
        &floor1,
        &["-", "--stdin-filename", name, "--format", "short"],
    );
    let (_, from_disk, _) = here(&[name, "--format", "short"]);
    assert_eq!(code, Some(1));
    assert_eq!(from_stdin, from_disk);
    assert!(
        from_stdin.contains("error[duplicate-login]"),
        "{from_stdin}"
    );
    // The buffer replaces the file: the other file's clash with it is
    // judged against the buffer, and the file on disk is not read.
    let edited = floor1.replace("\"cc111\"", "\"cc999\"");
    let (_, out, _) = stdin(&edited, &["--stdin-filename", name, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"duplicate-login"), "{rules:?}");
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["path"] == name)
    );
    assert_eq!(doc["summary"]["files"], 1);
    // A new file: the rest of the repository is still read.
    let copy = floor1.replace("cc1", "cc8");
    let clash = copy.replace("\"cc811\"", "\"cc111\"");
    let (_, out, _) = stdin(
        &clash,
        &[
            "-",
            "--stdin-filename",
            "fixtures/example/phones/new.toml",
            "--format",
            "short",
            "--select",
            "duplicate-login",
        ],
    );
    assert!(
        out.contains("fixtures/example/phones/new.toml:162:9: error[duplicate-login] login `cc111` is also the login of 2 other phones (see also fixtures/example/phones/floor1.toml:162:9, fixtures/example/phones/floor2.json:165:16)"),
        "{out}"
    );
    // The configuration of the repository applies.
    let dir = repository("ignore = [\"weak-secret\"]\n", &[]);
    let weak = PHONE.replace("\"Rr8xkq2Lw\"", "\"short1\"");
    let output = phonelint()
        .current_dir(dir.path())
        .args(["-", "--stdin-filename", "a.toml", "--format", "short"])
        .write_stdin(weak)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "Checked 1 file (1 record): no problems found.\n"
    );
    // --diff shows the buffer's fixes; --fix is refused.
    let (code, diff, _) = stdin(&floor1, &["-", "--stdin-filename", name, "--diff"]);
    assert_eq!(code, Some(1));
    assert!(
        diff.contains("-status = \"Active\"\n+status = \"ACTIVE\"\n"),
        "{diff}"
    );
    let (code, _, err) = stdin(&floor1, &["-", "--stdin-filename", name, "--fix"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--fix writes files"), "{err}");
    // `-` needs a name, alone.
    let (code, _, err) = stdin(&floor1, &["-"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("needs --stdin-filename"), "{err}");
    let (code, _, err) = stdin(&floor1, &["-", name, "--stdin-filename", name]);
    assert_eq!(code, Some(2));
    assert!(err.contains("give `-` as the only path"), "{err}");
    let (code, _, err) = stdin(&floor1, &["--stdin-filename", "notes.txt"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("notes.txt: not a .toml or .json file"),
        "{err}"
    );
}

#[test]
fn rules_as_json_hold_every_rule_with_its_fixes() {
    let (code, out, _) = here(&["rules", "--format", "json"]);
    assert_eq!(code, Some(0));
    let rules: Vec<Value> = serde_json::from_str(&out).unwrap();
    let registry = phonelint::rules::RULES;
    assert_eq!(rules.len(), registry.len() + phonelint::drift::RULES.len());
    for rule in registry {
        let meta = rule.meta();
        let listed = rules.iter().find(|r| r["name"] == meta.name).unwrap();
        let fixes: Vec<&str> = listed["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        let expected: Vec<&str> = meta
            .fixes
            .iter()
            .map(|fix| match fix {
                phonelint::model::Applicability::Safe => "safe",
                phonelint::model::Applicability::Unsafe => "unsafe",
            })
            .collect();
        assert_eq!(fixes, expected, "{}", meta.name);
        assert_eq!(listed["severity"], meta.severity.as_str());
        assert_eq!(listed["summary"], meta.summary);
        assert_eq!(listed["documentation"], meta.docs());
        assert_eq!(
            listed["default_level"],
            if meta.off_by_default {
                "off"
            } else {
                meta.severity.as_str()
            }
        );
    }
    let status = rules
        .iter()
        .find(|r| r["name"] == "unknown-status")
        .unwrap();
    assert_eq!(status["fixes"], serde_json::json!(["safe", "unsafe"]));
    assert_eq!(status["scope"], "record");
    let drift = rules
        .iter()
        .find(|r| r["name"] == "drift-column-differs")
        .unwrap();
    assert_eq!(drift["scope"], "drift");
}

#[test]
fn completions_are_valid_scripts_that_offer_rules() {
    let dir = tempfile::tempdir().unwrap();
    let (code, bash, _) = here(&["completions", "bash"]);
    assert_eq!(code, Some(0));
    let script = dir.path().join("phonelint.bash");
    std::fs::write(&script, &bash).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    // Completing as bash does: a rule name after --select, a subcommand.
    let complete = |words: &str| {
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
                 COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
                 _phonelint phonelint \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
                 printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        complete("phonelint --select inactive-ad"),
        "inactive-admin\n"
    );
    assert_eq!(complete("phonelint compl"), "completions\n");
    assert!(complete("phonelint --fail-on ''").contains("warning"));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let (code, script, _) = here(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}");
        assert!(script.contains("stdin-filename"), "{shell}");
        // elvish's and powershell's generators complete options, not values.
        assert!(
            matches!(shell, "elvish" | "powershell") || script.contains("inactive-admin"),
            "{shell}"
        );
    }
    let (code, _, err) = here(&["completions", "tcsh"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
}

/// The man page is roff that groff renders without a warning, with every
/// option of the check and the sections phonelint adds. groff is Debian's
/// groff-base: .ci/run installs it and sets PHONELINT_GROFF=required, so
/// there a missing groff fails; elsewhere its absence skips the rendering.
#[test]
fn the_man_page_renders_with_the_options() {
    let (code, page, _) = here(&["manpage"]);
    assert_eq!(code, Some(0));
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq") || page.contains(".TH phonelint 1"),
        "{page}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("phonelint.1");
    std::fs::write(&file, &page).unwrap();
    let groff = |args: &[&str]| {
        std::process::Command::new("groff")
            .args(args)
            .arg(&file)
            .env("LANG", "C.UTF-8")
            .output()
    };
    let warnings = match groff(&["-man", "-Tutf8", "-ww", "-z"]) {
        Ok(output) => output,
        Err(error) => {
            assert!(
                std::env::var_os("PHONELINT_GROFF").is_none(),
                "PHONELINT_GROFF is set and groff cannot run: {error}"
            );
            eprintln!("SKIPPED the man page rendering: groff is not installed ({error})");
            return;
        }
    };
    assert!(warnings.status.success());
    assert_eq!(String::from_utf8_lossy(&warnings.stderr), "", "groff warns");
    let text = groff(&["-man", "-Tascii", "-rLL=100n"]).unwrap();
    // Overstriking (bold, underline) taken out: the text as read.
    let mut plain = String::new();
    for c in String::from_utf8(text.stdout).unwrap().chars() {
        if c == '\u{8}' {
            plain.pop();
        } else {
            plain.push(c);
        }
    }
    for option in [
        "--select <RULE>",
        "--ignore <RULE>",
        "--fail-on <SEVERITY>",
        "--exit-zero",
        "-q, --quiet",
        "--statistics",
        "--show-fixes",
        "--stdin-filename <PATH>",
        "--ascii",
        "--fix",
        "--diff",
    ] {
        assert!(plain.contains(option), "{option} missing:\n{plain}");
    }
    for section in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "SUBCOMMANDS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "SEE ALSO",
    ] {
        assert!(
            plain.contains(&format!("\n{section}\n")),
            "{section} missing:\n{plain}"
        );
    }
    assert!(plain.contains("FORCE_COLOR"), "{plain}");
    assert!(plain.contains("completions"), "{plain}");
}
