//! The README as a user reads it, held to what phonelint does: every fenced
//! block of README.md is run or checked, or says why not, and the example of
//! every rule's documentation (`phonelint explain RULE`) makes phonelint
//! report that rule.
//!
//! README blocks, by what they are:
//! - `sh`: shell commands, run as printed with `phonelint` on PATH, in a
//!   scratch git repository holding a copy of each `fixtures/` directory the
//!   README names, as in a checkout. A `phonelint` command may exit 0 or 1
//!   (findings), any other command only 0.
//! - a block whose first line starts with `$ ` (`console`, `diff`, ...): a
//!   transcript. Each command runs, and its output (stdout and stderr, as a
//!   terminal shows them) must be the lines that follow it; a line `...`
//!   stands for any lines, `...` within a line for any text.
//! - `toml`, `json`: must parse. A definition (top-level `phones`, `aliases`,
//!   `servers`) must load without a parse error, a duplicate or an unknown
//!   key; a `phonelint.toml` must be accepted by `phonelint config`.
//! - `yaml`: checked by the script a `validated-by` directive names.
//!
//! Directives, in an HTML comment on the line before a block's fence
//! (`<!-- docs-test: VERB ARGUMENT -->`):
//! - `skip REASON`: not run (TOML and JSON still parse); the reason is
//!   printed and must be given.
//! - `in DIR`: run in that directory of the copy.
//! - `continue`: run in the copy and directory where the previous block
//!   ended.
//! - `file PATH`: the block is a file; the blocks after it in its section run
//!   in a scratch directory holding the files so marked (a `file` after a run
//!   block starts a new set).
//! - `clean`: a definition on which phonelint reports nothing.
//! - `excerpt-of COMMAND`: a JSON block, part of what COMMAND prints (every
//!   object's keys with the same values; an array's items each matching one
//!   of the output's).
//! - `validated-by SCRIPT (KIND)`: YAML that SCRIPT extracts by this comment
//!   and checks.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::root;
use serde_json::Value;

#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    section: String,
    info: String,
    body: String,
    directive: Option<(String, String)>,
}

fn readme_blocks() -> Vec<Block> {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut section = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(title) = line.strip_prefix("## ") {
            section = title.to_owned();
        }
        let Some(info) = line.strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i;
        let mut body = String::new();
        i += 1;
        while i < lines.len() && lines[i] != "```" {
            body.push_str(lines[i]);
            body.push('\n');
            i += 1;
        }
        assert!(i < lines.len(), "README.md:{}: unclosed block", start + 1);
        let directive = lines[..start]
            .iter()
            .rev()
            .find(|line| !line.trim().is_empty())
            .and_then(|line| line.strip_prefix("<!-- docs-test: "))
            .and_then(|line| line.strip_suffix(" -->"))
            .map(|directive| {
                let (verb, argument) = directive.split_once(' ').unwrap_or((directive, ""));
                (verb.to_owned(), argument.trim().to_owned())
            });
        blocks.push(Block {
            line: start + 1,
            section: section.clone(),
            info: info.trim().to_owned(),
            body,
            directive,
        });
        i += 1;
    }
    blocks
}

impl Block {
    fn verb(&self) -> Option<&str> {
        self.directive.as_ref().map(|(verb, _)| verb.as_str())
    }

    fn argument(&self) -> &str {
        self.directive.as_ref().map_or("", |(_, argument)| argument)
    }

    fn is_transcript(&self) -> bool {
        self.info != "sh" && self.body.starts_with("$ ")
    }

    fn at(&self) -> String {
        format!("README.md:{}", self.line)
    }
}

/// Where commands run: a scratch directory, a `bin/phonelint`, and the
/// directory the last block ended in.
struct Session {
    _dir: tempfile::TempDir,
    home: PathBuf,
    bin: PathBuf,
    cwd: PathBuf,
}

