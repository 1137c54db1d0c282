//! `--fix`, `--unsafe-fixes` and `--diff` on temporary copies of fixtures/fix:
//! only the bytes of the edits change, a second run changes nothing, writes
//! are atomic, links and changed or unparsed files are left alone.

mod common;

use std::fs;
use std::path::Path;

use common::{phonelint, root};
use predicates::prelude::*;

/// A temporary directory holding a copy of fixtures/fix.
fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["phones.toml", "phones.json"] {
        fs::copy(
            root().join("fixtures/fix").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    dir
}

/// The names of the entries of `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

fn original(name: &str) -> String {
    read(&root().join("fixtures/fix"), name)
}

/// The fixture with `edits` (old, new) applied, each exactly once.
fn replaced(name: &str, edits: &[(&str, &str)]) -> String {
    let mut text = original(name);
    for (old, new) in edits {
        assert_eq!(text.matches(old).count(), 1, "{old}");
        text = text.replacen(old, new, 1);
    }
    text
}

const SAFE_TOML: [(&str, &str); 4] = [
    ("dialplan_number = 8300", "dialplan_number = \"8300\""),
    ("status =\t\"active\"   #", "status =\t\"ACTIVE\"   #"),
    ("active = \"y\"", "active = \"Y\""),
    ("phone_ring_timeout = \" 60 \"", "phone_ring_timeout = 60"),
];
const SAFE_JSON: [(&str, &str); 2] = [
    (
        "\"status\"   :   \" ADMIN \",",
        "\"status\"   :   \"ADMIN\",",
    ),
    ("\"active\":\"n\"", "\"active\":\"N\""),
];

#[test]
fn fix_changes_only_the_bytes_of_safe_edits() {
    let dir = copy_fixture();
    let output = phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(
        read(dir.path(), "phones.toml"),
        replaced("phones.toml", &SAFE_TOML)
    );
    assert_eq!(
        read(dir.path(), "phones.json"),
        replaced("phones.json", &SAFE_JSON)
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr
            .contains("fixed 6 finding(s) in 2 file(s); 2 unsafe fix(es) more with --unsafe-fixes"),
        "{stderr}"
    );
    // What remains is reported from a check after writing: the unsafe renames,
    // and the contradiction the fixed `active = "N"` now shows. The summary
    // does not offer fixes again: stderr said what is left.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "phones.json:5:22: error[inactive-admin] inactive phone `cc301@10.10.10.15` is declared with status ADMIN\n\
         phones.json:6:7: warning[unknown-field] `Fullname` is not a column of VICIdial's `phones` table\n\
         phones.toml:13:1: warning[unknown-field] `fulname` is not a column of VICIdial's `phones` table\n\
         Checked 2 files (2 records): 1 error, 2 warnings, 0 infos.\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn unsafe_fixes_rename_keys_and_a_second_run_changes_nothing() {
    let dir = copy_fixture();
    phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fixed 8 finding(s) in 2 file(s)\n",
        ));
    let mut toml = SAFE_TOML.to_vec();
    toml.push(("fulname = ", "fullname = "));
    let mut json = SAFE_JSON.to_vec();
    json.push(("\"Fullname\"", "\"fullname\""));
    let toml_fixed = replaced("phones.toml", &toml);
    let json_fixed = replaced("phones.json", &json);
    assert_eq!(read(dir.path(), "phones.toml"), toml_fixed);
    assert_eq!(read(dir.path(), "phones.json"), json_fixed);

    phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--unsafe-fixes", "--format", "short"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fixed 0 finding(s) in 0 file(s)\n",
        ))
        .stdout(predicate::str::contains("inactive-admin"));
    assert_eq!(read(dir.path(), "phones.toml"), toml_fixed);
    assert_eq!(read(dir.path(), "phones.json"), json_fixed);
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let dir = copy_fixture();
    let before = (
        fs::read(dir.path().join("phones.toml")).unwrap(),
        fs::read(dir.path().join("phones.json")).unwrap(),
    );
    let safe = phonelint()
        .current_dir(dir.path())
        .arg("--diff")
        .output()
        .unwrap();
    assert_eq!(safe.status.code(), Some(1), "fixes pending exit 1");
    let safe = String::from_utf8(safe.stdout).unwrap();
    assert!(
        !safe.contains("fullname"),
        "unsafe fix in a safe diff:\n{safe}"
    );
    let output = phonelint()
        .current_dir(dir.path())
        .args(["--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
    let after = (
        fs::read(dir.path().join("phones.toml")).unwrap(),
        fs::read(dir.path().join("phones.json")).unwrap(),
    );
    assert_eq!(before, after);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);

    // Nothing to fix: an empty diff and exit 0.
    phonelint()
        .arg("fixtures/rules/inactive-admin/bad")
        .arg("--diff")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn unsafe_fixes_needs_fix_or_diff() {
    phonelint()
        .args(["fixtures/fix", "--unsafe-fixes"])
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn writes_are_atomic_and_keep_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = copy_fixture();
    let toml = dir.path().join("phones.toml");
    fs::set_permissions(&toml, fs::Permissions::from_mode(0o640)).unwrap();
    phonelint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(1);
    let mode = fs::metadata(&toml).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        names_in(dir.path()),
        ["phones.json", "phones.toml"],
        "temporary files left"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_refused_and_its_target_untouched() {
    let dir = copy_fixture();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(dir.path().join("phones.toml"), &link).unwrap();
    // phonelint never opens a link, even one named explicitly (SECURITY.md):
    // it is skipped with a note, so there is nothing to fix through it.
    phonelint()
        .current_dir(dir.path())
        .args(["--fix", "link.toml"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "skipped link.toml: a symbolic link (phonelint does not follow links)",
        ))
        .stderr(predicate::str::contains("fixed 0 finding(s) in 0 file(s)"));
    assert_eq!(read(dir.path(), "phones.toml"), original("phones.toml"));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    phonelint()
        .current_dir(dir.path())
        .args(["--diff", "link.toml"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn a_file_with_a_parse_error_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[phones]]\nextension = \"x\"\nstatus = \"active\"\nactive = \"y\"\n\n[[phones]\n";
    let file = dir.path().join("broken.toml");
    fs::write(&file, text).unwrap();
    let outcome = common::check_isolated(dir.path(), std::slice::from_ref(&file));
    assert!(
        outcome.findings.iter().any(|f| f.fix.is_some()),
        "the test needs a fixable finding in the damaged file"
    );
    phonelint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "broken.toml: not fixed: the file has a parse error",
        ));
    assert_eq!(fs::read_to_string(&file).unwrap(), text);
}

/// A file with sops's metadata (here a stand-in; tests/secrets_at_rest.rs
/// runs the real sops) is left to sops, by --fix and by --diff.
#[test]
fn a_sops_file_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("phonelint.toml"), "").unwrap();
    let text = original("phones.json").replacen(
        '{',
        "{\n  \"sops\": {\"mac\": \"ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\", \"version\": \"3.10.2\"},",
        1,
    );
    let file = dir.path().join("phones.json");
    fs::write(&file, &text).unwrap();
    // --fix exits by what remains (errors); --diff 0: nothing would change.
    for (flag, said, code) in [("--fix", "not fixed", 1), ("--diff", "would not fix", 0)] {
        let output = phonelint()
            .current_dir(dir.path())
            .arg(flag)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{flag}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "phones.json: {said}: it is encrypted with sops, whose MAC covers every value: a change made without sops would make sops refuse to decrypt it; edit it with sops"
            )),
            "{flag}: {stderr}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), text, "{flag}");
    }
}

