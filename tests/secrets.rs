//! Leak nothing: no credential value written in any fixture
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
    let workspace = phonelint::workspace::Workspace::isolated(&root());
    let found = phonelint::discover::discover(&workspace, &[root().join(repo)], &[]);
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
fn outputs(outcome: &phonelint::model::Outcome) -> Vec<(String, String)> {
    let options = RenderOptions::default();
    OutputFormat::all()
        .iter()
        .map(|&format| {
            let text = render(format, outcome, options);
            let text = if format == OutputFormat::Sarif {
                let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
                sarif["runs"][0]["results"].to_string()
            } else {
                text
            };
            (format.name(), text)
        })
        .collect()
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
            ..RenderOptions::default()
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

/// The ways of writing `name` as a key in `format` that resolve to the
/// column (or differ from it only in case, which is masked too): as is,
/// quoted, in other cases, and with each letter written as an escape.
fn spellings(name: &str, format: Format) -> Vec<String> {
    let mut bodies = vec![
        name.to_owned(),
        name.to_ascii_uppercase(),
        name.to_ascii_lowercase(),
    ];
    let chars: Vec<char> = name.chars().collect();
    for at in [0, chars.len() / 2, chars.len() - 1] {
        let mut escaped = String::new();
        for (i, c) in chars.iter().enumerate() {
            if i == at {
                escaped.push_str(&format!("\\u{:04x}", *c as u32));
            } else {
                escaped.push(*c);
            }
        }
        bodies.push(escaped);
    }
    bodies.push(
        chars
            .iter()
            .map(|c| format!("\\u{:04X}", *c as u32))
            .collect(),
    );
    if format == Format::Toml {
        bodies.push(format!("\\U{:08x}{}", chars[0] as u32, &name[1..]));
    }
    bodies.sort();
    bodies.dedup();
    let mut keys: Vec<String> = bodies.iter().map(|body| format!("\"{body}\"")).collect();
    if format == Format::Toml {
        keys.push(name.to_owned());
        keys.push(name.to_ascii_uppercase());
        keys.push(format!("'{name}'"));
    }
    keys
}

/// Definitions holding `secret` under `key`, each next to a finding (or a
/// syntax error) so that a snippet shows its line: a valid record, the value
/// or the separator on the next line, a syntax error after it, a duplicate
/// key, a multi-line string.
fn holding(key: &str, secret: &str, format: Format) -> Vec<(&'static str, String)> {
    match format {
        Format::Toml => vec![
            (
                "valid",
                format!(
                    "[[phones]]\nextension = \"cc100\"\n{key} = \"{secret}\"\nstatus = \"Active\"\n"
                ),
            ),
            (
                "value on the next line",
                format!(
                    "[[phones]]\nextension = \"cc100\"\n{key} =\n\"{secret}\"\nstatus = \"Active\"\n"
                ),
            ),
            (
                "broken after",
                format!(
                    "[[phones]]\nextension = \"cc100\"\n{key} = \"{secret}\" x\nstatus = \"Active\n"
                ),
            ),
            (
                "duplicate",
                format!(
                    "[[phones]]\nextension = \"cc100\"\npass = \"Other9Value\"\n{key} = \"{secret}\"\nstatus = \"Active\"\n"
                ),
            ),
            (
                "duplicate first",
                format!(
                    "[[phones]]\nextension = \"cc100\"\n{key} = \"{secret}\"\npass = \"Other9Value\"\nstatus = \"Active\"\n"
                ),
            ),
            (
                "multi-line",
                format!(
                    "[[phones]]\nextension = \"cc100\"\n{key} = \"\"\"{secret}\n{secret}\"\"\"\nstatus = \"Active\"\n"
                ),
            ),
            (
                "literal",
                format!("[[servers]]\nserver_id = \"s1\"\n{key} = '{secret}'\nactive = \"y\"\n"),
            ),
        ],
        Format::Json => vec![
            (
                "valid",
                format!(
                    "{{\"phones\": [{{\"extension\": \"cc100\",\n {key}: \"{secret}\",\n \"status\": \"Active\"}}]}}"
                ),
            ),
            (
                "value on the next line",
                format!(
                    "{{\"phones\": [{{\"extension\": \"cc100\",\n {key}:\n \"{secret}\" \"x\",\n \"status\": \"Active\"}}]}}"
                ),
            ),
            (
                "separator on the next line",
                format!(
                    "{{\"phones\": [{{\"extension\": \"cc100\",\n {key}\n : \"{secret}\",\n \"status\": \"Active\"}}]}}"
                ),
            ),
            (
                "broken after",
                format!(
                    "{{\"phones\": [{{\"extension\": \"cc100\",\n {key}: \"{secret}\" \"x\",\n \"status\": \"Active\"}}]}}"
                ),
            ),
            (
                "duplicate",
                format!(
                    "{{\"phones\": [{{\"extension\": \"cc100\",\n {key}: \"{secret}\",\n \"pass\": \"Other9Value\",\n \"status\": \"Active\"}}]}}"
                ),
            ),
            (
                "servers",
                format!(
                    "{{\"servers\": [{{\"server_id\": \"s1\",\n {key}: \"{secret}\",\n \"active\": \"y\"}}]}}"
                ),
            ),
        ],
    }
}

/// What every output shows of an outcome, `--diff` of every fix and the
/// GitHub job summary included.
fn every_output(outcome: &phonelint::model::Outcome) -> Vec<(String, String)> {
    let mut all = outputs(outcome);
    let plan = phonelint::fix::plan(&outcome.findings, true);
    all.push((
        "diff".to_owned(),
        phonelint::report::render_diff(&plan, false),
    ));
    all.push((
        "summary".to_owned(),
        phonelint::report::step_summary(outcome, None),
    ));
    all
}

#[test]
fn a_credential_under_any_spelling_of_its_key_is_masked_everywhere() {
    let names: Vec<&str> = [
        phonelint::vicidial::RecordKind::Phone,
        phonelint::vicidial::RecordKind::Server,
    ]
    .into_iter()
    .flat_map(|kind| phonelint::vicidial::columns(kind).iter())
    .filter(|column| column.secret)
    .map(|column| column.name)
    .collect();
    assert!(names.len() >= 6, "{names:?}");
    let mut n = 0;
    let mut shown = 0;
    for name in names {
        for format in [Format::Toml, Format::Json] {
            for key in spellings(name, format) {
                for (context, text) in holding(&key, "@@VALUE@@", format) {
                    n += 1;
                    let secret = format!("Zq8vXk{n:05}LmN4p");
                    let text = text.replace("@@VALUE@@", &secret);
                    let file = match format {
                        Format::Toml => "spelt.toml",
                        Format::Json => "spelt.json",
                    };
                    let outcome = phonelint::check::check_bytes(file, format, text.as_bytes());
                    assert!(!outcome.findings.is_empty(), "{context}: {text}");
                    for (output, shown_text) in every_output(&outcome) {
                        assert!(
                            !shown_text.contains(&secret),
                            "{name} written {key} ({context}, {format:?}): {output} shows it:\n{text}\n---\n{shown_text}"
                        );
                    }
                    // The control: asked to, the snippet does show it.
                    let human = render(
                        OutputFormat::Human,
                        &outcome,
                        RenderOptions {
                            color: false,
                            show_secrets: true,
                            ..RenderOptions::default()
                        },
                    );
                    shown += usize::from(human.contains(&secret));
                }
            }
        }
    }
    assert!(n > 500, "only {n} cases");
    assert!(
        shown > n / 2,
        "the snippets showed only {shown} of {n} secrets"
    );
}

#[test]
fn a_diff_masks_a_value_that_a_fix_puts_under_a_credential_key() {
    for (file, format, text) in [
        (
            "renamed.toml",
            Format::Toml,
            "[[phones]]\nextension = \"cc100\"\npas = \"Rename7SecretX\"\n",
        ),
        (
            "renamed.json",
            Format::Json,
            "{\"phones\": [{\"extension\": \"cc100\",\n \"pas\": \"Rename7SecretX\"}]}",
        ),
    ] {
        let outcome = phonelint::check::check_bytes(file, format, text.as_bytes());
        let plan = phonelint::fix::plan(&outcome.findings, true);
        let diff = phonelint::report::render_diff(&plan, false);
        assert!(
            diff.contains("+") && diff.contains("pass"),
            "the rename is shown: {diff}"
        );
        assert!(!diff.contains("Rename7SecretX"), "{diff}");
        let shown = phonelint::report::render_diff(&plan, true);
        assert!(shown.contains("Rename7SecretX"), "{shown}");
    }
}

/// No output of a check of `text` shows `secret`.
fn assert_masked(file: &str, format: Format, text: &str, secret: &str) {
    let outcome = phonelint::check::check_bytes(file, format, text.as_bytes());
    assert!(!outcome.findings.is_empty(), "{text}");
    for (output, shown) in every_output(&outcome) {
        assert!(!shown.contains(secret), "{output} shows it:\n{shown}");
    }
}

#[test]
fn a_json_syntax_error_with_the_value_on_the_next_line_is_masked() {
    let text =
        "{\"phones\": [{\"extension\": \"cc100\",\n \"pass\":\n \"NextLine7Secret\" \"x\"}]}";
    assert_masked("next.json", Format::Json, text, "NextLine7Secret");
}

#[test]
fn a_json_syntax_error_after_an_escaped_key_is_masked() {
    let text =
        "{\"phones\": [{\"extension\": \"cc100\",\n \"p\\u0061ss\": \"Escaped7Secret\" \"x\"}]}";
    assert_masked("escaped.json", Format::Json, text, "Escaped7Secret");
}

#[test]
fn a_toml_duplicate_under_an_escaped_key_is_masked() {
    let text = "[[phones]]\nextension = \"cc100\"\npass = \"First7Secret\"\n\"p\\u0061ss\" = \"Dropped7Secret\"\n";
    assert_masked("dup.toml", Format::Toml, text, "Dropped7Secret");
    assert_masked("dup.toml", Format::Toml, text, "First7Secret");
}

/// A credential under a misspelt key (`pas`, `conf_secert`, `password`) is
/// still masked: unknown-field shows the line, and its value is the secret
/// the column was meant to hold.
#[test]
fn a_credential_under_a_misspelt_key_is_masked() {
    for (key, secret) in [
        ("pas", "Misspelt7Pas"),
        ("conf_secert", "Misspelt7Conf"),
        ("password", "Misspelt7Word"),
    ] {
        let toml = format!("[[phones]]\nextension = \"cc100\"\n{key} = \"{secret}\"\n");
        assert_masked("typo.toml", Format::Toml, &toml, secret);
        let json =
            format!("{{\"phones\": [{{\"extension\": \"cc100\", \"{key}\": \"{secret}\"}}]}}");
        assert_masked("typo.json", Format::Json, &json, secret);
    }
}
