//! Credentials kept out of git, the ways SECURITY.md advises: placeholders
//! filled in at deploy time, values sops encrypted, files git-crypt
//! encrypted. phonelint judges no placeholder (it stands for a secret that is
//! not here), reads a sops file's other values, and names a file git-crypt
//! encrypted in a locked checkout.
//!
//! sops, age-keygen and git-crypt are the real tools: sops from
//! `PHONELINT_SOPS` (or PATH), the others from PATH. Without them those tests
//! skip with a message, unless `PHONELINT_SECRET_TOOLS=required` (set by
//! .ci/run, which installs them pinned): then a missing tool fails.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, root, run_short};

/// Rules that judge a credential's value: each would report the fixture's
/// values were they not placeholders.
const VALUE_RULES: [&str; 7] = [
    "weak-secret",
    "stripped-characters",
    "agent-unusable-login",
    "value-too-long",
    "api-field-length",
    "alias-mixed-passwords",
    "shared-voicemail-mismatch",
];

/// The rules named in `phonelint --format short` output.
fn rules_in(short: &str) -> BTreeSet<String> {
    short
        .lines()
        .filter_map(|line| {
            let start = line.find('[')? + 1;
            let end = start + line[start..].find(']')?;
            Some(line[start..end].to_owned())
        })
        .collect()
}

#[test]
fn placeholders_and_sops_values_are_not_judged() {
    let (code, out, err) = run_short(&root().join("fixtures/secrets-at-rest"), &[]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
}

#[test]
fn the_same_values_one_character_off_are_judged() {
    // Not vacuous: spoil each placeholder by one character and every rule
    // that judges a credential speaks.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/secrets-at-rest"), dir.path());
    for name in ["phones/templated.toml", "phones/sops.json"] {
        let path = dir.path().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let spoilt = text
            .replace("\"${", "\"$(")
            .replace("\"{{", "\"{(")
            .replace("\"ENC[", "\"ENK[");
        assert_ne!(spoilt, text, "{name} holds placeholders");
        std::fs::write(&path, spoilt).unwrap();
    }
    let (code, out, err) = run_short(dir.path(), &[]);
    assert_eq!(code, Some(1), "{out}{err}");
    let reported = rules_in(&out);
    for rule in VALUE_RULES {
        assert!(reported.contains(rule), "{rule} missing from:\n{out}");
    }
    for file in ["phones/templated.toml", "phones/sops.json"] {
        assert!(out.contains(file), "{file} not reported on:\n{out}");
    }
}

/// `phonelint --format short` on a repository of one phone, cc100, whose
/// `fields` lines stand between its login and its status.
fn check_phone(fields: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("phonelint.toml"), "").unwrap();
    let phone = format!(
        "[[phones]]\nextension = \"cc100\"\ndialplan_number = \"8300\"\nvoicemail_id = \"8300\"\nlogin = \"cc100\"\n{fields}\nstatus = \"ACTIVE\"\nactive = \"Y\"\n"
    );
    std::fs::write(dir.path().join("phones.toml"), phone).unwrap();
    run_short(dir.path(), &[])
}

#[test]
fn a_placeholder_outside_a_credential_is_judged_and_near_misses_too() {
    let (code, out, err) = check_phone(
        r#"server_ip = "${SERVER_IP}"
pass = "$PHONE_PASS"
conf_secret = "${CONF_SECRET}x""#,
    );
    assert_eq!(code, Some(1), "{out}{err}");
    // server_ip is not a credential: phonelint needs its value.
    assert!(
        out.contains("phones.toml:6:13: error[invalid-server-ip]"),
        "{out}"
    );
    // `$NAME` and text around a placeholder are values like any other.
    assert!(
        out.contains("phones.toml:7:8: warning[agent-unusable-login]"),
        "{out}"
    );
    assert!(
        out.contains("phones.toml:8:15: warning[stripped-characters]"),
        "{out}"
    );
    assert!(
        !out.contains("PHONE_PASS") && !out.contains("CONF_SECRET"),
        "{out}"
    );
}

#[test]
fn a_placeholder_is_not_a_default_credential_but_an_omitted_secret_is() {
    let (code, out, err) = check_phone(
        r#"server_ip = "10.10.10.15"
pass = "${PHONE_PASS}""#,
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert_eq!(
        out.trim(),
        "phones.toml:1:1: error[default-credential] `cc100@10.10.10.15` sets no `conf_secret`: it registers with VICIdial's shipped default secret"
    );
}

/// The secret tools' requirement, as .ci/run sets it.
fn tools_required() -> bool {
    std::env::var("PHONELINT_SECRET_TOOLS").as_deref() == Ok("required")
}

/// A tool from `env` or PATH, if it runs.
fn tool(name: &str, env: Option<&str>) -> Option<PathBuf> {
    let path = env
        .and_then(std::env::var_os)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(name));
    let runs = Command::new(&path)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if runs {
        return Some(path);
    }
    let message = format!(
        "{name} is not installed{}",
        env.map(|env| format!(" (set {env} to its path)"))
            .unwrap_or_default()
    );
    assert!(
        !tools_required(),
        "{message}; PHONELINT_SECRET_TOOLS=required"
    );
    eprintln!("skipped: {message}; .ci/run installs it");
    None
}

