//! `phonelint schema`, checked by an independent validator: check-jsonschema
//! (pinned in tests/schema/requirements.txt) must accept what phonelint's
//! per-value rules accept and reject what they reject, on every fixture and on
//! values generated for every column of the model.
//!
//! The validator's path comes from `PHONELINT_CHECK_JSONSCHEMA`, which `.ci/run`
//! sets after installing it into a venv. Without the variable the tests that
//! need it say so on stderr and pass, so a plain `cargo test` works without
//! Python; with it set, a missing or failing validator fails them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{check, phonelint, root};
use phonelint::model::Severity;
use phonelint::vicidial::RecordKind;
use phonelint::vicidial::{
    Column, ColumnType, REQUIRED_PHONE_COLUMNS, Status, TEXT_MAX_BYTES, columns,
};
use serde_json::{Value, json};

const VALIDATOR_ENV: &str = "PHONELINT_CHECK_JSONSCHEMA";

/// The rules whose findings a JSON Schema can express (`schema: true` in
/// their declaration). A definition file has a finding of one of these (other
/// than an info note, such as invalid-protocol's on PJSIP) exactly when the
/// schema rejects it.
fn schema_rules() -> Vec<&'static str> {
    phonelint::rules::RULES
        .iter()
        .map(|rule| rule.meta())
        .filter(|meta| meta.in_schema)
        .map(|meta| meta.name)
        .collect()
}

fn validator() -> Option<PathBuf> {
    let path = std::env::var_os(VALIDATOR_ENV);
    if path.is_none() {
        eprintln!("skipped: set {VALIDATOR_ENV} to check-jsonschema's path (.ci/run does)");
    }
    path.map(PathBuf::from)
}

/// Writes the schema that `phonelint schema` prints into `dir`.
fn write_schema(dir: &Path) -> PathBuf {
    let output = phonelint().arg("schema").output().unwrap();
    assert!(output.status.success());
    let path = dir.join("phonelint.schema.json");
    std::fs::write(&path, &output.stdout).unwrap();
    path
}

/// Runs check-jsonschema on `files` and returns the files it rejects.
fn rejected_by_validator(validator: &Path, schema: &Path, files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let output = Command::new(validator)
        .args(["--output-format", "json", "--schemafile"])
        .arg(schema)
        .args(files)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", validator.display()));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "check-jsonschema printed no JSON ({error}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(
        report["parse_errors"],
        json!([]),
        "check-jsonschema could not read a file"
    );
    let rejected: BTreeSet<PathBuf> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| PathBuf::from(error["filename"].as_str().unwrap()))
        .collect();
    assert_eq!(output.status.success(), rejected.is_empty(), "{report:#}");
    rejected
}

/// Compares the validator's verdicts with phonelint's, file by file.
fn assert_agreement(validator: &Path, schema: &Path, expected: &BTreeMap<PathBuf, Vec<String>>) {
    let files: Vec<PathBuf> = expected.keys().cloned().collect();
    let rejected = rejected_by_validator(validator, schema, &files);
    let mut disagreements = Vec::new();
    for (file, findings) in expected {
        let schema_rejects = rejected.contains(file);
        let phonelint_rejects = !findings.is_empty();
        if schema_rejects != phonelint_rejects {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let shown: String = text.chars().take(300).collect();
            disagreements.push(format!(
                "{}: schema {}, phonelint {findings:?}\n  {shown}",
                file.display(),
                if schema_rejects { "rejects" } else { "accepts" },
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "schema and phonelint disagree on {} of {} files:\n{}",
        disagreements.len(),
        expected.len(),
        disagreements.join("\n")
    );
}

/// phonelint's schema-expressible findings in each definition file under
/// `path`; files that are not definitions, or do not parse, are left out.
fn phonelint_verdicts(path: &Path) -> BTreeMap<PathBuf, Vec<String>> {
    let outcome = check(path);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let mut unparsable = BTreeSet::new();
    let mut findings: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for finding in &outcome.findings {
        let file = root().join(&finding.file.path);
        // A duplicate key is invalid TOML; in JSON the validator sees the
        // parsed object, the first value already gone: no evidence either way.
        if finding.rule == "parse-error" || finding.rule == "duplicate-key" {
            unparsable.insert(file.clone());
        }
        if schema_rules().contains(&finding.rule) && finding.severity != Severity::Info {
            findings
                .entry(file)
                .or_default()
                .push(format!("{}: {}", finding.rule, finding.message));
        }
    }
    let mut verdicts = BTreeMap::new();
    for file in definition_files(&root().join(path)) {
        if !unparsable.contains(&file) && !suppresses_a_schema_rule(&file) {
            let found = findings.remove(&file).unwrap_or_default();
            verdicts.insert(file, found);
        }
    }
    verdicts
}

/// A `# phonelint: allow(...)` comment naming a rule the schema expresses:
/// phonelint then stays silent where the schema, which knows no comments,
/// still rejects, so such a file is no evidence either way.
fn suppresses_a_schema_rule(file: &Path) -> bool {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines().any(|line| {
        line.contains("phonelint: allow") && schema_rules().iter().any(|rule| line.contains(rule))
    })
}

/// Every `.toml`/`.json` file under `dir` that phonelint reads as a definition.
fn definition_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            ) && check(&path).summary.files == 1
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn schema_subcommand_prints_the_generated_schema() {
    let output = phonelint().arg("schema").output().unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, phonelint::schema::render());
    let schema: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

/// A schema sees one file: only a rule on single records can be expressed
/// by it, and the schema tests below are not vacuous.
#[test]
fn schema_rules_judge_single_records() {
    let rules = schema_rules();
    assert!(rules.contains(&"invalid-value"), "{rules:?}");
    for name in rules {
        let meta = phonelint::rules::find(name).unwrap().meta();
        assert_eq!(
            meta.scope,
            phonelint::rules::Scope::Record,
            "`{name}` is declared `schema: true` but does not judge single records"
        );
    }
}

/// invalid-local-gmt judges servers too: a server's numeric local_gmt is its
/// (with the exact string as a fix), not invalid-value's.
#[test]
fn a_numeric_local_gmt_is_reported_on_servers_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.toml");
    std::fs::write(
        &path,
        "[[servers]]\nserver_id = \"a\"\nconf_secret = \"Ja8vQm2Rt5\"\nASTmgrSECRET = \"Pw3nXe7Lk\"\nlocal_gmt = -5\n",
    )
    .unwrap();
    let outcome = check(&path);
    let rules: Vec<&str> = outcome.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["invalid-local-gmt"]);
}

