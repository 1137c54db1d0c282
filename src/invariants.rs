//! What must hold for any input, whatever its bytes: the checks the property
//! tests (tests/properties.rs), the fuzz targets (fuzz/) and the fuzz
//! regression tests share. Each returns what broke instead of panicking, so
//! a caller can report it its own way.

use std::path::{Component, PathBuf};

use crate::check::Outcome;
use crate::import::{Layout, Options, OutputFormat as ImportFormat, plan_bytes};
use crate::load::Format;
use crate::report::{OutputFormat, RenderOptions, render};

/// Every span of every finding lies inside its file on character
/// boundaries; every output format renders (with and without secrets and
/// colour); JSON and SARIF parse; github output is one workflow command a
/// line.
pub fn check_outcome(outcome: &Outcome) -> Result<(), String> {
    for finding in &outcome.findings {
        for (file, span) in finding.spans() {
            let text = &file.text;
            if span.start > span.end || span.end > text.len() {
                return Err(format!(
                    "{}: {span:?} outside {} bytes",
                    finding.rule,
                    text.len()
                ));
            }
            if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
                return Err(format!("{}: {span:?} not on char boundaries", finding.rule));
            }
        }
    }
    for output in [
        OutputFormat::Human,
        OutputFormat::Short,
        OutputFormat::Json,
        OutputFormat::Github,
        OutputFormat::Sarif,
    ] {
        for show_secrets in [false, true] {
            let options = RenderOptions {
                color: show_secrets,
                show_secrets,
            };
            let text = render(output, outcome, options);
            if matches!(output, OutputFormat::Json | OutputFormat::Sarif)
                && let Err(error) = serde_json::from_str::<serde_json::Value>(&text)
            {
                return Err(format!("{output:?} output is not JSON ({error}): {text}"));
            }
            if output == OutputFormat::Github
                && let Some(line) = text.lines().find(|line| !line.starts_with("::"))
            {
                return Err(format!("github line is not a command: {line:?}"));
            }
        }
    }
    Ok(())
}

/// Checks `bytes` as a definition file and then [`check_outcome`].
pub fn check_definition(format: Format, bytes: &[u8]) -> Result<(), String> {
    let name = match format {
        Format::Toml => "input.toml",
        Format::Json => "input.json",
    };
    check_outcome(&crate::check::check_bytes(name, format, bytes))
}

/// Plans an import of `bytes` with the options `choice` picks (bit 0: JSON,
/// bit 1: a file per phone, bit 2: all columns, bit 3: runtime columns):
/// every planned path stays inside the output directory, and every planned
/// file loads back without a problem. An export phonelint refuses is fine.
pub fn check_import(bytes: &[u8], choice: u8) -> Result<(), String> {
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
    let Ok((_, files)) = plan_bytes(bytes, &options) else {
        return Ok(());
    };
    let format = if json { Format::Json } else { Format::Toml };
    for file in files {
        if !file
            .path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(format!("unsafe path {:?}", file.path));
        }
        let document = crate::load::load_str(&file.text, format);
        if !document.problems.is_empty() {
            return Err(format!(
                "{:?} does not load back: {:?}\n{}",
                file.path, document.problems, file.text
            ));
        }
    }
    Ok(())
}