fn run(program: &Path, args: &[&str], cwd: &Path, env: &[(&str, &Path)]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|error| panic!("{}: {error}", program.display()));
    assert!(
        output.status.success(),
        "{} {args:?}: {}{}",
        program.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const PLAIN_PHONES: &str = r#"{
  "phones": [
    {"extension": "cc120", "dialplan_number": "8320", "voicemail_id": "8320",
     "server_ip": "10.10.10.15", "login": "cc120", "pass": "1234",
     "conf_secret": "Kd93hxQa7X2pLm8Rt5Wq", "status": "ACTIVE", "active": "Y"}
  ]
}
"#;

/// sops, a repository at `dir/repo` with a `phones/` directory and the
/// .sops.yaml SECURITY.md shows (only the credential columns encrypted, for
/// a new age key), and that key's file; `None` without the tools.
fn sops_repository(dir: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let (Some(sops), Some(keygen)) = (
        tool("sops", Some("PHONELINT_SOPS")),
        tool("age-keygen", None),
    ) else {
        return None;
    };
    let repo = dir.join("repo");
    std::fs::create_dir_all(repo.join("phones")).unwrap();
    std::fs::write(repo.join("phonelint.toml"), "").unwrap();
    let key = dir.join("age.key");
    run(&keygen, &["-o", key.to_str().unwrap()], dir, &[]);
    let recipient = run(&keygen, &["-y", key.to_str().unwrap()], dir, &[]);
    std::fs::write(
        repo.join(".sops.yaml"),
        format!(
            "creation_rules:\n  - path_regex: phones/.*\\.json$\n    encrypted_regex: '^(pass|conf_secret|login_pass|ASTmgrSECRET|DBX_pass|DBY_pass)$'\n    age: {}\n",
            recipient.trim()
        ),
    )
    .unwrap();
    Some((sops, repo, key))
}

#[test]
fn a_file_sops_encrypted_as_security_md_says_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let Some((sops, repo, key)) = sops_repository(dir.path()) else {
        return;
    };
    let file = repo.join("phones/floor.json");
    std::fs::write(&file, PLAIN_PHONES).unwrap();
    // In plain text the short pass is reported ...
    let (code, out, _) = run_short(&repo, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("warning[weak-secret] `pass`"), "{out}");
    run(
        &sops,
        &["encrypt", "--in-place", "phones/floor.json"],
        &repo,
        &[],
    );
    let encrypted = std::fs::read_to_string(&file).unwrap();
    assert!(
        encrypted.contains("\"pass\": \"ENC[AES256_GCM,data:"),
        "{encrypted}"
    );
    assert!(encrypted.contains("\"sops\": {"), "{encrypted}");
    assert!(
        encrypted.contains("\"server_ip\": \"10.10.10.15\""),
        "{encrypted}"
    );
    // ... encrypted, the credentials are placeholders and the rest is checked.
    let (code, out, err) = run_short(&repo, &[]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    std::fs::write(
        &file,
        encrypted.replace(
            "\"server_ip\": \"10.10.10.15\"",
            "\"server_ip\": \"dialer1\"",
        ),
    )
    .unwrap();
    let (code, out, _) = run_short(&repo, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("error[invalid-server-ip]"), "{out}");
    assert_eq!(rules_in(&out).len(), 1, "{out}");
    // sops still decrypts what it wrote (phonelint changed nothing).
    std::fs::write(&file, &encrypted).unwrap();
    let plain = run(
        &sops,
        &["decrypt", "phones/floor.json"],
        &repo,
        &[("SOPS_AGE_KEY_FILE", &key)],
    );
    assert!(plain.contains("\"pass\": \"1234\""), "{plain}");
}

