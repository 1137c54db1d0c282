//! Suppressions end to end: each comment form, `[[allow]]` for JSON, and the
//! suppressions that are themselves reported.

mod common;

use std::path::Path;

const PHONE: &str = "[[phones]]\nextension = \"gs102\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\nserver_ip = \"10.10.10.15\"\nlogin = \"gs102\"\npass = \"Rr8xkq2Lw\"\nconf_secret = \"Kd93hxQa7\"\n";

/// A TOML phone that is inactive with ADMIN status (inactive-admin on the
/// status line), with `extra` lines inserted before `status`.
fn inactive_admin(before_header: &str, before_status: &str, status_tail: &str) -> String {
    format!(
        "{before_header}{PHONE}{before_status}status = \"ADMIN\"{status_tail}\nactive = \"N\"\n"
    )
}

fn run(dir: &Path) -> (Option<i32>, String) {
    let (code, out, _) = common::run_short(dir, &[]);
    (code, out)
}

fn repo_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn each_comment_form_allows_its_finding() {
    for text in [
        // At the end of the offending line.
        inactive_admin("", "", " # phonelint: allow(inactive-admin) install sample"),
        // On its own line directly above the key.
        inactive_admin(
            "",
            "# phonelint: allow(inactive-admin) install sample\n",
            "",
        ),
        // Stacked with other comments above the key.
        inactive_admin(
            "",
            "# phonelint: allow(inactive-admin) install sample\n# owner: ops\n",
            "",
        ),
        // Above the [[phones]] header: the whole record.
        inactive_admin(
            "# phonelint: allow(inactive-admin, missing-field) install sample\n",
            "",
            "",
        ),
    ] {
        let dir = repo_with(&[("p.toml", &text)]);
        let (code, out) = run(dir.path());
        let unused_missing = text.contains("missing-field");
        assert_eq!(code, Some(0), "{text}\n{out}");
        if unused_missing {
            assert!(
                out.contains("p.toml:1:36: warning[unused-suppression] unused suppression: no `missing-field` finding here"),
                "{out}"
            );
            assert_eq!(out.lines().count(), 1, "{out}");
        } else {
            assert!(out.is_empty(), "{text}\n{out}");
        }
    }
}

#[test]
fn a_comment_allows_only_what_it_stands_on() {
    // Separated from the key by a blank line: covers nothing.
    let text = inactive_admin(
        "",
        "# phonelint: allow(inactive-admin) install sample\n\n",
        "",
    );
    let dir = repo_with(&[("p.toml", &text)]);
    let (code, out) = run(dir.path());
    assert_eq!(code, Some(1));
    assert!(out.contains("error[inactive-admin]"), "{out}");
    assert!(out.contains("warning[unused-suppression]"), "{out}");

    // On another line of the record: the finding is on `status`.
    let text =
        format!("{PHONE}status = \"ADMIN\"\nactive = \"N\" # phonelint: allow(inactive-admin) x\n");
    let dir = repo_with(&[("p.toml", &text)]);
    let (_, out) = run(dir.path());
    assert!(out.contains("error[inactive-admin]"), "{out}");
    assert!(out.contains("p.toml:9:10: error[inactive-admin]"), "{out}");
    assert!(
        out.contains("p.toml:10:33: warning[unused-suppression]"),
        "{out}"
    );
}

#[test]
fn a_suppression_without_reason_is_rejected() {
    let text = inactive_admin("", "", " # phonelint: allow(inactive-admin)");
    let dir = repo_with(&[("p.toml", &text)]);
    let (code, out) = run(dir.path());
    assert_eq!(code, Some(1));
    assert!(out.contains("p.toml:9:10: error[inactive-admin]"), "{out}");
    assert!(
        out.contains("p.toml:9:18: error[suppression-without-reason] suppression of `inactive-admin` without a reason"),
        "{out}"
    );
    assert!(!out.contains("unused-suppression"), "{out}");
}

const JSON_PHONE: &str = r#"{"phones": [{"extension": "gs102", "dialplan_number": "8300", "voicemail_id": "8300", "server_ip": "10.10.10.15", "login": "gs102", "pass": "Rr8xkq2Lw", "conf_secret": "Kd93hxQa7", "status": "ADMIN", "active": "N"}]}"#;

