//! The hostile-input catalogue: whatever a pull request puts in a
//! repository, phonelint finishes, reports clearly, reads nothing outside the
//! repository and never blocks. Each case runs the binary on a repository of
//! its own, with a timeout, or the library where the case needs timing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::phonelint;
use phonelint::files::read::MAX_FILE_SIZE;
use phonelint::load::{Format, MAX_DEPTH};

/// A phone that is clean under every rule: cases add their one mistake.
const PHONE: &str = "[[phones]]
extension = \"cc100\"
dialplan_number = \"8300\"
voicemail_id = \"8300\"
server_ip = \"10.10.10.15\"
login = \"cc100\"
pass = \"Rr8xkq2Lw\"
conf_secret = \"Vb7mWq3Lp9\"
status = \"ACTIVE\"
active = \"Y\"
";

/// A repository root of its own (the marker stops the search for a config).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("phonelint.toml"), "").expect("marker written");
    dir
}

/// The name of every output format `--format` takes.
fn formats() -> Vec<String> {
    phonelint::report::OutputFormat::all()
        .iter()
        .map(|format| format.name())
        .collect()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `phonelint --format FORMAT ARGS` in `cwd`, killed after 60 seconds (so a
/// hang fails the test instead of blocking the suite).
fn run(cwd: &Path, format: &str, args: &[&str]) -> Run {
    let output = phonelint()
        .current_dir(cwd)
        .args(["--format", format])
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("phonelint runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Asserts that `text` holds `needle`, showing `text` when it does not.
fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
}

/// Short output's finding lines (its summary checked and taken off).
fn short(cwd: &Path, args: &[&str]) -> Run {
    let mut run = run(cwd, "short", args);
    run.stdout = common::without_summary(&run.stdout);
    run
}

#[test]
fn empty_files_are_not_definitions() {
    let dir = repo();
    fs::write(dir.path().join("a.toml"), "").unwrap();
    fs::write(dir.path().join("b.json"), "").unwrap();
    let out = short(dir.path(), &["."]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
}

#[test]
fn a_byte_order_mark_is_read_and_not_counted_as_a_column() {
    let dir = repo();
    let bad = PHONE.replace("\"ACTIVE\"", "\"Admin\"");
    fs::write(dir.path().join("a.toml"), format!("\u{FEFF}{bad}")).unwrap();
    fs::write(
        dir.path().join("b.json"),
        "\u{FEFF}{\"phones\": [{\"extension\": \"cc101\", \"status\": \"Admin\"}]}",
    )
    .unwrap();
    let out = short(dir.path(), &["."]);
    assert_eq!(out.code, Some(1));
    assert!(!out.stdout.contains("parse-error"), "{}", out.stdout);
    has(
        &out.stdout,
        "a.toml:9:10: error[unknown-status] [*] status `Admin`",
    );
    // Column 46 in an editor, as without the BOM: it is not a character
    // one sees.
    has(
        &out.stdout,
        "b.json:1:46: error[unknown-status] [*] status `Admin`",
    );
}

#[test]
fn crlf_line_endings_keep_lines_and_columns() {
    let dir = repo();
    let bad = PHONE
        .replace("\"ACTIVE\"", "\"Admin\"")
        .replace('\n', "\r\n");
    fs::write(dir.path().join("a.toml"), &bad).unwrap();
    let json = "{\r\n  \"phones\": [\r\n    {\"extension\": \"cc101\",\r\n     \"status\": \"Admin\"}\r\n  ]\r\n}\r\n";
    fs::write(dir.path().join("b.json"), json).unwrap();
    let out = short(dir.path(), &["."]);
    has(
        &out.stdout,
        "a.toml:9:10: error[unknown-status] [*] status `Admin`",
    );
    has(
        &out.stdout,
        "b.json:4:16: error[unknown-status] [*] status `Admin`",
    );
    // The JSON output's offsets point at the value in the file as written.
    let json_out = run(dir.path(), "json", &["a.toml"]);
    let parsed: serde_json::Value = serde_json::from_str(&json_out.stdout).unwrap();
    let finding = parsed["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "unknown-status")
        .unwrap();
    let offset = finding["span"]["offset"].as_u64().unwrap() as usize;
    let length = finding["span"]["length"].as_u64().unwrap() as usize;
    assert_eq!(&bad[offset..offset + length], "\"Admin\"");
    // The human snippet shows no stray carriage return.
    let human = run(dir.path(), "human", &["a.toml"]);
    assert!(!human.stdout.contains('\r'), "{:?}", human.stdout);
    assert!(!human.stdout.contains("\\u{d}"), "{}", human.stdout);
}

#[test]
fn invalid_utf8_is_a_parse_error_at_its_offset() {
    let dir = repo();
    let mut bytes = PHONE.as_bytes().to_vec();
    let at = PHONE.find("cc100").unwrap();
    bytes[at] = 0xff;
    fs::write(dir.path().join("a.toml"), &bytes).unwrap();
    let out = short(dir.path(), &["."]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stdout.contains(&format!(
            "a.toml:2:14: error[parse-error] the file is not UTF-8 text (invalid byte at offset {at})"
        )),
        "{}",
        out.stdout
    );
    let human = run(dir.path(), "human", &["."]);
    has(&human.stdout, "not UTF-8");
}

#[test]
fn binary_with_nul_bytes_is_reported_not_shown() {
    let dir = repo();
    let mut bytes = b"[[phones]]\nextension = \"".to_vec();
    bytes.extend([0, 1, 2, 0x1b, b'[', b'2', b'J', 0]);
    bytes.extend(b"\"\n");
    fs::write(dir.path().join("a.json"), &bytes).unwrap();
    let human = run(dir.path(), "human", &["."]);
    assert_eq!(human.code, Some(1));
    has(&human.stdout, "the file holds binary content");
    assert!(!human.stdout.contains('\u{1b}'), "{:?}", human.stdout);
    assert!(!human.stdout.contains('\0'), "{:?}", human.stdout);
}

#[test]
fn a_200_mb_file_is_refused_from_its_size_without_reading_it() {
    let dir = repo();
    let path = dir.path().join("huge.toml");
    // Sparse: the size is set, no 200 MB are written.
    let file = fs::File::create(&path).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    drop(file);
    fs::write(dir.path().join("ok.toml"), PHONE).unwrap();
    let started = std::time::Instant::now();
    let out = short(dir.path(), &["."]);
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout.trim(),
        format!(
            "huge.toml:1:1: error[parse-error] the file is too large to check ({} bytes; the limit is {MAX_FILE_SIZE} bytes), so it was not read",
            200 * 1024 * 1024
        )
    );
    // Reading 200 MB of zeros and checking them for NUL bytes would take
    // seconds in a debug build; looking at the size takes none.
    assert!(started.elapsed() < Duration::from_secs(20));
    for format in ["json", "sarif", "github", "human"] {
        let out = run(dir.path(), format, &["."]);
        assert_eq!(out.code, Some(1), "{format}");
        assert!(out.stdout.contains("too large"), "{format}: {}", out.stdout);
    }
}

#[test]
fn a_file_just_under_the_limit_is_read() {
    // The limit is on size, not on content: a file of MAX_FILE_SIZE bytes is
    // read (here a sparse one, so NUL bytes: reported as binary).
    let dir = repo();
    let path = dir.path().join("edge.toml");
    let file = fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_SIZE).unwrap();
    drop(file);
    let out = short(dir.path(), &["."]);
    has(&out.stdout, "binary content");
}

/// Runs `f` on a thread with a 2 MiB stack, as cargo's test threads have:
/// a recursion per nesting level would overflow it long before 100,000.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow or panic")
}

#[test]
fn a_hundred_thousand_levels_of_nesting_do_not_overflow_the_stack() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases = [
        (Format::Toml, format!("{PHONE}fullname = {deep}\n")),
        (
            Format::Toml,
            format!("{PHONE}{} = 1\n", vec!["a"; 100_000].join(".")),
        ),
        (
            Format::Toml,
            format!(
                "{PHONE}x = {}{}\n",
                "{a = ".repeat(100_000),
                "}".repeat(100_000)
            ),
        ),
        (Format::Json, format!("{{\"phones\": {deep}}}")),
        (
            Format::Json,
            format!("{}1{}", "{\"a\": ".repeat(100_000), "}".repeat(100_000)),
        ),
    ];
    for (format, text) in cases {
        let outcome = on_small_stack(move || {
            let outcome = phonelint::check::check_bytes("deep", format, text.as_bytes());
            outcome
                .findings
                .iter()
                .map(|f| (f.rule, f.message.clone()))
                .collect::<Vec<_>>()
        });
        assert_eq!(
            outcome,
            [(
                "parse-error",
                format!(
                    "arrays or tables nest more than {MAX_DEPTH} levels deep here, so the file was not parsed"
                )
            )],
            "{format:?}"
        );
    }
    // And through the binary, every output format.
    let dir = repo();
    fs::write(
        dir.path().join("deep.json"),
        format!("{{\"phones\": {deep}}}"),
    )
    .unwrap();
    for format in &formats() {
        let format = format.as_str();
        let out = run(dir.path(), format, &["."]);
        assert_eq!(out.code, Some(1), "{format}: {}", out.stderr);
        assert!(out.stdout.contains("nest more than"), "{format}");
    }
}

#[test]
fn ordinary_nesting_is_not_refused() {
    // The toml parser has a recursion limit of its own, below ours.
    let toml = format!("{PHONE}x = {}1{}\n", "[".repeat(20), "]".repeat(20));
    let json = format!(
        "{{\"phones\": [], \"x\": {}1{}}}",
        "[".repeat(100),
        "]".repeat(100)
    );
    for (format, text) in [(Format::Toml, toml), (Format::Json, json)] {
        let outcome = phonelint::check::check_bytes("a", format, text.as_bytes());
        let rules: Vec<&str> = outcome.findings.iter().map(|f| f.rule).collect();
        assert!(!rules.contains(&"parse-error"), "{format:?}: {rules:?}");
    }
}

#[test]
fn a_10_mb_single_line_is_checked_and_shown_cut_short() {
    let dir = repo();
    let long = "a".repeat(10 * 1024 * 1024);
    fs::write(
        dir.path().join("a.toml"),
        PHONE.replace("status", &format!("fullname = \"{long}\"\nstatus")),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.json"),
        format!("{{\"phones\": [{{\"extension\": \"cc101\", \"fullname\": \"{long}\"}}]}}"),
    )
    .unwrap();
    let out = short(dir.path(), &["."]);
    assert_eq!(out.code, Some(1));
    has(
        &out.stdout,
        "a.toml:9:12: error[value-too-long] `fullname` is 10485760 characters long",
    );
    has(
        &out.stdout,
        "b.json:1:48: error[value-too-long] `fullname` is 10485760 characters long",
    );
    // The human snippet does not print the 10 MB line (twice per finding).
    let human = run(dir.path(), "human", &["."]);
    assert!(human.stdout.len() < 100_000, "{} bytes", human.stdout.len());
    assert!(human.stdout.contains('…'));
}

#[test]
fn duplicate_keys_in_toml_and_json_are_reported_at_both() {
    let dir = repo();
    fs::write(
        dir.path().join("a.toml"),
        format!("{PHONE}status = \"SUSPENDED\"\n"),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.json"),
        "{\"phones\": [{\"extension\": \"cc101\", \"status\": \"ACTIVE\",\n \"status\": \"ADMIN\"}]}",
    )
    .unwrap();
    let out = short(dir.path(), &["."]);
    assert_eq!(out.code, Some(1));
    has(
        &out.stdout,
        "a.toml:11:1: error[duplicate-key] key `status` is written twice: TOML forbids duplicate keys",
    );
    has(
        &out.stdout,
        "b.json:2:2: error[duplicate-key] key `status` is written twice: JSON parsers keep the last value",
    );
    let json = run(dir.path(), "json", &["b.json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let rules: Vec<&str> = parsed["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert!(rules.contains(&"duplicate-key"), "{rules:?}");
    let human = run(dir.path(), "human", &["b.json"]);
    has(&human.stdout, "first written here");
    has(&human.stdout, "written again here");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_ends_the_walk() {
    let dir = repo();
    let root = dir.path();
    std::os::unix::fs::symlink("b.toml", root.join("a.toml")).unwrap();
    std::os::unix::fs::symlink("a.toml", root.join("b.toml")).unwrap();
    fs::create_dir(root.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", root.join("sub/up")).unwrap();
    fs::write(root.join("sub/ok.toml"), PHONE).unwrap();
    let out = short(root, &["."]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    has(
        &out.stderr,
        "phonelint: note: skipped a.toml: a symbolic link",
    );
    has(&out.stderr, "skipped b.toml");
    // Named explicitly: skipped the same way, not an error.
    let out = short(root, &["a.toml", "sub/ok.toml"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    has(&out.stderr, "skipped a.toml");
}

/// A definition outside the repository holding a secret and a mistake: if
/// phonelint read it, the finding or the value would show.
#[cfg(unix)]
fn outside_definition() -> (tempfile::TempDir, PathBuf) {
    let outside = tempfile::tempdir().unwrap();
    let path = outside.path().join("secret.toml");
    fs::write(
        &path,
        PHONE
            .replace("Rr8xkq2Lw", "OutsideSecret42")
            .replace("\"ACTIVE\"", "\"Admin\""),
    )
    .unwrap();
    (outside, path)
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_outside_the_repository_is_not_read() {
    let (_outside, target) = outside_definition();
    let dir = repo();
    let root = dir.path();
    std::os::unix::fs::symlink(&target, root.join("link.toml")).unwrap();
    fs::create_dir(root.join("phones")).unwrap();
    std::os::unix::fs::symlink(&target, root.join("phones/deep.json")).unwrap();
    for args in [&["."][..], &["link.toml"], &["phones/deep.json"]] {
        for format in &formats() {
            let format = format.as_str();
            let out = run(root, format, args);
            assert!(
                out.code == Some(0),
                "{args:?} {format}: {}{}",
                out.stdout,
                out.stderr
            );
            // Neither its finding nor its secret shows.
            assert!(!out.stdout.contains("`Admin`"), "{format}: {}", out.stdout);
            assert!(!out.stdout.contains("OutsideSecret42"));
            assert!(!out.stderr.contains("OutsideSecret42"));
            has(&out.stderr, "a symbolic link");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_phonelint_toml_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("phonelint.toml");
    // Invalid as a configuration: reading it would quote it in a diagnostic.
    fs::write(&target, "OutsideSecret42 = [\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::os::unix::fs::symlink(&target, root.join("phonelint.toml")).unwrap();
    fs::write(root.join("ok.toml"), PHONE).unwrap();
    let out = short(root, &["."]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    has(&out.stderr, "which phonelint does not follow");
    assert!(!out.stderr.contains("OutsideSecret42"), "{}", out.stderr);
    assert!(!out.stdout.contains("OutsideSecret42"), "{}", out.stdout);
    // Named with --config: the same.
    let out = short(root, &["--config", "phonelint.toml", "."]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("OutsideSecret42"), "{}", out.stderr);
    // A dangling link too: it does not let a configuration above apply.
    fs::remove_file(&target).unwrap();
    let out = short(root, &["."]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    // A link to a configuration file inside the repository is read (this
    // one is invalid, so reading it shows).
    fs::create_dir(root.join("shared")).unwrap();
    fs::write(
        root.join("shared/phonelint.toml"),
        "fail-on = \"sometimes\"\n",
    )
    .unwrap();
    fs::remove_file(root.join("phonelint.toml")).unwrap();
    std::os::unix::fs::symlink("shared/phonelint.toml", root.join("phonelint.toml")).unwrap();
    let out = short(root, &["ok.toml"]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    has(&out.stderr, "sometimes");
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_fifo_or_device_named_toml_does_not_block() {
    let dir = repo();
    let root = dir.path();
    assert!(mkfifo(&root.join("pipe.toml")), "mkfifo is available");
    fs::write(root.join("ok.toml"), PHONE).unwrap();
    // A character device: mknod needs root; /dev/null through a link is the
    // fallback (links are skipped before their target is looked at).
    let device = root.join("null.json");
    let made = std::process::Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        println!("mknod failed (not root?): testing /dev/null through a link instead");
        std::os::unix::fs::symlink("/dev/null", &device).unwrap();
    }
    // `run` kills phonelint after 60 s: a blocking open fails the test.
    let out = short(root, &["."]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    has(
        &out.stderr,
        "phonelint: note: skipped pipe.toml: not a regular file (a FIFO, socket or device)",
    );
    has(&out.stderr, "skipped null.json");
    // Named explicitly: the same.
    let out = short(root, &["pipe.toml", "null.json", "ok.toml"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    has(&out.stderr, "skipped pipe.toml");
}

#[test]
fn a_directory_named_like_a_definition_is_walked_not_read() {
    let dir = repo();
    let root = dir.path();
    fs::create_dir(root.join("x.json")).unwrap();
    fs::write(
        root.join("x.json/inner.toml"),
        PHONE.replace("\"ACTIVE\"", "\"Admin\""),
    )
    .unwrap();
    for args in [&["."][..], &["x.json"]] {
        let out = short(root, args);
        assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
        assert_eq!(out.stderr, "");
        has(&out.stdout, "x.json/inner.toml:9:10: error[unknown-status]");
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_error_of_its_own() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    let root = dir.path();
    let locked = root.join("locked.toml");
    fs::write(&locked, PHONE.replace("\"ACTIVE\"", "\"Admin\"")).unwrap();
    fs::write(root.join("ok.toml"), PHONE).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let out = short(root, &["."]);
    if fs::read(&locked).is_ok() {
        // Root (as in CI) reads through mode 000: phonelint does too, and
        // the file is checked like any other.
        println!("running as root: mode 000 does not stop reading; checking it is read");
        assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
        has(&out.stdout, "locked.toml:9:10");
    } else {
        assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
        has(
            &out.stderr,
            "phonelint: error: locked.toml: cannot read: Permission denied",
        );
    }
    // Either way the other file is checked and nothing panics.
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_shown_lossily_and_outputs_stay_valid() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo();
    let root = dir.path();
    let name = std::ffi::OsStr::from_bytes(b"ph\xffone\x1b[31m.toml");
    fs::write(root.join(name), PHONE.replace("\"ACTIVE\"", "\"Admin\"")).unwrap();
    for format in &formats() {
        let format = format.as_str();
        let out = run(root, format, &["."]);
        assert_eq!(out.code, Some(1), "{format}: {}", out.stderr);
        // SARIF holds the name as a percent-encoded URI.
        let shown = if format == "sarif" {
            "ph%EF%BF%BDone"
        } else {
            "ph\u{FFFD}one"
        };
        assert!(out.stdout.contains(shown), "{format}");
        if matches!(format, "json" | "sarif") {
            serde_json::from_str::<serde_json::Value>(&out.stdout).expect("valid JSON");
        }
        // The escape sequence in the name is never sent to the terminal:
        // shown escaped in human, short and github output, JSON-escaped (the
        // name as it is) in JSON, percent-encoded in SARIF URIs.
        assert!(!out.stdout.contains('\u{1b}'), "{format}");
        let escaped = match format {
            "human" | "short" | "github" => "\\u{1b}[31m.toml",
            "json" => "\\u001b[31m.toml",
            _ => "%1B%5B31m.toml",
        };
        assert!(out.stdout.contains(escaped), "{format}");
    }
}

/// The `path:line:column` of each finding as the human format's headers
/// (`╭─[path:line:column]`) and the short format give them.
fn human_and_short_positions(root: &Path, file: &str) -> (Vec<String>, Vec<String>) {
    let human = run(root, "human", &["--color", "never", file]);
    let headers = human
        .stdout
        .lines()
        .filter_map(|line| line.split_once("╭─[").map(|(_, rest)| rest))
        .map(|rest| rest.trim_end_matches(']').to_owned())
        .collect();
    let short = short(root, &[file]);
    let positions = short
        .stdout
        .lines()
        .filter_map(|line| line.split(": ").next())
        .map(str::to_owned)
        .collect();
    (headers, positions)
}

#[test]
fn human_positions_below_a_multi_line_credential_are_the_files() {
    let dir = repo();
    let text = "[[phones]]\nextension = \"cc100\"\npass = \"\"\"Multi7\nLine7\nSecret7\"\"\"\nstatus = \"Active\"\n";
    fs::write(dir.path().join("a.toml"), text).unwrap();
    let (human, short) = human_and_short_positions(dir.path(), "a.toml");
    assert!(short.contains(&"a.toml:6:10".to_owned()), "{short:?}");
    assert_eq!(human, short);
    // The snippet shows the file's line numbers, the secret masked.
    let out = run(dir.path(), "human", &["--color", "never", "a.toml"]);
    has(&out.stdout, " 6 │ status = \"Active\"");
    for line in ["Multi7", "Line7", "Secret7"] {
        assert!(!out.stdout.contains(line), "{}", out.stdout);
    }
    // The diff's hunk header counts the lines of the file too.
    let out = phonelint()
        .current_dir(dir.path())
        .args(["--diff", "a.toml"])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    has(&diff, "@@ -3,4 +3,4 @@");
    has(&diff, "-status = \"Active\"\n+status = \"ACTIVE\"\n");
    for line in ["Multi7", "Line7", "Secret7"] {
        assert!(!diff.contains(line), "{diff}");
    }
}

#[test]
fn human_columns_count_characters_as_every_format_does() {
    let dir = repo();
    // Wide, combining and multi-byte characters before the finding, a byte
    // order mark before a finding on the first line.
    let text = "\u{FEFF}phone = 1\nphones = [{ extension = \"cc100\", fullname = \"😀e\u{301}é\", status = \"Active\" }]\n";
    fs::write(dir.path().join("a.toml"), text).unwrap();
    let (human, short) = human_and_short_positions(dir.path(), "a.toml");
    assert_eq!(short.len(), human.len(), "{short:?} {human:?}");
    assert!(short.contains(&"a.toml:1:1".to_owned()), "{short:?}");
    assert_eq!(human, short);
    // A control character shown escaped (`\u{c}`) is one column too.
    let json = "{\"phones\": [{\"fullname\": \"😀\u{c}\"}]}";
    fs::write(dir.path().join("b.json"), json).unwrap();
    let (human, short) = human_and_short_positions(dir.path(), "b.json");
    assert_eq!(short, ["b.json:1:28"]);
    assert_eq!(human, short);
    // Past the 1000 bytes a snippet line shows, the column is still the file's.
    let long = format!(
        "{{\"phones\": [{{\"fullname\": \"{}\", \"status\": \"Active\"}}]}}",
        "é".repeat(1500)
    );
    fs::write(dir.path().join("c.json"), long).unwrap();
    let (human, short) = human_and_short_positions(dir.path(), "c.json");
    assert!(short.contains(&"c.json:1:1540".to_owned()), "{short:?}");
    assert_eq!(human, short);
    // The byte order mark is not shown in the snippet.
    let out = run(dir.path(), "human", &["--color", "never", "a.toml"]);
    assert!(!out.stdout.contains('\u{FEFF}'), "{:?}", out.stdout);
}

#[test]
fn raw_control_characters_in_json_strings_are_parse_errors() {
    let dir = repo();
    for (name, inside, column) in [
        ("tab.json", "a\tb", 28),
        ("newline.json", "a\nb", 28),
        ("bell.json", "\u{7}", 27),
        ("key.json", "ok", 0),
    ] {
        let text = if column == 0 {
            "{\"phones\": [{\"full\u{1}name\": \"x\"}]}".to_owned()
        } else {
            format!("{{\"phones\": [{{\"fullname\": \"{inside}\"}}]}}")
        };
        fs::write(dir.path().join(name), text).unwrap();
        let out = short(dir.path(), &[name]);
        assert_eq!(out.code, Some(1), "{name}: {}", out.stdout);
        let column = if column == 0 { 19 } else { column };
        has(
            &out.stdout,
            &format!("{name}:1:{column}: error[parse-error]"),
        );
    }
    // Escaped, they are fine.
    fs::write(
        dir.path().join("escaped.json"),
        "{\"phones\": [{\"extension\": \"a\\tb\\n\\u0007\"}]}",
    )
    .unwrap();
    let out = short(dir.path(), &["escaped.json"]);
    assert!(!out.stdout.contains("parse-error"), "{}", out.stdout);
}

#[cfg(unix)]
#[test]
fn a_phonelint_toml_linked_to_git_config_or_a_fifo_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join(".git")).unwrap();
    // What actions/checkout leaves there: a credential in a file that is not
    // the repository's.
    fs::write(
        root.join(".git/config"),
        "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic GitToken42Secret\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(".git/config", root.join("phonelint.toml")).unwrap();
    fs::write(root.join("ok.toml"), PHONE).unwrap();
    let out = short(root, &["ok.toml"]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("GitToken42Secret"), "{}", out.stderr);
    assert!(!out.stdout.contains("GitToken42Secret"), "{}", out.stdout);
    has(&out.stderr, "symbolic link");
    // A link to a file of another name inside the checkout: the same.
    fs::write(root.join("notes.txt"), "fail-on = \"Notes42Secret\"\n").unwrap();
    fs::remove_file(root.join("phonelint.toml")).unwrap();
    std::os::unix::fs::symlink("notes.txt", root.join("phonelint.toml")).unwrap();
    let out = short(root, &["ok.toml"]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("Notes42Secret"), "{}", out.stderr);
    // A link to a FIFO named like a configuration does not block.
    fs::create_dir(root.join("shared")).unwrap();
    assert!(mkfifo(&root.join("shared/phonelint.toml")));
    fs::remove_file(root.join("phonelint.toml")).unwrap();
    std::os::unix::fs::symlink("shared/phonelint.toml", root.join("phonelint.toml")).unwrap();
    let out = short(root, &["ok.toml"]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    has(&out.stderr, "not a regular file");
}

/// Runs git in `dir` (the tests that need it fail without it: CI has git).
fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_tracked_definition_is_checked_whatever_ignores_or_hides_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    let bad = PHONE.replace("\"ACTIVE\"", "\"Admin\"");
    let hidden = [
        "phones/a.toml",
        "phones/b.json",
        "lab/c.toml",
        "excluded/d.toml",
        ".hidden/e.toml",
    ];
    for file in hidden {
        let path = root.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = if file.ends_with(".json") {
            "{\"phones\": [{\"extension\": \"cc101\", \"status\": \"Admin\"}]}".to_owned()
        } else {
            bad.clone()
        };
        fs::write(path, text).unwrap();
    }
    git(root, &["add", "-A"]);
    // Then a pull request hides them: ignore files, git's exclude file.
    fs::write(root.join("phones/.gitignore"), "*.toml\n*.json\n").unwrap();
    fs::write(root.join("lab/.ignore"), "*\n").unwrap();
    fs::write(root.join(".git/info/exclude"), "excluded/\n").unwrap();
    git(root, &["add", "phones/.gitignore", "lab/.ignore"]);
    // An ignored file git does not track stays unread, as before.
    fs::write(root.join("phones/scratch.toml"), &bad).unwrap();
    let out = short(root, &["."]);
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    for file in hidden {
        has(&out.stdout, &format!("{file}:"));
    }
    assert!(!out.stdout.contains("scratch.toml"), "{}", out.stdout);
    // Asked about one directory, the same.
    let out = short(root, &["phones"]);
    has(&out.stdout, "phones/a.toml:");
    has(&out.stdout, "phones/b.json:");
    // Without git to ask, it is said, not passed over in silence.
    let output = phonelint()
        .current_dir(root)
        .env("PATH", root.join("no-such-dir"))
        .args(["--format", "short", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    has(
        &stderr,
        "phonelint: note: cannot list the files git tracks under . (git: ",
    );
}

#[test]
fn git_s_global_excludes_file_is_honoured_wherever_git_is_told_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let root = dir.path().join("repo");
    fs::create_dir_all(&home).unwrap();
    fs::create_dir_all(root.join("phones")).unwrap();
    fs::write(root.join("phonelint.toml"), "").unwrap();
    let bad = PHONE.replace("\"ACTIVE\"", "\"Admin\"");
    for file in ["a", "b", "c"] {
        fs::write(root.join(format!("phones/{file}.toml")), &bad).unwrap();
    }
    // The files reported, with git's configuration read from `home` and
    // `env` only.
    let reported = |env: &[(&str, &Path)]| -> Vec<&str> {
        let mut command = phonelint();
        command
            .current_dir(&root)
            .env("HOME", &home)
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("GIT_CONFIG_GLOBAL")
            .env("GIT_CONFIG_SYSTEM", dir.path().join("no-system-config"));
        for (name, value) in env {
            command.env(name, value);
        }
        let output = command.args(["--format", "short", "."]).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        ["a", "b", "c"]
            .into_iter()
            .filter(|file| stdout.contains(&format!("phones/{file}.toml:")))
            .collect()
    };
    assert_eq!(reported(&[]), ["a", "b", "c"]);
    let ignore_b = dir.path().join("ignore-b");
    fs::write(&ignore_b, "b.toml\n").unwrap();
    let names_ignore_b = format!("[core]\n\texcludesFile = {}\n", ignore_b.display());
    fs::write(home.join(".gitconfig"), &names_ignore_b).unwrap();
    assert_eq!(reported(&[]), ["a", "c"]);
    fs::remove_file(home.join(".gitconfig")).unwrap();
    // The default file, which no configuration names.
    fs::create_dir_all(home.join(".config/git")).unwrap();
    fs::write(home.join(".config/git/ignore"), "c.toml\n").unwrap();
    assert_eq!(reported(&[]), ["a", "b"]);
    // $XDG_CONFIG_HOME's in its place.
    let xdg = dir.path().join("xdg");
    fs::create_dir_all(xdg.join("git")).unwrap();
    fs::write(xdg.join("git/ignore"), "a.toml\n").unwrap();
    assert_eq!(reported(&[("XDG_CONFIG_HOME", &xdg)]), ["b", "c"]);
    fs::remove_file(home.join(".config/git/ignore")).unwrap();
    fs::remove_file(xdg.join("git/ignore")).unwrap();
    // Named in a configuration file that the environment names.
    let config = dir.path().join("config");
    fs::write(
        &config,
        names_ignore_b.replace("excludesFile", "EXCLUDESFILE"),
    )
    .unwrap();
    assert_eq!(reported(&[]), ["a", "b", "c"]);
    assert_eq!(reported(&[("GIT_CONFIG_GLOBAL", &config)]), ["a", "c"]);
    assert_eq!(reported(&[("GIT_CONFIG_SYSTEM", &config)]), ["a", "c"]);
}

/// `phonelint --format short ARGS` in `cwd` with `PATH` leading nowhere, so
/// that git cannot be run: its stdout and stderr.
fn without_git(cwd: &Path, args: &[&str]) -> (String, String) {
    let output = phonelint()
        .current_dir(cwd)
        .env("PATH", cwd.join("no-such-dir"))
        .args(["--format", "short"])
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn git_is_asked_only_when_the_walk_skipped_what_may_be_a_tracked_definition() {
    const CANNOT: &str = "cannot list the files git tracks";
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    fs::write(root.join("phonelint.toml"), "").unwrap();
    let bad = PHONE.replace("\"ACTIVE\"", "\"Admin\"");
    for file in ["phones/a.toml", "phones/b.toml", "lab/c.toml"] {
        let path = root.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, &bad).unwrap();
    }
    git(root, &["add", "-A"]);
    // Nothing ignored or hidden but .git: every file is read without git,
    // which is not run (it would be, and say it cannot be).
    let (stdout, stderr) = without_git(root, &["."]);
    for file in ["phones/a.toml", "phones/b.toml", "lab/c.toml"] {
        has(&stdout, &format!("{file}:"));
    }
    assert!(!stderr.contains(CANNOT), "{stderr}");
    // The same asked about a directory: the walk of the rest of the
    // repository does not enter it, which is no skip.
    let (stdout, stderr) = without_git(root, &["phones"]);
    has(&stdout, "see also phones/b.toml:2:13, lab/c.toml:2:13");
    assert!(!stderr.contains(CANNOT), "{stderr}");
    // Skipped by a rule from where the walk lists no ignore file (git's
    // exclude file): the walk met fewer entries than there are, so git is
    // asked after it, and finds the tracked file.
    fs::write(root.join(".git/info/exclude"), "b.toml\n").unwrap();
    let (stdout, stderr) = without_git(root, &["."]);
    assert!(!stdout.contains("phones/b.toml:"), "{stdout}");
    has(&stderr, CANNOT);
    let out = short(root, &["."]);
    has(&out.stdout, "phones/b.toml:");
    // A directory skipped the same way, by the walk of the rest of the
    // repository when a directory beside it is asked about: the rules across
    // files see its tracked file.
    fs::write(root.join(".git/info/exclude"), "lab/\n").unwrap();
    let out = short(root, &["phones"]);
    has(&out.stdout, "see also phones/b.toml:2:13, lab/c.toml:2:13");
    let (stdout, stderr) = without_git(root, &["phones"]);
    assert!(!stdout.contains("lab/c.toml"), "{stdout}");
    has(&stderr, CANNOT);
    fs::write(root.join(".git/info/exclude"), "").unwrap();
    // Skipped by an ignore file above the root the walk starts from.
    fs::create_dir(root.join("site")).unwrap();
    fs::write(root.join("site/phonelint.toml"), "").unwrap();
    fs::write(root.join("site/d.toml"), &bad).unwrap();
    fs::write(root.join("site/e.toml"), &bad).unwrap();
    git(root, &["add", "site"]);
    fs::write(root.join(".gitignore"), "d.toml\n").unwrap();
    let site = root.join("site");
    let out = short(&site, &["."]);
    has(&out.stdout, "d.toml:");
    has(&out.stdout, "e.toml:");
    let (stdout, stderr) = without_git(&site, &["."]);
    assert!(!stdout.contains("d.toml:"), "{stdout}");
    has(&stderr, CANNOT);
    fs::remove_file(root.join(".gitignore")).unwrap();
    let (_, stderr) = without_git(&site, &["."]);
    assert!(!stderr.contains(CANNOT), "{stderr}");
    // A tracked path that a link now leads through, or that has become a
    // directory: git is asked, and says so, as the walk alone cannot.
    fs::create_dir(root.join("moved")).unwrap();
    fs::write(root.join("moved/f.toml"), &bad).unwrap();
    fs::write(root.join("g.toml"), &bad).unwrap();
    git(root, &["add", "moved", "g.toml"]);
    fs::remove_dir_all(root.join("moved")).unwrap();
    fs::remove_file(root.join("g.toml")).unwrap();
    fs::create_dir(root.join("g.toml")).unwrap();
    let out = short(root, &["."]);
    has(&out.stderr, "skipped g.toml: not a regular file");
    #[cfg(unix)]
    {
        fs::remove_dir(root.join("g.toml")).unwrap();
        std::os::unix::fs::symlink("phones", root.join("moved")).unwrap();
        let out = short(root, &["."]);
        has(&out.stderr, "skipped moved/f.toml: a symbolic link");
    }
}
