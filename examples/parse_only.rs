//! Benchmark reference: discover and load every definition file the way
//! `phonelint check` does (same walker, same parallel read and parse), but run
//! no rule and render nothing. The gap between this and `phonelint --format
//! json` is the cost of the rules, the cross-file pass and the report.
//!
//! ```sh
//! cargo run --release --example parse_only -- DIR...
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;

use phonelint::discover::discover;
use phonelint::load::{self, Document};

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            eprintln!("parse_only: cannot read the current directory: {error}");
            return ExitCode::from(2);
        }
    };
    let workspace = phonelint::workspace::Workspace::isolated(&cwd);
    let discovered = discover(&workspace, &paths, &[]);
    let loaded: Vec<Result<(usize, usize, usize), String>> = discovered
        .files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(&file.path)
                .map_err(|error| format!("{}: cannot read: {error}", file.name))?;
            let document = match load::decode(&bytes) {
                Ok(text) => load::load_str(text, file.format),
                Err(problem) => Document::from_problem(problem),
            };
            let records = if document.is_definition {
                document.records.len()
            } else {
                0
            };
            Ok((bytes.len(), records, document.problems.len()))
        })
        .collect();
    let (mut bytes, mut records, mut problems, mut errors) = (0, 0, 0, 0);
    for result in loaded {
        match result {
            Ok((b, r, p)) => {
                bytes += b;
                records += r;
                problems += p;
            }
            Err(error) => {
                eprintln!("parse_only: {error}");
                errors += 1;
            }
        }
    }
    println!(
        "{} files, {bytes} bytes, {records} records, {problems} load problems",
        discovered.files.len()
    );
    if errors > 0 || !discovered.errors.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
