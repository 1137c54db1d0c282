//! Inputs the fuzz targets (fuzz/) found bugs with, replayed on every
//! `cargo test` through the same checks as their target: see
//! fuzz/regressions/README.md.

use std::path::{Component, PathBuf};

use phonelint::import::{Layout, Options, OutputFormat as ImportFormat, plan_bytes};
use phonelint::load::Format;
use phonelint::report::{OutputFormat, RenderOptions, render};

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

/// The load targets' checks (fuzz/fuzz_targets/common.rs).
fn check_definition(format: Format, name: &str, bytes: &[u8]) {
    let outcome = phonelint::check::check_bytes("input", format, bytes);
    for finding in &outcome.findings {
        for (file, span) in finding.spans() {
            assert!(
                span.start <= span.end && span.end <= file.text.len(),
                "{name}: {span:?}"
            );
            assert!(
                file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end),
                "{name}: {span:?}"
            );
        }
    }
    for output in [
        OutputFormat::Human,
        OutputFormat::Short,
        OutputFormat::Json,
        OutputFormat::Github,
        OutputFormat::Sarif,
    ] {
        let text = render(output, &outcome, RenderOptions::default());
        if matches!(output, OutputFormat::Json | OutputFormat::Sarif) {
            serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
        }
    }
}

#[test]
fn load_toml_regressions() {
    for (name, bytes) in inputs("load_toml") {
        check_definition(Format::Toml, &name, &bytes);
    }
}

#[test]
fn load_json_regressions() {
    for (name, bytes) in inputs("load_json") {
        check_definition(Format::Json, &name, &bytes);
    }
}

/// The import target's checks (fuzz/fuzz_targets/import.rs), for every
/// choice of layout and format.
#[test]
fn import_regressions() {
    for (name, bytes) in inputs("import") {
        for choice in 0u8..16 {
            let json = choice & 1 != 0;
            let options = Options {
                out: PathBuf::from("out"),
                format: if json {
                    ImportFormat::Json
                } else {
                    ImportFormat::Toml
                },
                layout: if choice & 2 == 0 {
                    Layout::PerServer
                } else {
                    Layout::PerPhone
                },
                all_columns: choice & 4 != 0,
                runtime_columns: choice & 8 != 0,
                force: false,
            };
            let Ok((_, files)) = plan_bytes(&bytes, &options) else {
                continue;
            };
            for file in files {
                assert!(
                    file.path
                        .components()
                        .all(|c| matches!(c, Component::Normal(_))),
                    "{name}: {:?}",
                    file.path
                );
                let format = if json { Format::Json } else { Format::Toml };
                let document = phonelint::load::load_str(&file.text, format);
                assert!(
                    document.problems.is_empty(),
                    "{name}: {:?}",
                    document.problems
                );
            }
        }
    }
}
