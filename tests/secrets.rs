//! Leak nothing (issue 8): no credential value written in any fixture
//! (`pass`, `conf_secret`, `login_pass`, `ASTmgrSECRET`, `DBX_pass`,
//! `DBY_pass`) appears in any output format's messages: human (snippets
//! masked, as without `--show-secrets`), short, JSON, github annotations and
//! SARIF results.

mod common;

use std::path::{Path, PathBuf};

use common::{check, root};
use phonelint::load::{self, Format};
use phonelint::report::{OutputFormat, RenderOptions, render};

/// Every fixture repository: each rule's bad and clean, the example, the
/// VICIdial samples.
fn fixture_repositories() -> Vec<PathBuf> {
    let mut repos = vec![
        PathBuf::from("fixtures/example"),
        PathBuf::from("fixtures/vicidial-samples"),
    ];
    let rules = root().join("fixtures/rules");
    let mut names: Vec<_> = std::fs::read_dir(&rules)
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name())
        .collect();
    names.sort();
    for name in names {
        for which in ["bad", "clean"] {
            repos.push(PathBuf::from("fixtures/rules").join(&name).join(which));
        }
    }
    repos
}

/// The credential values written in the definitions under `repo`, as the
/// loader finds them and as a reader of the lines would.
fn secrets_in(repo: &Path) -> Vec<String> {
    let found = phonelint::discover::discover(&[root().join(repo)], &root());
    let mut secrets = Vec::new();
    for file in &found.files {
        let Ok(bytes) = std::fs::read(&file.path) else {
            continue;
        };
        let Ok(text) = load::decode(&bytes) else {
            continue;
        };
        let document = load::load_str(text, file.format);
        let mut spans = phonelint::model::secret_spans(&document);
        spans.extend(phonelint::model::textual_secret_spans(text));
        // The text without its credentials: a password equal to the phone's
        // extension (`pass = "cc150"`) may show as the extension.
        let mut elsewhere = text.as_bytes().to_vec();
        for span in &spans {
            elsewhere[span.start..span.end].fill(b' ');
        }
        let elsewhere = String::from_utf8_lossy(&elsewhere);
        for span in spans {
            let written = text.get(span.start..span.end).unwrap_or_default();
            let bare = written.trim_matches(['"', '\'']);
            // Shorter values ("x", "N") occur in ordinary words.
            if bare.chars().count() >= 4 && !elsewhere.contains(bare) {
                secrets.push(bare.to_owned());
            }
        }
    }
    secrets.sort();
    secrets.dedup();
    secrets
}

/// The parts of each output that carry messages (SARIF's rule documentation
/// quotes the shipped defaults `test` and `1234` on purpose, so only its
/// results are searched).
fn outputs(outcome: &phonelint::Outcome) -> Vec<(&'static str, String)> {
    let options = RenderOptions::default();
    let sarif: serde_json::Value =
        serde_json::from_str(&render(OutputFormat::Sarif, outcome, options)).unwrap();
    vec![
        ("human", render(OutputFormat::Human, outcome, options)),
        ("short", render(OutputFormat::Short, outcome, options)),
        ("json", render(OutputFormat::Json, outcome, options)),
        ("github", render(OutputFormat::Github, outcome, options)),
        ("sarif", sarif["runs"][0]["results"].to_string()),
    ]
}

#[test]
fn no_output_shows_a_credential_of_any_fixture() {
    let mut checked = 0;
    for repo in fixture_repositories() {
        let secrets = secrets_in(&repo);
        let outcome = check(&repo);
        for (format, text) in outputs(&outcome) {
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{}: {format} output shows the credential {secret:?}:\n{text}",
                    repo.display()
                );
                checked += 1;
            }
        }
    }
    // The fixtures do hold credentials: the test is not vacuous.
    assert!(checked > 500, "only {checked} checks");
}

#[test]
fn show_secrets_is_the_only_way_to_see_one() {
    // The control: the same search finds the value once asked to show it.
    let repo = PathBuf::from("fixtures/rules/weak-secret/bad");
    let secrets = secrets_in(&repo);
    assert!(!secrets.is_empty());
    let outcome = check(&repo);
    let shown = render(
        OutputFormat::Human,
        &outcome,
        RenderOptions {
            color: false,
            show_secrets: true,
        },
    );
    assert!(
        secrets.iter().any(|s| shown.contains(s.as_str())),
        "{shown}"
    );
}

#[test]
fn a_credential_on_a_line_the_parser_rejected_is_masked() {
    // The record is broken (an unterminated string after the secret): the
    // parser loses the line, the snippet of the syntax error shows it.
    let text =
        "[[phones]]\nextension = \"cc100\"\npass = \"Unparsed7Secret\" x\nstatus = \"ADMIN\n";
    for format in [Format::Toml] {
        let outcome = phonelint::check::check_bytes("broken.toml", format, text.as_bytes());
        assert!(outcome.findings.iter().any(|f| f.rule == "parse-error"));
        for (name, output) in outputs(&outcome) {
            assert!(!output.contains("Unparsed7Secret"), "{name}: {output}");
        }
    }
    let json =
        "{\"phones\": [{\"extension\": \"cc100\",\n \"conf_secret\": \"Unparsed7Secret\" \"x\"}]}";
    let outcome = phonelint::check::check_bytes("broken.json", Format::Json, json.as_bytes());
    assert!(outcome.findings.iter().any(|f| f.rule == "parse-error"));
    for (name, output) in outputs(&outcome) {
        assert!(!output.contains("Unparsed7Secret"), "{name}: {output}");
    }
}