#[test]
fn a_file_changed_since_it_was_read_is_skipped() {
    let dir = copy_fixture();
    let toml = dir.path().join("phones.toml");
    let outcome = common::check_isolated(dir.path(), std::slice::from_ref(&toml));
    let plan = phonelint::fix::plan(&outcome.findings, false);
    let fixed = plan.files.first().unwrap();
    let edited = format!("{}\n# edited meanwhile\n", original("phones.toml"));
    fs::write(&toml, &edited).unwrap();
    assert_eq!(
        phonelint::fix::write(fixed),
        Err(phonelint::fix::Skip::Changed)
    );
    assert_eq!(fs::read_to_string(&toml).unwrap(), edited);
}

#[test]
fn renames_never_duplicate_a_key_and_repeated_headers_all_converge() {
    let dir = tempfile::tempdir().unwrap();
    let both = "[[phones]]\nextension = \"a\"\nFullname = \"x\"\nfullname = \"y\"\n";
    fs::write(dir.path().join("both.toml"), both).unwrap();
    let json = "{\"phone\": [], \"phones\": [{\"extension\": \"a\"}]}\n";
    fs::write(dir.path().join("both.json"), json).unwrap();
    fs::write(
        dir.path().join("headers.toml"),
        "[[phone]]\nextension = \"a\"\n\n[[phone]]\nextension = \"b\"\n",
    )
    .unwrap();
    phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fixed 2 finding(s) in 1 file(s)"));
    assert_eq!(read(dir.path(), "both.toml"), both);
    assert_eq!(read(dir.path(), "both.json"), json);
    assert_eq!(
        read(dir.path(), "headers.toml"),
        "[[phones]]\nextension = \"a\"\n\n[[phones]]\nextension = \"b\"\n"
    );
}