impl Session {
    fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let bin = dir.path().join("bin");
        let work = dir.path().join("work");
        for d in [&home, &bin, &work] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_phonelint"), bin.join("phonelint")).unwrap();
        Session {
            _dir: dir,
            home,
            bin,
            cwd: work,
        }
    }

    /// A copy of the fixtures the README names, in a git repository, as in
    /// a checkout.
    fn with_fixtures() -> Self {
        let session = Self::empty();
        for name in named_fixtures() {
            let from = root().join("fixtures").join(&name);
            assert!(
                from.is_dir(),
                "README.md names fixtures/{name}, which is not a directory"
            );
            copy_dir(&from, &session.cwd.join("fixtures").join(&name));
        }
        for args in [
            &["init", "-q"][..],
            &["add", "-A"],
            &["commit", "-qm", "fixtures"],
        ] {
            let status = session.command("git").args(args).status().unwrap();
            assert!(status.success(), "git {args:?}");
        }
        session
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![self.bin.clone()];
        paths.extend(std::env::split_paths(&path));
        command
            .current_dir(&self.cwd)
            .env("PATH", std::env::join_paths(paths).unwrap())
            .env("HOME", &self.home)
            // The cache goes under that home.
            .env_remove("XDG_CACHE_HOME")
            .env_remove("PHONELINT_CACHE_DIR")
            .env("NO_COLOR", "1")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE")
            // A UTF-8 terminal, as the README's transcripts show.
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env_remove("TERM")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "docs")
            .env("GIT_AUTHOR_EMAIL", "docs@example.invalid")
            .env("GIT_COMMITTER_NAME", "docs")
            .env("GIT_COMMITTER_EMAIL", "docs@example.invalid")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("PHONELINT_TIMINGS");
        command
    }

    /// Runs `script` with bash; returns its exit code and what it printed,
    /// stdout and stderr in the order written. The directory it ends in is
    /// where the next block goes on.
    fn bash(&mut self, script: &str) -> (i32, String) {
        let state = self.home.join("cwd");
        let wrapped = format!(
            "exec 2>&1\n{script}\n__status=$?\npwd > '{}'\nexit $__status\n",
            state.display()
        );
        let output = self
            .command("bash")
            .arg("-c")
            .arg(wrapped)
            .output()
            .unwrap();
        if let Ok(cwd) = std::fs::read_to_string(&state) {
            self.cwd = PathBuf::from(cwd.trim_end());
        }
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    }
}

/// The directories of `fixtures/` that README.md names (`fixtures/example`,
/// ...): what its commands may read.
fn named_fixtures() -> std::collections::BTreeSet<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    readme
        .split("fixtures/")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A `sh` block as a script that stops at the first command exiting above
/// what it may (1 for phonelint, 0 for anything else).
fn checked_script(block: &Block) -> String {
    let mut script = String::from(
        "__ran() { if [ \"$1\" -gt \"$3\" ]; then echo \"docs-test: line $2 exited $1: $4\"; exit 99; fi; }\n",
    );
    for (n, line) in block.body.lines().enumerate() {
        let command = line.trim();
        if command.is_empty() || command.starts_with('#') {
            continue;
        }
        assert!(
            !command.ends_with('\\'),
            "{}: a continued line; write one command a line",
            block.at()
        );
        let command = command.replacen("cargo run -- ", "phonelint ", 1);
        let allowed = u8::from(command.starts_with("phonelint "));
        script.push_str(&format!(
            "{command}\n__ran $? {} {allowed} {}\n",
            block.line + 1 + n,
            shell_quote(&command)
        ));
    }
    script
}

/// Whether `actual` is `expected` with each `...` standing for any text.
fn line_matches(expected: &str, actual: &str) -> bool {
    let parts: Vec<&str> = expected.split("...").collect();
    if parts.len() == 1 {
        return expected == actual;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !actual.starts_with(first) || !actual[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &actual[first.len()..actual.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Whether `actual` lines are the `expected` ones, a line `...` standing for
/// any number of lines.
fn lines_match(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..])),
        Some((line, rest)) => actual
            .split_first()
            .is_some_and(|(first, others)| line_matches(line, first) && lines_match(rest, others)),
    }
}

fn trimmed_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last() == Some(&"") {
        lines.pop();
    }
    lines
}

