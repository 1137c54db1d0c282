//! Property tests of `phonelint drift` on arbitrary tables: a repository
//! that `import` wrote from a database never drifts from it; a repository
//! and a database that differ go through the comparison, every output format
//! and the SQL plan without a panic, every span inside its file on character
//! boundaries, and no credential of the database in any output.

use std::path::PathBuf;
use std::sync::Arc;

use phonelint::drift::{self, Database};
use phonelint::import::{self, RawValue, TableData};
use phonelint::load::{Format, load_str};
use phonelint::model::LoadedFile;
use phonelint::report::{OutputFormat, RenderOptions, render};
use phonelint::source::SourceFile;
use phonelint::vicidial::RecordKind;
use proptest::prelude::*;

const COLUMNS: [&str; 9] = [
    "extension",
    "server_ip",
    "login",
    "pass",
    "fullname",
    "protocol",
    "phone_ring_timeout",
    "messages",
    "x_local",
];

/// Text that stresses quoting, escaping, collation and masking.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-c]{1,3}",
        "[A-C ]{1,3}",
        Just("SIP".to_owned()),
        Just("iax2".to_owned()),
        Just("0060".to_owned()),
        Just("x'y\"z\\w".to_owned()),
        Just("é\u{0}\n\r\t\u{1b}[31m\u{202e}".to_owned()),
        Just("\u{1F600}".to_owned()),
        "\\PC{0,6}",
    ]
}

fn value() -> impl Strategy<Value = RawValue> {
    prop_oneof![
        4 => text().prop_map(RawValue::Text),
        1 => Just(RawValue::Null),
        1 => Just(RawValue::Default),
        1 => "-?[0-9]{1,4}".prop_map(RawValue::Number),
    ]
}

fn rows() -> impl Strategy<Value = Vec<Vec<RawValue>>> {
    proptest::collection::vec(proptest::collection::vec(value(), COLUMNS.len()), 0..6)
}

fn table(rows: Vec<Vec<RawValue>>) -> TableData {
    TableData {
        kind: RecordKind::Phone,
        columns: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        rows,
    }
}

/// The repository `import` writes from `tables`, as one loaded file.
fn repository(tables: &[TableData]) -> drift::repository::Loaded {
    let records = import::records(tables, false, false);
    let refs: Vec<&import::ImportedRecord> = records.iter().collect();
    let text = import::render(&refs, Format::Toml);
    let document = load_str(&text, Format::Toml);
    let mut secrets = phonelint::model::secret_spans(&document);
    secrets.extend(phonelint::model::textual_secret_spans(&text));
    let source = Arc::new(
        SourceFile::new(PathBuf::from("repo.toml"), "repo.toml".to_owned(), text)
            .with_secrets(secrets),
    );
    drift::repository::Loaded {
        files: vec![LoadedFile { source, document }],
        ..Default::default()
    }
}

/// Rows whose keys differ under the collation (a database's unique key).
fn distinct_keys(rows: Vec<Vec<RawValue>>) -> Vec<Vec<RawValue>> {
    let key = |row: &[RawValue]| -> Vec<String> {
        row.iter()
            .take(2)
            .map(|value| match value {
                RawValue::Text(t) | RawValue::Number(t) => {
                    phonelint::vicidial::collation::comparison_key(t)
                }
                RawValue::Null | RawValue::Default => String::new(),
            })
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    rows.into_iter()
        .filter(|row| seen.insert(key(row)))
        .collect()
}

fn database(rows: Vec<Vec<RawValue>>) -> Database {
    Database::from_tables("db".to_owned(), vec![table(rows)])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_repository_imported_from_a_database_does_not_drift(rows in rows()) {
        let rows = distinct_keys(rows);
        let loaded = repository(&[table(rows.clone())]);
        let result = drift::drift(loaded, &database(rows), String::new(), drift::Options::default());
        let messages: Vec<&str> = result.outcome.findings.iter().map(|f| f.message.as_str()).collect();
        prop_assert!(messages.is_empty(), "{messages:?}");
    }

    #[test]
    fn any_difference_renders_without_a_panic_or_a_credential(
        repo_rows in rows(),
        db_rows in rows(),
        show_secrets in any::<bool>(),
    ) {
        let db_rows = distinct_keys(db_rows);
        let options = drift::Options {
            show_secret_values: false,
            plan: Some(drift::plan::Options { show_secrets }),
        };
        let result = drift::drift(repository(&[table(repo_rows.clone())]), &database(db_rows.clone()), String::new(), options);
        for finding in &result.outcome.findings {
            for (file, span) in finding.spans() {
                prop_assert!(span.start <= span.end && span.end <= file.text.len());
                prop_assert!(file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end));
            }
        }
        // The database's passwords that no other column holds (which a
        // message may rightly show).
        let pass = COLUMNS.iter().position(|c| *c == "pass").unwrap();
        let text_of = |value: &RawValue| match value {
            RawValue::Text(t) | RawValue::Number(t) => Some(t.clone()),
            _ => None,
        };
        let others: Vec<String> = repo_rows
            .iter()
            .chain(&db_rows)
            .flat_map(|row| row.iter().enumerate().filter(|(i, _)| *i != pass).filter_map(|(_, v)| text_of(v)))
            .collect();
        let secrets: Vec<String> = db_rows
            .iter()
            .filter_map(|row| row.get(pass).and_then(text_of))
            .filter(|t| t.chars().count() >= 4 && !others.iter().any(|o| o.contains(t.as_str())))
            .collect();
        for format in [OutputFormat::Human, OutputFormat::Short, OutputFormat::Json, OutputFormat::Github, OutputFormat::Sarif] {
            let options = RenderOptions { other_rules: drift::RULES, ..RenderOptions::default() };
            let out = render(format, &result.outcome, options);
            // What every output of the format holds (SARIF: every rule's
            // documentation, with its numbers) is no sign of a leak.
            let fixed = render(
                format,
                &phonelint::model::Outcome::default(),
                options,
            );
            if matches!(format, OutputFormat::Json | OutputFormat::Sarif) {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
            }
            // A finding's fingerprint is 32 hex digits: a short numeric
            // password can turn up inside one by chance.
            let out = without_fingerprints(&out);
            for secret in secrets.iter().filter(|secret| !fixed.contains(secret.as_str())) {
                prop_assert!(!out.contains(secret.as_str()), "{format:?} shows {secret:?}");
            }
        }
        let plan = result.plan.unwrap_or_default();
        prop_assert!(plan.starts_with("-- phonelint drift"));
        // Every line is a comment or a statement: no value breaks a line.
        for line in plan.lines() {
            prop_assert!(
                line.is_empty() || line.starts_with("--") || line.ends_with(';'),
                "{line:?}"
            );
        }
    }
}

/// `text` with every quoted run of exactly 32 lower-case hex digits (a
/// finding's fingerprint in JSON and SARIF) replaced by `"#"`.
fn without_fingerprints(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let digits = from[1..]
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .count();
        if digits == 32 && from.as_bytes().get(33) == Some(&b'"') {
            out.push_str("\"#\"");
            rest = &from[34..];
        } else {
            out.push('"');
            rest = &from[1..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn fingerprints_are_taken_out_and_nothing_else() {
    let text = r##"{"fp": "52ee8fe31963708a9208ce0eeb4d8205", "pass": "3196", "short": "52ee8f"}"##;
    let out = without_fingerprints(text);
    assert_eq!(out, r##"{"fp": "#", "pass": "3196", "short": "52ee8f"}"##);
    assert!(!out.contains("1963"));
}