/// The fix of the finding of `rule` at `line` in `path`, from `--format json`.
fn fix_of(path: &str, rule: &str, line: u64) -> serde_json::Value {
    let output = phonelint()
        .args([path, "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == rule && d["span"]["start"]["line"] == line)
        .unwrap_or_else(|| panic!("no {rule} at {path}:{line}"))["fix"]
        .clone()
}

#[test]
fn guesses_that_change_meaning_are_unsafe_fixes() {
    let typo = fix_of("fixtures/rules/unknown-status/bad", "unknown-status", 45);
    assert_eq!(typo["applicability"], "unsafe");
    assert_eq!(typo["edits"][0]["replacement"], "\"SUSPENDED\"");
    assert!(fix_of("fixtures/rules/unknown-status/bad", "unknown-status", 33).is_null());
    let yes = fix_of("fixtures/example/phones/floor2.json", "invalid-value", 40);
    assert_eq!(yes["applicability"], "unsafe");
    assert_eq!(yes["edits"][0]["replacement"], "\"Y\"");
}

#[cfg(unix)]
#[test]
fn a_file_replaced_by_a_link_after_reading_is_not_written_through() {
    let dir = copy_fixture();
    let outcome = common::check_isolated(dir.path(), &[dir.path().join("phones.toml")]);
    let plan = phonelint::fix::plan(&outcome.findings, false);
    let fixed = plan.files.first().expect("phones.toml has safe fixes");
    // Between the read and the write, someone swaps the file for a link.
    let elsewhere = dir.path().join("elsewhere.toml");
    fs::rename(dir.path().join("phones.toml"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("phones.toml")).unwrap();
    let refused = phonelint::fix::write(fixed).unwrap_err();
    assert!(refused.to_string().contains("symbolic link"), "{refused}");
    assert_eq!(
        fs::read_to_string(&elsewhere).unwrap(),
        original("phones.toml")
    );
}

#[cfg(unix)]
#[test]
fn a_failing_write_leaves_the_files_intact_and_is_reported() {
    let dir = copy_fixture();
    let output = common::phonelint_on_a_full_disk(dir.path(), &["--fix", "--format", "short"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for name in ["phones.toml", "phones.json"] {
        assert!(
            stderr.contains(&format!("phonelint: error: {name}: not fixed:")),
            "{stderr}"
        );
        assert_eq!(read(dir.path(), name), original(name), "{name} changed");
    }
    assert!(
        stderr.contains("fixed 0 finding(s) in 0 file(s)"),
        "{stderr}"
    );
    // The findings are still reported, from the unchanged files.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("phones.toml:10:10: error[unknown-status]"),
        "{stdout}"
    );
    assert_eq!(
        names_in(dir.path()),
        ["phones.json", "phones.toml"],
        "temporary files left"
    );
}

#[test]
fn fix_and_diff_together_are_refused() {
    let dir = copy_fixture();
    let output = phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--diff"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--diff") && stderr.contains("--fix"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    assert_eq!(read(dir.path(), "phones.toml"), original("phones.toml"));
    assert_eq!(read(dir.path(), "phones.json"), original("phones.json"));
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = copy_fixture();
    let toml = dir.path().join("phones.toml");
    fs::set_permissions(&toml, fs::Permissions::from_mode(0o444)).unwrap();
    let output = phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--format", "short"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("phonelint: error: phones.toml: not fixed: it is read-only"),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), "phones.toml"), original("phones.toml"));
    assert_eq!(
        fs::metadata(&toml).unwrap().permissions().mode() & 0o777,
        0o444
    );
    // The other file is fixed.
    assert_eq!(
        read(dir.path(), "phones.json"),
        replaced("phones.json", &SAFE_JSON)
    );
}

#[cfg(unix)]
#[test]
fn a_fixed_file_keeps_its_owner_and_group() {
    use std::os::unix::fs::MetadataExt;
    let dir = copy_fixture();
    let toml = dir.path().join("phones.toml");
    let root = fs::metadata(dir.path()).unwrap().uid() == 0;
    // As root, give the file to another user, as a checkout by another
    // account would; otherwise the file is ours, which must stay so too.
    let (uid, gid) = if root {
        (65534, 65533)
    } else {
        let meta = fs::metadata(&toml).unwrap();
        (meta.uid(), meta.gid())
    };
    if root {
        std::os::unix::fs::chown(&toml, Some(uid), Some(gid)).unwrap();
    }
    phonelint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(1);
    let meta = fs::metadata(&toml).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (uid, gid), "owner changed");
    assert_eq!(
        read(dir.path(), "phones.toml"),
        replaced("phones.toml", &SAFE_TOML)
    );
}

/// A file whose directory path is so long that a temporary file beside it
/// cannot be created (its relative name no longer fits PATH_MAX), while the
/// file itself can be read: its write fails in every pass. Made with the
/// shell, relative to `dir`, since the absolute names do not fit either.
/// Linux's PATH_MAX.
#[cfg(target_os = "linux")]
fn unwritable_beside(dir: &Path) -> String {
    // `./DIR/z.toml` fits in 4095 bytes; `./DIR/.phonelint-XXXXXX.tmp` does not.
    let mut components = vec!["d".repeat(200); 20];
    components.push("e".repeat(4080 - 20 * 201));
    let relative = components.join("/");
    assert_eq!(relative.len(), 4080);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("mkdir -p \"$1\" && cat > \"$1/z.toml\"")
        .arg("sh")
        .arg(&relative)
        .current_dir(dir)
        .stdin(fs::File::open(root().join("fixtures/fix/phones.toml")).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    format!("{relative}/z.toml")
}

/// The text of a file under `dir` whose absolute name is too long to open.
#[cfg(target_os = "linux")]
fn read_relative(dir: &Path, relative: &str) -> String {
    let output = std::process::Command::new("cat")
        .arg(relative)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_cannot_be_written_is_reported_once() {
    let dir = copy_fixture();
    let long = unwritable_beside(dir.path());
    let output = phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--format", "short"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    // The other files were fixed (so there was a second pass)...
    assert_eq!(
        read(dir.path(), "phones.json"),
        replaced("phones.json", &SAFE_JSON)
    );
    // ...and the one that could not be written is named once.
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("not fixed"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].starts_with(&format!("phonelint: error: {long}: not fixed:")),
        "{stderr}"
    );
    assert_eq!(read_relative(dir.path(), &long), original("phones.toml"));
}

#[cfg(unix)]
#[test]
fn a_fix_waits_for_a_lock_held_on_the_file_and_never_loses_an_update() {
    use std::os::unix::io::AsRawFd;
    let dir = copy_fixture();
    let toml = dir.path().join("phones.toml");
    let outcome = common::check_isolated(dir.path(), std::slice::from_ref(&toml));
    let plan = phonelint::fix::plan(&outcome.findings, false);
    let fixed = plan
        .files
        .into_iter()
        .next()
        .expect("phones.toml has fixes");
    // Another phonelint (or anything using flock) is writing the file.
    let held = fs::File::open(&toml).unwrap();
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);
    let writer = std::thread::spawn(move || phonelint::fix::write(&fixed));
    std::thread::sleep(std::time::Duration::from_millis(500));
    // While the lock is held, the file is not replaced.
    assert_eq!(read(dir.path(), "phones.toml"), original("phones.toml"));
    // The other writer puts its update in place, then lets go.
    let update = format!("{}\n# another update\n", original("phones.toml"));
    let temporary = dir.path().join("update.tmp");
    fs::write(&temporary, &update).unwrap();
    fs::rename(&temporary, &toml).unwrap();
    drop(held);
    let result = writer.join().unwrap();
    assert_eq!(result, Err(phonelint::fix::Skip::Changed));
    assert_eq!(
        read(dir.path(), "phones.toml"),
        update,
        "the update was lost"
    );
}

/// Runs `--fix --unsafe-fixes` on `name` holding `text` (alone in a
/// directory); returns the text after and stderr.
fn fix_unsafe(name: &str, text: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    let output = phonelint()
        .current_dir(dir.path())
        .args(["--fix", "--unsafe-fixes", "--format", "short"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_ne!(output.status.code(), Some(3), "{stderr}");
    (read(dir.path(), name), stderr)
}

/// The fixed text loads without a syntax error or a duplicate key.
fn assert_loads_cleanly(name: &str, text: &str) {
    let format = phonelint::load::Format::from_path(Path::new(name)).unwrap();
    let document = phonelint::load::load_str(text, format);
    assert!(
        !document.problems.iter().any(|p| matches!(
            p,
            phonelint::load::Problem::Syntax { .. } | phonelint::load::Problem::DuplicateKey { .. }
        )),
        "{name} after --fix:\n{text}\n{:?}",
        document.problems
    );
}

#[test]
fn unsafe_renames_never_write_a_duplicate_key_or_a_broken_file() {
    // Two misspellings of one column, both renamed to it.
    let (text, stderr) = fix_unsafe(
        "two.toml",
        "[[phones]]\nextension = \"a\"\nfulname = \"x\"\nfullnam = \"y\"\n",
    );
    assert_loads_cleanly("two.toml", &text);
    assert_eq!(text.matches("fullname").count(), 1, "{text}");
    assert!(stderr.contains("two.toml: left out 1 fix"), "{stderr}");
    let (text, _) = fix_unsafe(
        "two.json",
        "{\"phones\": [{\"extension\": \"a\", \"fulname\": \"x\", \"fullnam\": \"y\"}]}\n",
    );
    assert_loads_cleanly("two.json", &text);
    // `[[phone]]` beside `phones = [...]`: renaming the header would define
    // `phones` twice.
    let original = "phones = [{extension = \"a\"}]\n\n[[phone]]\nextension = \"b\"\n";
    let (text, stderr) = fix_unsafe("header.toml", original);
    assert_loads_cleanly("header.toml", &text);
    assert_eq!(text, original);
    assert!(stderr.contains("header.toml: left out 1 fix"), "{stderr}");
    // `phones = []` beside `phone = [...]`.
    let original = "phones = []\nphone = [{extension = \"b\"}]\n";
    let (text, _) = fix_unsafe("empty.toml", original);
    assert_loads_cleanly("empty.toml", &text);
    assert_eq!(text, original);
    let original = "{\"phones\": [], \"phone\": [{\"extension\": \"b\"}]}\n";
    let (text, _) = fix_unsafe("empty.json", original);
    assert_loads_cleanly("empty.json", &text);
    assert_eq!(text, original);
    // --diff leaves the same edits out.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("two.toml"),
        "[[phones]]\nextension = \"a\"\nfulname = \"x\"\nfullnam = \"y\"\n",
    )
    .unwrap();
    let output = phonelint()
        .current_dir(dir.path())
        .args(["--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&output.stdout);
    assert_eq!(diff.matches("+fullname").count(), 1, "{diff}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("two.toml: left out 1 fix"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn stripping_characters_never_empties_a_required_value() {
    let (text, _) = fix_unsafe(
        "p.toml",
        "[[phones]]\nextension = \"cc100\"\ndialplan_number = \"abc\"\nvoicemail_id = \"--\"\nlogin = \"  \"\nfullname = \"Émilie\"\n",
    );
    assert!(text.contains("dialplan_number = \"abc\""), "{text}");
    assert!(text.contains("voicemail_id = \"--\""), "{text}");
    assert!(text.contains("login = \"  \""), "{text}");
    // A value that keeps some characters is still fixed.
    assert!(text.contains("fullname = \"milie\""), "{text}");
}
