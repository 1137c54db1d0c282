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
        .stderr(
            "phonelint: wrote 2 findings to phonelint-baseline.json\n\
             phonelint: to apply it in every run, add to phonelint.toml: baseline = \"phonelint-baseline.json\"\n",
        );
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
            "bad.json:1:1: not a phonelint baseline: no `version`",
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
        .stderr(predicates::str::starts_with(
            "phonelint: wrote 1 finding to phonelint-baseline.json\n",
        ));
    let (code, out) = short(
        dir.path(),
        &["phones", "--baseline", "phonelint-baseline.json"],
    );
    assert_eq!((code, out.as_str()), (Some(0), ""));
}

/// `phonelint ARGS` in `dir`, killed after 60 seconds so that a read that
/// blocks fails the test instead of hanging the suite.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = phonelint()
        .current_dir(dir)
        .args(["--format", "short"])
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        output.status.code(),
        common::without_summary(&String::from_utf8_lossy(&output.stdout)),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn baseline_never_writes_through_a_symbolic_link() {
    let dir = repository();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("precious.txt");
    std::fs::write(&target, "not phonelint's to write\n").unwrap();
    let link = dir.path().join("phonelint-baseline.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = phonelint()
        .current_dir(dir.path())
        .arg("baseline")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "not phonelint's to write\n"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Named with -o: the same.
    let output = phonelint()
        .current_dir(dir.path())
        .args(["baseline", "-o", "phonelint-baseline.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "not phonelint's to write\n"
    );
}

#[cfg(unix)]
#[test]
fn baseline_is_written_atomically() {
    let dir = repository();
    write_baseline(dir.path());
    let path = dir.path().join("phonelint-baseline.json");
    let before = std::fs::read_to_string(&path).unwrap();
    // A second name for the same file: a write in place would change it too.
    let twin = dir.path().join("twin.json");
    std::fs::hard_link(&path, &twin).unwrap();
    std::fs::write(
        dir.path().join("phones/b.toml"),
        INACTIVE_ADMIN.replace("gs102", "gs109"),
    )
    .unwrap();
    phonelint()
        .current_dir(dir.path())
        .arg("baseline")
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(&twin).unwrap(), before);
    assert_ne!(std::fs::read_to_string(&path).unwrap(), before);
    // On a full disk the old baseline stays whole and nothing is left behind.
    std::fs::remove_file(&twin).unwrap();
    let kept = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(dir.path().join("phones/b.toml")).unwrap();
    let output = common::phonelint_on_a_full_disk(dir.path(), &["baseline"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), kept);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".git",
            "phonelint-baseline.json",
            "phonelint.toml",
            "phones"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_baseline_is_read_like_a_definition_regular_and_bounded() {
    let dir = repository();
    // A link, wherever it points (here to an endless file), is refused.
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
    let (code, _, stderr) = run(dir.path(), &["--baseline", "zero.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("zero.json") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    // A FIFO would block an open or a read for ever: refused at once.
    let fifo = dir.path().join("fifo.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, _, stderr) = run(dir.path(), &["--baseline", "fifo.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    // Over the definition files' size limit: refused from its size.
    let big = std::fs::File::create(dir.path().join("big.json")).unwrap();
    big.set_len(phonelint::files::read::MAX_FILE_SIZE + 1)
        .unwrap();
    let (code, _, stderr) = run(dir.path(), &["--baseline", "big.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("too large"), "{stderr}");
}

/// A baseline whose entries name `paths`, each for an inactive ADMIN.
fn baseline_naming(paths: &[&str]) -> String {
    let entries: Vec<String> = paths
        .iter()
        .map(|path| {
            format!(
                "    {{\"fingerprint\":\"0123456789abcdef\",\"rule\":\"inactive-admin\",\"path\":{},\"record\":\"gs102@10.10.10.15\",\"field\":\"status\"}}",
                serde_json::to_string(path).unwrap()
            )
        })
        .collect();
    format!(
        "{{\n  \"version\": 1,\n  \"findings\": [\n{}\n  ]\n}}\n",
        entries.join(",\n")
    )
}

#[cfg(unix)]
#[test]
fn baseline_entries_cannot_probe_files_outside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("present.toml"), "x = 1\n").unwrap();
    let present = outside.path().join("present.toml").display().to_string();
    let absent = outside.path().join("absent.toml").display().to_string();
    // Whether a file exists outside must not change what phonelint says.
    let mut answers = Vec::new();
    for path in [present.as_str(), absent.as_str()] {
        let dir = repository();
        let depth = dir.path().components().count();
        let climbing = format!("{}{}", "../".repeat(depth), path.trim_start_matches('/'));
        for entry in [path, climbing.as_str()] {
            std::fs::write(
                dir.path().join("phonelint-baseline.json"),
                baseline_naming(&[entry]),
            )
            .unwrap();
            let (code, stdout, stderr) =
                run(dir.path(), &["--baseline", "phonelint-baseline.json"]);
            assert_eq!(code, Some(2), "{entry}: {stdout}{stderr}");
            assert!(
                stderr.contains("outside the repository"),
                "{entry}: {stderr}"
            );
            answers.push(stdout + &stderr.replace(entry, "PATH"));
        }
        // A path through a link inside the repository is not followed either.
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        let linked = format!(
            "out/{}",
            Path::new(path).file_name().unwrap().to_string_lossy()
        );
        std::fs::write(
            dir.path().join("phonelint-baseline.json"),
            baseline_naming(&[&linked]),
        )
        .unwrap();
        let (code, stdout, stderr) = run(dir.path(), &["--baseline", "phonelint-baseline.json"]);
        answers.push(
            format!("{code:?}")
                + &stdout.replace(&linked, "PATH")
                + &stderr.replace(&linked, "PATH"),
        );
    }
    let (for_present, for_absent) = answers.split_at(answers.len() / 2);
    assert_eq!(for_present, for_absent);
}

#[test]
fn a_malformed_baseline_is_never_quoted() {
    let dir = repository();
    let token = "ghp_Zq8vXk2LmN4pR7sT1uW3yA5bC6dE9fG0hJ";
    for text in [
        format!("{{\"version\": \"{token}\", \"findings\": []}}"),
        format!(
            "{{\"version\": 1, \"findings\": [{{\"fingerprint\": 7, \"rule\": \"{token}\"}}]}}"
        ),
        format!("{{\"version\": 1, \"findings\": [\"{token}\"]}}"),
        format!("{{\"version\": 1, \"{token}\": []}}"),
        format!("{{\"version\": 1, \"findings\": []}} {token}"),
        format!("[\"{token}\"]"),
        format!(
            "{{\"version\": 1, \"findings\": [{{\"fingerprint\": \"{token}\", \"rule\": 5, \"path\": \"a\"}}]}}"
        ),
    ] {
        std::fs::write(dir.path().join("b.json"), &text).unwrap();
        let (code, stdout, stderr) = run(dir.path(), &["--baseline", "b.json"]);
        assert_eq!(code, Some(2), "{text}: {stderr}");
        assert!(stderr.contains("b.json"), "{text}: {stderr}");
        assert!(
            !stderr.contains("ghp_") && !stdout.contains("ghp_"),
            "{text}: {stdout}{stderr}"
        );
    }
}

#[test]
fn entries_sharing_a_fingerprint_point_at_their_own_lines() {
    let dir = repository();
    std::fs::write(dir.path().join("phones/a.toml"), INACTIVE_WITH_ACCESS).unwrap();
    // Three entries for one finding that is gone: each is stale at its own line.
    std::fs::write(
        dir.path().join("phonelint-baseline.json"),
        baseline_naming(&["phones/a.toml", "phones/a.toml", "phones/a.toml"]),
    )
    .unwrap();
    let (_, out, _) = run(dir.path(), &["--baseline", "phonelint-baseline.json"]);
    let stale: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("stale-baseline-entry"))
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        stale,
        [
            "phonelint-baseline.json:4:20",
            "phonelint-baseline.json:5:20",
            "phonelint-baseline.json:6:20"
        ]
    );
}

/// `phonelint ARGS` in `dir`: exit code, stdout and stderr.
fn phonelint_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = phonelint().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The repository of [`repository`], its phonelint.toml naming a baseline.
fn configured(baseline: &str) -> tempfile::TempDir {
    let dir = repository();
    std::fs::write(
        dir.path().join("phonelint.toml"),
        format!("baseline = \"{baseline}\"\n[rules]\ninactive-with-access = \"warning\"\n"),
    )
    .unwrap();
    dir
}

#[test]
fn the_configured_baseline_is_written_and_applied_without_flags() {
    let dir = configured("ci/phonelint-baseline.json");
    std::fs::create_dir(dir.path().join("ci")).unwrap();
    // Not yet written: every finding is reported, and a note says why.
    let (code, out, err) = run(dir.path(), &[]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        err.starts_with("phonelint: note: no baseline at ci/phonelint-baseline.json (named in phonelint.toml:1): every finding is reported; `phonelint baseline` writes it\n"),
        "{err}"
    );
    // `phonelint baseline` writes where the configuration says, from a
    // subdirectory too (the path is the root's), and needs no hint.
    let (code, _, err) = phonelint_in(&dir.path().join("phones"), &["baseline"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err,
        format!(
            "phonelint: wrote 2 findings to {}\n",
            dir.path().join("ci/phonelint-baseline.json").display()
        )
    );
    assert!(!dir.path().join("phones/phonelint-baseline.json").exists());
    // A plain check applies it, from anywhere in the repository.
    for cwd in [dir.path().to_path_buf(), dir.path().join("phones")] {
        let (code, out, err) = run(&cwd, &[]);
        assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
        assert!(!err.contains("baseline"), "{err}");
    }
    // --no-baseline shows everything; --baseline FILE overrides.
    let (code, out, _) = run(dir.path(), &["--no-baseline"]);
    assert_eq!((code, out.lines().count()), (Some(1), 2), "{out}");
    std::fs::write(dir.path().join("other.json"), baseline_naming(&[])).unwrap();
    let (code, out, _) = run(dir.path(), &["--baseline", "other.json"]);
    assert_eq!((code, out.lines().count()), (Some(1), 2), "{out}");
    let (code, _, err) = run(dir.path(), &["--baseline", "other.json", "--no-baseline"]);
    assert_eq!(code, Some(2), "{err}");
    // -o still writes elsewhere.
    let (code, _, err) = phonelint_in(dir.path(), &["baseline", "-o", "b.json"]);
    assert_eq!(
        (code, err.as_str()),
        (Some(0), "phonelint: wrote 2 findings to b.json\n")
    );
    // `phonelint config` says where it came from.
    let (_, config, _) = phonelint_in(dir.path(), &["config"]);
    assert!(
        config.lines().any(
            |line| line.starts_with("baseline = \"ci/phonelint-baseline.json\"")
                && line.ends_with("# phonelint.toml:1")
        ),
        "{config}"
    );
    // A new finding fails the check, the baselined ones stay quiet.
    std::fs::write(
        dir.path().join("phones/b.toml"),
        INACTIVE_ADMIN.replace("gs102", "gs103"),
    )
    .unwrap();
    let (code, out, _) = run(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("phones/b.toml"), "{out}");
}

#[test]
fn without_a_configured_baseline_none_applies_and_config_says_so() {
    let dir = repository();
    write_baseline(dir.path());
    // Written but not named: a plain check reports everything.
    let (code, out, _) = run(dir.path(), &[]);
    assert_eq!((code, out.lines().count()), (Some(1), 2), "{out}");
    let (_, config, _) = phonelint_in(dir.path(), &["config"]);
    assert!(
        config.contains("# baseline =                                     # default: none"),
        "{config}"
    );
}

#[test]
fn a_configured_baseline_outside_the_root_is_refused_with_its_span() {
    let outer = tempfile::tempdir().unwrap();
    let absolute = outer.path().join("b.json").display().to_string();
    for path in ["../b.json", absolute.as_str(), "", "phones/../../b.json"] {
        let dir = outer.path().join("repo");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::create_dir_all(dir.join("phones")).unwrap();
        std::fs::write(dir.join("phones/a.toml"), INACTIVE_ADMIN).unwrap();
        std::fs::write(
            dir.join("phonelint.toml"),
            format!("baseline = \"{path}\"\n"),
        )
        .unwrap();
        for args in [&[][..], &["baseline"], &["config"]] {
            let (code, out, err) = phonelint_in(&dir, args);
            assert_eq!(code, Some(2), "{path} {args:?}: {out}{err}");
            assert!(
                err.contains("`baseline` leaves the project root")
                    && err.contains("[phonelint.toml:1:12]")
                    && err.contains("nothing was checked"),
                "{path} {args:?}: {err}"
            );
        }
        assert!(!outer.path().join("b.json").exists(), "{path}");
    }
}

#[test]
fn a_configured_baseline_inside_git_is_refused() {
    let dir = configured(".git/config");
    let config = "[core]\n\trepositoryformatversion = 0\n";
    std::fs::write(dir.path().join(".git/config"), config).unwrap();
    for args in [&[][..], &["baseline"]] {
        let (code, _, err) = phonelint_in(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("`baseline` lies inside `.git`"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".git/config")).unwrap(),
        config
    );
}

#[cfg(unix)]
#[test]
fn a_configured_baseline_behind_a_link_is_neither_read_nor_written() {
    let outside = tempfile::tempdir().unwrap();
    let dir = configured("ci/phonelint-baseline.json");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("ci")).unwrap();
    for args in [&[][..], &["baseline"]] {
        let (code, _, err) = phonelint_in(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("ci/phonelint-baseline.json: the way to the baseline named in phonelint.toml:1 goes through a symbolic link"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

/// The adoption path on VICIdial's real dump: import, baseline (named in
/// phonelint.toml), fix, baseline again. The dump's 150 `local_gmt = "-5"`
/// are baselined findings with a safe fix: `--fix` fixes them (a baseline
/// says "do not fail on these", not "do not touch them"), their entries turn
/// stale, and `phonelint baseline` drops them.
#[test]
fn fix_fixes_baselined_findings_and_baseline_then_drops_their_entries() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("phones");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    phonelint()
        .args([
            "import",
            "fixtures/vicidial-data/mysqldump-phones.sql",
            "--out",
        ])
        .arg(&repo)
        .assert()
        .code(0);
    std::fs::write(
        repo.join("phonelint.toml"),
        "baseline = \"phonelint-baseline.json\"\n",
    )
    .unwrap();
    let (code, _, err) = phonelint_in(&repo, &["baseline"]);
    assert_eq!(
        (code, err.as_str()),
        (
            Some(0),
            "phonelint: wrote 411 findings to phonelint-baseline.json\n"
        )
    );
    let entries = |repo: &Path| {
        let text = std::fs::read_to_string(repo.join("phonelint-baseline.json")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        doc["findings"].as_array().unwrap().clone()
    };
    let gmt = |entries: &[Value]| {
        entries
            .iter()
            .filter(|e| e["rule"] == "invalid-local-gmt")
            .count()
    };
    assert_eq!(gmt(&entries(&repo)), 150);
    let (code, out, _) = run(&repo, &[]);
    assert_eq!((code, out.as_str()), (Some(0), ""));

    // --diff shows what --fix will do: the baselined fixes too.
    let (code, out, err) = phonelint_in(&repo, &["--diff"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        out.matches("\n+local_gmt = \"-5.00\"").count(),
        150,
        "{out}"
    );
    assert!(err.contains("phonelint: 150 fix(es) in 1 file(s)"), "{err}");

    let (code, out, err) = run(&repo, &["--fix"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("phonelint: fixed 150 finding(s) in 1 file(s)\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "phonelint: 150 baseline entries match nothing any more: `phonelint baseline` drops them\n"
        ),
        "{err}"
    );
    // What remains: the fixed findings' entries, stale (infos, not failing).
    assert_eq!(out.lines().count(), 150, "{out}");
    assert!(
        out.lines().all(|line| line
            .contains("info[stale-baseline-entry] stale baseline entry: `invalid-local-gmt`")),
        "{out}"
    );
    let phones = std::fs::read_to_string(repo.join("phones/10.10.10.15.toml")).unwrap();
    assert_eq!(phones.matches("local_gmt = \"-5.00\"").count(), 150);
    assert!(!phones.contains("local_gmt = \"-5\""));
    // --fix left the baseline alone; `phonelint baseline` prunes it.
    assert_eq!(entries(&repo).len(), 411);
    let (code, _, err) = phonelint_in(&repo, &["baseline"]);
    assert_eq!(
        (code, err.as_str()),
        (
            Some(0),
            "phonelint: wrote 261 findings to phonelint-baseline.json\n"
        )
    );
    assert_eq!(gmt(&entries(&repo)), 0);
    let (code, out, _) = run(&repo, &[]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // A second --fix has nothing left to do.
    let (_, _, err) = run(&repo, &["--fix"]);
    assert!(
        err.contains("phonelint: fixed 0 finding(s) in 0 file(s)"),
        "{err}"
    );
    // Everything is still there to see.
    let (code, out, _) = run(&repo, &["--no-baseline"]);
    assert_eq!((code, out.lines().count()), (Some(1), 261), "{out}");
}

/// A baseline of some paths replaces the entries of those paths and keeps
/// the others': writing the configured baseline for one directory never
/// drops what the rest of the repository had accepted. An existing baseline
/// that cannot be read is then not overwritten.
#[test]
fn a_baseline_of_some_paths_keeps_the_entries_of_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("phonelint.toml"),
        "baseline = \"phonelint-baseline.json\"\n",
    )
    .unwrap();
    for file in ["phones/a.toml", "other/b.toml"] {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = INACTIVE_ADMIN.replace(
            "gs102",
            if file.starts_with("phones") {
                "pa1"
            } else {
                "ob1"
            },
        );
        std::fs::write(path, text).unwrap();
    }
    let entries = |dir: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(dir.join("phonelint-baseline.json")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| format!("{} {}", entry["path"], entry["rule"]))
            .collect()
    };
    let (code, _, err) = phonelint_in(dir.path(), &["baseline"]);
    assert_eq!(code, Some(0), "{err}");
    let whole = entries(dir.path());
    assert_eq!(whole.len(), 2, "{whole:?}");
    // phones/a.toml gains a finding; the baseline of phones/ takes it in and
    // keeps other/b.toml's entry.
    let path = dir.path().join("phones/a.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("status = \"ADMIN\"", "status = \"ADMN\""),
    )
    .unwrap();
    let (code, _, err) = phonelint_in(dir.path(), &["baseline", "phones"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("(1 entry of other paths kept)"), "{err}");
    let after = entries(dir.path());
    assert!(
        after.iter().any(|e| e.starts_with("\"other/b.toml\"")),
        "{after:?}"
    );
    assert!(
        after
            .iter()
            .all(|e| !e.starts_with("\"phones/a.toml\" \"inactive-admin\"")),
        "{after:?}"
    );
    let (code, out) = short(dir.path(), &[]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{after:?}");
    // Whole again: only what is there now.
    let (code, _, err) = phonelint_in(dir.path(), &["baseline"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("kept"), "{err}");
    // A broken baseline is not overwritten by a baseline of some paths.
    std::fs::write(dir.path().join("phonelint-baseline.json"), "{ broken").unwrap();
    let (code, _, err) = phonelint_in(dir.path(), &["baseline", "phones"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("is not rewritten"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("phonelint-baseline.json")).unwrap(),
        "{ broken"
    );
}
