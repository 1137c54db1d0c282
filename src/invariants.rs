//! What must hold for any input, whatever its bytes: the checks the property
//! tests (tests/properties.rs), the fuzz targets (fuzz/) and the fuzz
//! regression tests share. Each returns what broke instead of panicking, so
//! a caller can report it its own way.

use std::path::{Component, PathBuf};

use crate::import::{Layout, Options, plan_bytes};
use crate::load::{Format, Problem};
use crate::model::Outcome;
use crate::report::{OutputFormat, RenderOptions, render};

/// Every span of every finding lies inside its file on character
/// boundaries; every output format renders (with and without secrets,
/// colour and Unicode, with each fix shown); JSON and SARIF parse; github
/// output is one workflow command a line; `--statistics` renders, its JSON
/// parses.
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
    for &output in OutputFormat::all() {
        for show_secrets in [false, true] {
            let options = RenderOptions {
                color: show_secrets,
                show_secrets,
                ascii: show_secrets,
                show_fixes: true,
                ..RenderOptions::default()
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
    use crate::report::statistics;
    let json = statistics::render(outcome, true, RenderOptions::default());
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&json) {
        return Err(format!("statistics are not JSON ({error}): {json}"));
    }
    statistics::render(outcome, false, RenderOptions::default());
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

/// Reads `bytes` (when they are UTF-8) as a definition with the plain
/// reader and with the crates: wherever the plain reader accepts the text,
/// its document (records, keys, values, spans, problems) is the crates'
/// one. Neither panics.
pub fn check_plain_reader(format: Format, bytes: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let crates = crate::load::load_str_by_the_crates(text, format);
    let Some(plain) = crate::load::load_str_plain(text, format) else {
        return Ok(());
    };
    if format!("{plain:?}") == format!("{crates:?}") {
        return Ok(());
    }
    let (plain, crates) = (format!("{plain:#?}"), format!("{crates:#?}"));
    let differ = plain
        .lines()
        .zip(crates.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| plain.lines().count().min(crates.lines().count()));
    let around = |document: &str| {
        let lines: Vec<&str> = document.lines().collect();
        let from = differ.saturating_sub(6);
        lines
            .get(from..(differ + 6).min(lines.len()))
            .unwrap_or_default()
            .join("\n")
    };
    Err(format!(
        "{format:?}: the plain reader's document differs from the crates' at line {differ} \
         of their debug form:\n--- plain:\n{}\n--- crates:\n{}\n--- text: {text:?}",
        around(&plain),
        around(&crates)
    ))
}

/// Applies every fix phonelint offers for `bytes` as a definition, unsafe
/// ones included, pass after pass as `--fix --unsafe-fixes` does: each
/// fixed text loads without a syntax error and with no key written twice
/// more often than before, and `--diff` of each pass renders.
pub fn check_fixes(format: Format, bytes: &[u8]) -> Result<(), String> {
    let name = match format {
        Format::Toml => "input.toml",
        Format::Json => "input.json",
    };
    let mut current = bytes.to_vec();
    for pass in 0..crate::fix::MAX_PASSES {
        let outcome = crate::check::check_bytes(name, format, &current);
        let plan = crate::fix::plan(&outcome.findings, true);
        for show_secrets in [false, true] {
            crate::report::render_diff(&plan, show_secrets);
        }
        let Some(fixed) = plan.files.into_iter().next() else {
            return Ok(());
        };
        let duplicates = |document: &crate::load::Document| {
            document
                .problems
                .iter()
                .filter(|p| matches!(p, Problem::DuplicateKey { .. }))
                .count()
        };
        let before = duplicates(&crate::load::load_str(&fixed.file.text, format));
        let document = crate::load::load_str(&fixed.text, format);
        if let Some(problem) = document.problems.iter().find(|p| {
            matches!(
                p,
                Problem::Syntax { .. }
                    | Problem::NotUtf8 { .. }
                    | Problem::Binary { .. }
                    | Problem::GitCrypt
            )
        }) {
            return Err(format!(
                "pass {pass}: the fixed text does not load ({problem:?}):\n{}\n--- was:\n{}",
                fixed.text, fixed.file.text
            ));
        }
        if duplicates(&document) > before {
            return Err(format!(
                "pass {pass}: the fixed text writes a key twice more:\n{}\n--- was:\n{}",
                fixed.text, fixed.file.text
            ));
        }
        current = fixed.text.into_bytes();
    }
    Ok(())
}

/// Reads `bytes` as a baseline: one that loads names only paths inside the
/// repository, and each of its entries, matching nothing, becomes a stale
/// finding whose span lies in the baseline and renders in every format
/// ([`check_outcome`]). A baseline phonelint refuses is fine.
pub fn check_baseline(bytes: &[u8]) -> Result<(), String> {
    let name = crate::policy::baseline::DEFAULT_FILE;
    let Ok(baseline) = crate::policy::baseline::Baseline::from_bytes(
        PathBuf::from(name),
        name.to_owned(),
        None,
        bytes.to_vec(),
    ) else {
        return Ok(());
    };
    let mut checked = std::collections::HashSet::new();
    for entry in &baseline.entries {
        let path = std::path::Path::new(&entry.path);
        if path.components().next().is_none()
            || !path
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(format!("an entry outside the repository: {:?}", entry.path));
        }
        checked.insert(entry.path.clone());
    }
    let root = std::path::Path::new("/");
    let stale = crate::policy::baseline::Matcher::new(&baseline).stale(root, &checked);
    if stale.len() != baseline.entries.len() {
        return Err(format!(
            "{} entries, {} stale findings",
            baseline.entries.len(),
            stale.len()
        ));
    }
    check_outcome(&Outcome {
        findings: stale,
        ..Outcome::default()
    })
}

/// Plans an import of `bytes` with the options `choice` picks (bit 0: JSON,
/// bit 1: a file per phone, bit 2: all columns, bit 3: runtime columns):
/// every planned path stays inside the output directory, and every planned
/// file loads back without a problem. An export phonelint refuses is fine.
pub fn check_import(bytes: &[u8], choice: u8) -> Result<(), String> {
    let json = choice & 1 != 0;
    let options = Options {
        out: PathBuf::from("out"),
        format: if json { Format::Json } else { Format::Toml },
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