fn run_transcript(block: &Block, session: &mut Session) {
    let mut steps: Vec<(String, Vec<&str>)> = Vec::new();
    for line in block.body.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => steps.push((command.to_owned(), Vec::new())),
            None => steps.last_mut().expect("starts with `$ `").1.push(line),
        }
    }
    for (command, expected) in steps {
        let (code, output) = session.bash(&command);
        let expected = expected.join("\n");
        let expected = trimmed_lines(&expected);
        let actual = trimmed_lines(&output);
        assert!(
            (0..=2).contains(&code),
            "{}: `{command}` exited {code}:\n{output}",
            block.at()
        );
        assert!(
            lines_match(&expected, &actual),
            "{}: `{command}` printed another output.\n--- README\n{}\n--- phonelint\n{}",
            block.at(),
            expected.join("\n"),
            actual.join("\n")
        );
    }
}

/// Whether every object of `expected` is in `actual` with the same values,
/// each array item of `expected` matching one of `actual`'s.
fn contained(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => expected
            .iter()
            .all(|(key, value)| actual.get(key).is_some_and(|found| contained(value, found))),
        (Value::Array(expected), Value::Array(actual)) => expected
            .iter()
            .all(|item| actual.iter().any(|found| contained(item, found))),
        _ => expected == actual,
    }
}

const DEFINITION_KEYS: [&str; 4] = ["phones", "aliases", "servers", "$schema"];
const CONFIG_KEYS: [&str; 11] = [
    "fail-on",
    "select",
    "ignore",
    "include",
    "exclude",
    "baseline",
    "cache",
    "rules",
    "site",
    "overrides",
    "allow",
];

