//! Inputs the fuzz targets (fuzz/) found bugs with, replayed on every
//! `cargo test` through the same checks as their target: see
//! fuzz/regressions/README.md.

use std::path::PathBuf;

use phonelint::invariants::{check_baseline, check_definition, check_fixes, check_import};
use phonelint::load::Format;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut inputs: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(entry.path()).expect("readable input"))
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn load_toml_regressions() {
    for (name, bytes) in inputs("load_toml") {
        check_definition(Format::Toml, &bytes).unwrap_or_else(|broken| panic!("{name}: {broken}"));
    }
}

#[test]
fn load_json_regressions() {
    for (name, bytes) in inputs("load_json") {
        check_definition(Format::Json, &bytes).unwrap_or_else(|broken| panic!("{name}: {broken}"));
    }
}

/// Each input under every choice of layout and format (the fuzz target
/// takes the choice from the first byte; the files here are whole inputs).
#[test]
fn import_regressions() {
    for (name, bytes) in inputs("import") {
        let (choice, rest) = bytes.split_first().unwrap_or((&0, &bytes));
        check_import(rest, *choice).unwrap_or_else(|broken| panic!("{name}: {broken}"));
        for choice in 0u8..16 {
            check_import(rest, choice)
                .unwrap_or_else(|broken| panic!("{name} ({choice}): {broken}"));
        }
    }
}

/// The first byte picks the format, as in the fuzz target; each input is
/// also tried in the other format.
#[test]
fn fix_regressions() {
    for (name, bytes) in inputs("fix") {
        let rest = bytes.get(1..).unwrap_or_default();
        for format in [Format::Toml, Format::Json] {
            check_fixes(format, rest).unwrap_or_else(|broken| panic!("{name}: {broken}"));
        }
    }
}

#[test]
fn baseline_regressions() {
    for (name, bytes) in inputs("baseline") {
        check_baseline(&bytes).unwrap_or_else(|broken| panic!("{name}: {broken}"));
    }
}