#[test]
fn validator_accepts_the_schema_under_its_metaschema() {
    let Some(validator) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let schema = write_schema(dir.path());
    let output = Command::new(&validator)
        .arg("--check-metaschema")
        .arg(&schema)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", validator.display()));
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn validator_agrees_with_phonelint_on_the_fixtures() {
    let Some(validator) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let schema = write_schema(dir.path());
    let verdicts = phonelint_verdicts(Path::new("fixtures"));
    assert_agreement(&validator, &schema, &verdicts);

    // Not vacuous: the clean fixtures validate, the invalid-value, value-too-long,
    // missing-field and unknown-status fixtures do not, in both formats.
    let fixtures = root().join("fixtures/rules");
    let mut seen = BTreeSet::new();
    for (file, findings) in &verdicts {
        let Ok(relative) = file.strip_prefix(&fixtures) else {
            continue;
        };
        let mut parts = relative.iter().filter_map(|p| p.to_str());
        let (Some(rule), Some(which)) = (parts.next(), parts.next()) else {
            continue;
        };
        let format = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if which == "clean" {
            assert!(findings.is_empty(), "{}", file.display());
            seen.insert(("clean", format));
        } else if schema_rules().contains(&rule) {
            assert!(!findings.is_empty(), "{}", file.display());
            seen.insert(("rejected", format));
        }
    }
    for expected in [
        ("clean", "toml"),
        ("clean", "json"),
        ("rejected", "toml"),
        ("rejected", "json"),
    ] {
        assert!(seen.contains(&expected), "no fixture for {expected:?}");
    }
}

/// A phone that every rule the schema expresses accepts.
fn valid_phone() -> serde_json::Map<String, Value> {
    let record = json!({
        "extension": "cc100",
        "dialplan_number": "8300",
        "voicemail_id": "8300",
        "server_ip": "10.10.10.15",
        "login": "cc100",
        "pass": "Rr8xkq2Lw",
        "status": "ACTIVE",
        "active": "Y"
    });
    let Value::Object(map) = record else {
        unreachable!()
    };
    map
}

/// Values a column accepts and values it does not, derived from its type.
fn cases(kind: RecordKind, column: &Column) -> Vec<Value> {
    let (name, ty, list) = (column.name, column.ty, column.list);
    let x = |n: usize| Value::String("x".repeat(n));
    let mut values = vec![Value::Null];
    if let Some(default) = column.default {
        values.push(match ty {
            ColumnType::Integer { .. } => json!(default.parse::<i64>().unwrap()),
            _ => json!(default),
        });
    }
    if kind == RecordKind::Phone && name == "status" {
        values.extend(Status::KNOWN.map(Value::from));
        values.extend(["Active", "DELETED", "", "ACTIVE "].map(Value::from));
        values.push(json!(1));
        return values;
    }
    match ty {
        ColumnType::Varchar(max) => {
            values.extend([x(0), x(max), x(max + 1), json!("é".repeat(max)), json!(1)]);
            if column.secret {
                // A placeholder for a secret kept elsewhere is accepted at
                // any length; a near miss is judged as the value it is.
                let long = |shape: &str| json!(shape.replace('X', &"x".repeat(max)));
                values.extend([
                    json!("${PHONE_PASS}"),
                    long("{{ vault_X }}"),
                    long("ENC[AES256_GCM,data:X,iv:aXb=,tag:c+d/,type:str]"),
                    long("ENC[AES256_GCM,data:X,iv:aXb=,tag:c+d/,type:STR]"),
                    long("{{ é_X }}"),
                    long("${X-Y}"),
                ]);
            }
            if list {
                values.extend([
                    json!(["a", "b"]),
                    json!([]),
                    json!(["a", 1]),
                    json!([x(max + 1)]),
                    json!({ "a": "b" }),
                ]);
            }
        }
        ColumnType::Text => values.extend([x(100), x(TEXT_MAX_BYTES + 1), json!(true)]),
        ColumnType::Integer { min, max } => {
            values.extend([json!(min), json!(max), json!(0), json!("1"), json!(1.5)]);
            if let Some(above) = max.checked_add(1) {
                values.push(json!(above));
            }
            if let Some(below) = min.checked_sub(1) {
                values.push(json!(below));
            }
        }
        ColumnType::YesNo => values.extend(
            [json!("Y"), json!("N"), json!(true), json!(false)]
                .into_iter()
                .chain([json!("y"), json!(1), json!(""), json!("1")]),
        ),
        ColumnType::ZeroOne => values.extend([
            json!("0"),
            json!("1"),
            json!(0),
            json!(1),
            json!(true),
            json!(false),
            json!(2),
            json!("2"),
            json!("Y"),
        ]),
        ColumnType::Enum(allowed) => {
            values.extend(allowed.iter().map(|v| json!(v)));
            values.extend([json!("bogus"), json!(true)]);
            if let Some(first) = allowed.first() {
                values.push(json!(first.to_lowercase()));
            }
        }
    }
    values
}

#[test]
fn validator_agrees_with_phonelint_on_every_column() {
    let Some(validator) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let schema = write_schema(dir.path());
    let cases_dir = dir.path().join("cases");
    std::fs::create_dir(&cases_dir).unwrap();
    let mut case = 0;
    let mut written = 0;
    // Each case as JSON and, where TOML can say it (TOML has no null), as TOML.
    let mut write = |document: Value| {
        case += 1;
        let name = format!("case{case:04}");
        std::fs::write(
            cases_dir.join(format!("{name}.json")),
            format!("{document:#}"),
        )
        .unwrap();
        written += 1;
        if !format!("{document}").contains("null") {
            let toml = toml::to_string(&document).unwrap();
            std::fs::write(cases_dir.join(format!("{name}.toml")), toml).unwrap();
            written += 1;
        }
    };
    for kind in RecordKind::ALL {
        let base = match kind {
            RecordKind::Phone => valid_phone(),
            RecordKind::Alias | RecordKind::Server => serde_json::Map::new(),
        };
        write(json!({ kind.section(): [base.clone()] }));
        for column in columns(kind) {
            for value in cases(kind, column) {
                let mut record = base.clone();
                record.insert(column.name.to_owned(), value);
                write(json!({ kind.section(): [record] }));
            }
        }
    }
    // Required phone columns, unknown keys, the top level.
    for name in REQUIRED_PHONE_COLUMNS {
        let mut phone = valid_phone();
        phone.remove(name);
        write(json!({ "phones": [phone] }));
    }
    let mut misspelt = valid_phone();
    misspelt.insert("Server_IP".to_owned(), json!("10.10.10.15"));
    write(json!({ "phones": [misspelt] }));
    write(json!({ "servers": [{ "server_id": "a", "shoe_size": 9 }] }));
    write(json!({ "$schema": "./phonelint.schema.json", "phones": [valid_phone()] }));
    write(json!({ "phones": [valid_phone()], "phone": [] }));
    write(json!({ "phones": [], "aliases": [], "servers": [] }));
    write(json!({ "phones": ["cc100"] }));
    write(json!({ "aliases": { "alias_id": "frontdesk" } }));

    let verdicts = phonelint_verdicts(&cases_dir);
    assert_eq!(verdicts.len(), written, "every case is a definition");
    let toml_cases = verdicts
        .keys()
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .count();
    let json_cases = written - toml_cases;
    assert!(
        toml_cases * 2 > json_cases,
        "most cases are also written as TOML"
    );
    let rejected = verdicts.values().filter(|f| !f.is_empty()).count();
    assert!(rejected > 0 && rejected < written);
    assert_agreement(&validator, &schema, &verdicts);
}