/// phonelint's JSON report on `files` written into an empty repository.
fn report_on(files: &[(&str, &str)], args: &[&str]) -> (i32, Value) {
    let session = Session::empty();
    for (name, text) in files {
        let path = session.cwd.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    if !files.iter().any(|(name, _)| *name == "phonelint.toml") {
        std::fs::write(session.cwd.join("phonelint.toml"), "").unwrap();
    }
    let output = session
        .command("phonelint")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "no JSON report ({error}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), report)
}

fn rules_reported(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// A definition example: it loads, and with `clean`, nothing is reported.
fn check_definition(block: &Block, extension: &str) {
    let name = format!("example.{extension}");
    let (code, report) = report_on(&[(&name, &block.body)], &[]);
    let rules = rules_reported(&report);
    assert!(code <= 1, "{}: exit {code}: {report:#}", block.at());
    for broken in ["parse-error", "duplicate-key", "unknown-field"] {
        assert!(
            !rules.iter().any(|rule| rule == broken),
            "{}: the definition does not load ({broken}): {report:#}",
            block.at()
        );
    }
    if block.verb() == Some("clean") {
        assert!(rules.is_empty(), "{}: not clean: {report:#}", block.at());
    }
}

fn check_config(block: &Block) {
    let session = Session::empty();
    std::fs::write(session.cwd.join("phonelint.toml"), &block.body).unwrap();
    let output = session.command("phonelint").arg("config").output().unwrap();
    assert!(
        output.status.success(),
        "{}: phonelint config refuses it:\n{}",
        block.at(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn check_toml(block: &Block) {
    let table: toml::Table = toml::from_str(&block.body)
        .unwrap_or_else(|error| panic!("{}: not TOML: {error}", block.at()));
    if matches!(block.verb(), Some("skip" | "file")) {
        return;
    }
    let keys: Vec<&str> = table.keys().map(String::as_str).collect();
    if !keys.is_empty() && keys.iter().all(|key| DEFINITION_KEYS.contains(key)) {
        check_definition(block, "toml");
    } else if keys.iter().all(|key| CONFIG_KEYS.contains(key)) {
        check_config(block);
    } else {
        panic!(
            "{}: TOML that is neither a definition nor a phonelint.toml ({keys:?}): mark it",
            block.at()
        );
    }
}

fn check_json(block: &Block) {
    let value: Value = serde_json::from_str(&block.body)
        .unwrap_or_else(|error| panic!("{}: not JSON: {error}", block.at()));
    match block.verb() {
        Some("skip" | "file") => {}
        Some("excerpt-of") => {
            let session = Session::with_fixtures();
            let command = block.argument();
            let output = session
                .command("bash")
                .arg("-c")
                .arg(command)
                .output()
                .unwrap();
            let actual: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
                panic!("{}: `{command}` printed no JSON: {error}", block.at())
            });
            assert!(
                contained(&value, &actual),
                "{}: not an excerpt of `{command}`:\n{actual:#}",
                block.at()
            );
        }
        _ if DEFINITION_KEYS[..3]
            .iter()
            .any(|key| value.get(key).is_some()) =>
        {
            check_definition(block, "json");
        }
        _ => panic!("{}: JSON that is no definition: mark it", block.at()),
    }
}

#[test]
fn every_readme_block_runs_or_says_why_not() {
    let blocks = readme_blocks();
    assert!(blocks.len() > 30, "{} blocks", blocks.len());
    let mut skipped = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut session: Option<Session> = None;
    // The files of `file` blocks, with the section they belong to.
    let mut files: Vec<(String, String)> = Vec::new();
    let mut files_section = String::new();
    let mut files_used = true;
    for block in &blocks {
        if block.section != files_section {
            assert!(
                files_used,
                "a `file` block in {files_section} is used by no block"
            );
            files.clear();
            files_section = block.section.clone();
        }
        match block.verb() {
            Some("skip") => {
                assert!(
                    !block.argument().is_empty(),
                    "{}: skip without a reason",
                    block.at()
                );
                skipped.push(format!("{}: {}", block.at(), block.argument()));
            }
            Some("file") => {
                if files_used {
                    files.clear();
                }
                files.push((block.argument().to_owned(), block.body.clone()));
                files_used = false;
            }
            Some("validated-by") => {
                let (script, kind) = block
                    .argument()
                    .split_once(' ')
                    .unwrap_or_else(|| panic!("{}: validated-by SCRIPT (KIND)", block.at()));
                let text = std::fs::read_to_string(root().join(script))
                    .unwrap_or_else(|error| panic!("{}: {script}: {error}", block.at()));
                let kind = kind.trim_start_matches('(').trim_end_matches(')');
                assert!(
                    text.contains(kind),
                    "{}: {script} never names {kind}",
                    block.at()
                );
                assert_eq!(block.info, "yaml", "{}", block.at());
                *counts.entry("validated elsewhere").or_default() += 1;
            }
            Some("in" | "continue" | "clean" | "excerpt-of") | None => {}
            Some(other) => panic!("{}: unknown directive `{other}`", block.at()),
        }
        match block.info.as_str() {
            "toml" => check_toml(block),
            "json" => check_json(block),
            _ => {}
        }
        let runs = block.info == "sh" || block.is_transcript();
        if matches!(block.verb(), Some("skip" | "file" | "validated-by")) || !runs {
            if !runs && !matches!(block.info.as_str(), "toml" | "json") {
                assert!(
                    block.directive.is_some(),
                    "{}: a `{}` block that is neither run nor marked",
                    block.at(),
                    block.info
                );
            }
            continue;
        }
        if block.verb() != Some("continue") {
            session = Some(if files.is_empty() {
                Session::with_fixtures()
            } else {
                let fresh = Session::empty();
                for (name, text) in &files {
                    std::fs::write(fresh.cwd.join(name), text).unwrap();
                }
                files_used = true;
                fresh
            });
        }
        let current = session
            .as_mut()
            .unwrap_or_else(|| panic!("{}: continue, but nothing ran before", block.at()));
        if block.verb() == Some("in") {
            current.cwd = current.cwd.join(block.argument());
            assert!(
                current.cwd.is_dir(),
                "{}: no {}",
                block.at(),
                block.argument()
            );
        }
        if block.is_transcript() {
            run_transcript(block, current);
            *counts.entry("transcripts").or_default() += 1;
        } else {
            let (code, output) = current.bash(&checked_script(block));
            assert_eq!(code, 0, "{}: the block failed:\n{output}", block.at());
            *counts.entry("shell blocks").or_default() += 1;
        }
    }
    assert!(
        files_used,
        "a `file` block in {files_section} is used by no block"
    );
    eprintln!("README blocks: {counts:?}; not run:");
    for reason in &skipped {
        eprintln!("  {reason}");
    }
    for (what, least) in [("transcripts", 5), ("shell blocks", 6)] {
        assert!(
            counts.get(what).copied().unwrap_or(0) >= least,
            "{what}: {counts:?}"
        );
    }
}

/// Every rule's name and the code blocks under `## Example` of its
/// documentation.
fn rule_examples() -> Vec<(String, Vec<(String, String)>)> {
    let list = Command::new(env!("CARGO_BIN_EXE_phonelint"))
        .arg("rules")
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    let mut rules = Vec::new();
    // The check's rules: the list's first section (drift's follow a blank
    // line; a check cannot produce them, tests/drift.rs shows each).
    for name in list
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_whitespace().next())
    {
        let docs = Command::new(env!("CARGO_BIN_EXE_phonelint"))
            .args(["explain", name])
            .output()
            .unwrap();
        assert!(docs.status.success(), "explain {name}");
        let docs = String::from_utf8(docs.stdout).unwrap();
        let Some(example) = docs.split("## Example").nth(1) else {
            rules.push((name.to_owned(), Vec::new()));
            continue;
        };
        let example = example.split("\n## ").next().unwrap_or("");
        let mut blocks = Vec::new();
        let mut parts = example.split("```");
        parts.next();
        while let (Some(code), _) = (parts.next(), parts.next()) {
            let (info, body) = code.split_once('\n').unwrap_or((code, ""));
            blocks.push((info.trim().to_owned(), body.to_owned()));
        }
        rules.push((name.to_owned(), blocks));
    }
    rules
}

/// An example as files: `# NAME.toml` lines start a file of their own, a
/// `# phonelint.toml: [TABLE] KEY = VALUE` line says what the configuration
/// holds, and the rule is turned on whatever its default.
fn example_files(rule: &str, info: &str, body: &str) -> Vec<(String, String)> {
    let mut config = format!("[rules]\n{rule} = \"warning\"\n");
    let mut files: Vec<(String, String)> = vec![(format!("example.{info}"), String::new())];
    for line in body.lines() {
        if let Some(setting) = line.strip_prefix("# phonelint.toml: ") {
            let (table, entry) = setting.split_once("] ").expect("[TABLE] KEY = VALUE");
            config.push_str(&format!("{table}]\n{entry}\n"));
            continue;
        }
        if let Some(name) = line.strip_prefix("# ")
            && (name.ends_with(".toml") || name.ends_with(".json"))
            && !name.contains(' ')
        {
            if files.len() == 1 && files[0].1.trim().is_empty() {
                files.clear();
            }
            files.push((name.to_owned(), String::new()));
            continue;
        }
        let last = files.last_mut().unwrap();
        last.1.push_str(line);
        last.1.push('\n');
    }
    files.push(("phonelint.toml".to_owned(), config));
    files
}

#[test]
fn every_rule_example_shows_its_rule() {
    let rules = rule_examples();
    assert!(rules.len() > 40, "{} rules", rules.len());
    let mut failures = Vec::new();
    for (rule, blocks) in &rules {
        if blocks.is_empty() {
            failures.push(format!("{rule}: no example"));
            continue;
        }
        for (info, body) in blocks {
            let files = example_files(rule, info, body);
            let mut args: Vec<&str> = Vec::new();
            let baseline;
            let files: Vec<(&str, &str)> = if info == "json"
                && serde_json::from_str::<Value>(body).is_ok_and(|v| v.get("fingerprint").is_some())
            {
                // A baseline entry: a baseline of that entry alone.
                baseline = format!("{{\"version\": 1, \"findings\": [{body}]}}\n");
                args.extend(["--baseline", "phonelint-baseline.json"]);
                vec![
                    ("phonelint-baseline.json", baseline.as_str()),
                    ("phonelint.toml", files.last().unwrap().1.as_str()),
                ]
            } else {
                files
                    .iter()
                    .map(|(n, t)| (n.as_str(), t.as_str()))
                    .collect()
            };
            let (_, report) = report_on(&files, &args);
            let reported = rules_reported(&report);
            if !reported.iter().any(|r| r == rule) {
                failures.push(format!(
                    "{rule}: its example ({info}) gets {reported:?}:\n{body}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