#[test]
fn allow_entries_in_the_config_cover_json_records() {
    let config = "[[allow]]\nrule = \"inactive-admin\"\nrecord = \"gs102@10.10.10.15\"\nreason = \"install sample\"\npath = \"phones/*.json\"\n";
    let dir = repo_with(&[("phonelint.toml", config)]);
    std::fs::create_dir(dir.path().join("phones")).unwrap();
    std::fs::write(dir.path().join("phones/a.json"), JSON_PHONE).unwrap();
    let (code, out) = run(dir.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(out.is_empty(), "{out}");

    // The path scopes it: the same record elsewhere is still reported, and
    // the entry, matching nothing now, is reported too.
    std::fs::rename(dir.path().join("phones/a.json"), dir.path().join("a.json")).unwrap();
    let (code, out) = run(dir.path());
    assert_eq!(code, Some(1));
    assert!(out.contains("a.json:1:"), "{out}");
    assert!(
        out.contains("phonelint.toml:3:10: warning[unused-suppression] unused suppression: no `inactive-admin` finding on record `gs102@10.10.10.15`"),
        "{out}"
    );
}

#[test]
fn allow_entries_without_reason_are_rejected() {
    let config = "[[allow]]\nrule = \"inactive-admin\"\nrecord = \"gs102@10.10.10.15\"\n";
    let dir = repo_with(&[("phonelint.toml", config), ("a.json", JSON_PHONE)]);
    let (code, out) = run(dir.path());
    assert_eq!(code, Some(1));
    assert!(out.contains("a.json:1:"), "{out}");
    assert!(
        out.contains(
            "phonelint.toml:1:1: error[suppression-without-reason] [[allow]] of `inactive-admin` without a reason"
        ),
        "{out}"
    );
}

#[test]
fn the_suppression_rules_follow_the_configured_levels() {
    let text = inactive_admin("", "", " # phonelint: allow(inactive-admin)");
    let config = "[rules]\nsuppression-without-reason = \"warning\"\n";
    let dir = repo_with(&[("p.toml", &text), ("phonelint.toml", config)]);
    let (_, out) = run(dir.path());
    assert!(out.contains("warning[suppression-without-reason]"), "{out}");

    let text = inactive_admin("# phonelint: allow(blocked-but-listed) old\n", "", "");
    let config = "[rules]\nunused-suppression = \"off\"\ninactive-admin = \"off\"\n";
    let dir = repo_with(&[("p.toml", &text), ("phonelint.toml", config)]);
    let (code, out) = run(dir.path());
    assert_eq!(code, Some(0));
    assert!(out.is_empty(), "{out}");
}

#[test]
fn a_partial_run_does_not_call_allow_entries_for_unread_records_unused() {
    let config = "[[allow]]\nrule = \"inactive-admin\"\nrecord = \"gs102@10.10.10.15\"\nreason = \"install sample\"\n";
    let other = JSON_PHONE
        .replace("gs102", "cc300")
        .replace("\"ADMIN\"", "\"ACTIVE\"")
        .replace("\"N\"", "\"Y\"");
    let dir = repo_with(&[
        ("phonelint.toml", config),
        ("a.json", JSON_PHONE),
        ("other.json", &other),
    ]);
    let (code, out, _) = common::run_short(dir.path(), &["other.json"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));

    // The record read without the finding: the entry is unused.
    std::fs::write(
        dir.path().join("a.json"),
        JSON_PHONE.replace("\"ADMIN\"", "\"SUSPENDED\""),
    )
    .unwrap();
    let (_, out, _) = common::run_short(dir.path(), &["a.json"]);
    assert!(
        out.contains("phonelint.toml:3:10: warning[unused-suppression]"),
        "{out}"
    );
}

#[test]
fn overlapping_suppressions_are_all_used() {
    let text = inactive_admin(
        "# phonelint: allow(inactive-admin) install sample\n",
        "",
        " # phonelint: allow(inactive-admin) install sample, ticket 4711",
    );
    let config = "[[allow]]\nrule = \"inactive-admin\"\nrecord = \"gs102@10.10.10.15\"\nreason = \"install sample\"\n";
    let dir = repo_with(&[("p.toml", &text), ("phonelint.toml", config)]);
    let (code, out) = run(dir.path());
    assert_eq!((code, out.as_str()), (Some(0), ""));
}