#[test]
fn a_file_git_crypt_encrypted_is_named_in_a_locked_checkout() {
    let Some(git_crypt) = tool("git-crypt", None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("phones")).unwrap();
    let git = |args: &[&str]| {
        run(
            Path::new("git"),
            &[
                &["-c", "user.name=t", "-c", "user.email=t@example.invalid"],
                args,
            ]
            .concat(),
            &repo,
            &[],
        )
    };
    git(&["init", "-q"]);
    run(&git_crypt, &["init"], &repo, &[]);
    std::fs::write(
        repo.join(".gitattributes"),
        "phones/secret/** filter=git-crypt diff=git-crypt\n",
    )
    .unwrap();
    std::fs::write(repo.join("phonelint.toml"), "").unwrap();
    std::fs::create_dir_all(repo.join("phones/secret")).unwrap();
    let fixture =
        std::fs::read_to_string(root().join("fixtures/secrets-at-rest/phones/templated.toml"))
            .unwrap()
            .replace("${CC100_PASS}", "Rr8xkq2Lw")
            .replace("${CC100_CONF_SECRET}", "Kd93hxQa7")
            .replace("{{ vault_cc101_pass }}", "Rr8xkq2Lw")
            .replace("{{ op://phones/cc101/conf_secret }}", "Tq4mZx81Kp")
            .replace("{{ .Values.ami.secret }}", "Wm5vXq2Lr9");
    let (phones, aliases) = fixture.split_at(fixture.find("[[aliases]]").unwrap());
    std::fs::write(repo.join("phones/secret/floor.toml"), phones).unwrap();
    std::fs::write(repo.join("phones/aliases.toml"), aliases).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "phones"]);
    let key = dir.path().join("git-crypt.key");
    run(
        &git_crypt,
        &["export-key", key.to_str().unwrap()],
        &repo,
        &[],
    );
    let (code, out, err) = run_short(&repo, &[]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "unlocked: {err}");

    run(&git_crypt, &["lock"], &repo, &[]);
    let locked = std::fs::read(repo.join("phones/secret/floor.toml")).unwrap();
    assert!(
        locked.starts_with(b"\0GITCRYPT\0"),
        "git-crypt locked the file"
    );
    let (code, out, err) = run_short(&repo, &[]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("phones/secret/floor.toml:1:1: error[parse-error] the file is encrypted with git-crypt and this checkout is locked: phonelint cannot read it"),
        "{out}"
    );
    // The rest is still checked, without the locked file's phones.
    assert!(out.contains("phones/aliases.toml"), "{out}");
    assert!(rules_in(&out).contains("alias-unknown-login"), "{out}");
    // Human output says what to do.
    let human = common::phonelint()
        .current_dir(&repo)
        .args(["--color", "never", "phones/secret/floor.toml"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("run `git-crypt unlock` before phonelint"),
        "{human}"
    );
    // Excluded in phonelint.toml, a locked file is not read when walking.
    std::fs::write(
        repo.join("phonelint.toml"),
        "exclude = [\"phones/secret/**\"]\n",
    )
    .unwrap();
    let (_, out, _) = run_short(&repo, &[]);
    assert!(!out.contains("parse-error"), "{out}");
    std::fs::write(repo.join("phonelint.toml"), "").unwrap();

    run(&git_crypt, &["unlock", key.to_str().unwrap()], &repo, &[]);
    let (code, out, err) = run_short(&repo, &[]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "unlocked again: {err}");
}

/// `phonelint ARGS` in `cwd`: exit code, stdout, stderr.
fn phonelint_in(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = common::phonelint()
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// sops's MAC covers every value, the ones it leaves in clear text too:
/// `--fix` and `--diff` leave a sops file to sops, say why, and fix the
/// other files of the run.
#[test]
fn fix_and_diff_refuse_a_sops_file_whose_mac_a_change_would_break() {
    let dir = tempfile::tempdir().unwrap();
    let Some((sops, repo, key)) = sops_repository(dir.path()) else {
        return;
    };
    // `active = "y"`: stored as `Y` by MySQL, a warning with a safe fix.
    let phones = PLAIN_PHONES.replace("\"active\": \"Y\"", "\"active\": \"y\"");
    let (sops_file, plain_file) = (
        repo.join("phones/floor.json"),
        repo.join("phones/desk.json"),
    );
    std::fs::write(&sops_file, &phones).unwrap();
    let plain = phones
        .replace("cc120", "cc121")
        .replace("8320", "8321")
        .replace("\"1234\"", "\"Rr8xkq2Lw\"");
    std::fs::write(&plain_file, plain).unwrap();
    run(
        &sops,
        &["encrypt", "--in-place", "phones/floor.json"],
        &repo,
        &[],
    );
    let encrypted = std::fs::read_to_string(&sops_file).unwrap();
    assert!(encrypted.contains("\"active\": \"y\""), "{encrypted}");
    let decrypt = |env_key: &Path| {
        Command::new(&sops)
            .args(["decrypt", "phones/floor.json"])
            .current_dir(&repo)
            .env("SOPS_AGE_KEY_FILE", env_key)
            .output()
            .unwrap()
    };

    let (code, out, err) = phonelint_in(&repo, &["--diff"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains("phonelint: phones/floor.json: would not fix: it is encrypted with sops, whose MAC covers every value"),
        "{err}"
    );
    assert!(out.contains("+++ phones/desk.json"), "{out}");
    assert!(!out.contains("floor.json"), "{out}");

    let (code, out, err) = phonelint_in(&repo, &["--fix", "--format", "short"]);
    // The finding stays reported (a warning); not fixing it is not an error.
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("phonelint: phones/floor.json: not fixed: it is encrypted with sops"),
        "{err}"
    );
    assert!(err.contains("fixed 1 finding(s) in 1 file(s)"), "{err}");
    assert!(
        out.contains("phones/floor.json") && out.contains("warning[invalid-value]"),
        "{out}"
    );
    assert!(!out.contains("desk.json"), "{out}");
    assert_eq!(std::fs::read_to_string(&sops_file).unwrap(), encrypted);
    assert!(decrypt(&key).status.success());
    // Why: the very edit --fix would make, made without sops, breaks the MAC.
    std::fs::write(
        &sops_file,
        encrypted.replace("\"active\": \"y\"", "\"active\": \"Y\""),
    )
    .unwrap();
    let broken = decrypt(&key);
    assert!(!broken.status.success());
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("MAC mismatch"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
}
