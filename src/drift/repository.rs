//! The repository's side: every definition under the paths given, read as
//! `check` reads it (the same discovery, include/exclude and defensive
//! reader) but kept whole, since every column is compared.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::load_file;
use crate::config::Config;
use crate::discover::discover;
use crate::load::Problem;
use crate::model::LoadedFile;
use crate::scope;

/// The definition files read, and what kept some from being read whole.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Definition files, in path order.
    pub files: Vec<LoadedFile>,
    /// Problems of phonelint's own operation (exit code 2): paths that do
    /// not exist, files that cannot be read or parsed whole.
    pub errors: Vec<String>,
    /// Definition-named paths not read (links, FIFOs): notes.
    pub skipped: Vec<String>,
    /// The repository root: github and SARIF paths are relative to it.
    pub root: Option<PathBuf>,
}

/// Reads the definitions under `paths` (files, or directories walked).
pub fn load(paths: &[PathBuf], cwd: &Path, root: Option<&Path>, config: &Config) -> Loaded {
    let root = match root {
        Some(root) => Some(scope::absolute(root, cwd)),
        None => paths
            .first()
            .and_then(|first| scope::find_root(&scope::absolute(first, cwd))),
    };
    let mut discovered = discover(paths, cwd);
    discovered
        .files
        .retain(|file| paths.contains(&file.path) || config.selects(&file.path));
    let base = root.as_deref().unwrap_or(cwd);
    let results: Vec<Result<LoadedFile, String>> = discovered
        .files
        .par_iter()
        .map(|file| {
            let repo_path = scope::relative_name(&scope::absolute(&file.path, cwd), base);
            load_file(file, repo_path)
        })
        .collect();
    let mut loaded = Loaded {
        errors: discovered.errors.iter().map(ToString::to_string).collect(),
        skipped: discovered.skipped.iter().map(ToString::to_string).collect(),
        root,
        ..Loaded::default()
    };
    for result in results {
        match result {
            Ok(file) if file.document.is_definition || !file.document.problems.is_empty() => {
                if let Some(problem) = unreadable(&file) {
                    loaded.errors.push(problem);
                }
                if file.document.is_definition {
                    loaded.files.push(file);
                }
            }
            Ok(_) => {}
            Err(error) => loaded.errors.push(error),
        }
    }
    loaded
}

/// Why a file's records are not all there, if they are not: a syntax error
/// (its damaged records are not compared), a file not read at all, a
/// section that is not an array of tables. A duplicate key is not such a
/// problem: the record holds the value VICIdial would get.
fn unreadable(file: &LoadedFile) -> Option<String> {
    let problem = file
        .document
        .problems
        .iter()
        .find(|problem| !matches!(problem, Problem::DuplicateKey { .. }))?;
    let at = |offset: usize| {
        let position = file.source.line_column(offset);
        format!("{}:{}:{}", file.source.name, position.line, position.column)
    };
    let what = match problem {
        Problem::Syntax { span, .. } => format!("{}: a syntax error", at(span.start)),
        Problem::NotUtf8 { offset } => format!("{}: not UTF-8", at(*offset)),
        Problem::Binary { offset } => format!("{}: binary content", at(*offset)),
        Problem::GitCrypt => format!("{}: encrypted by git-crypt", file.source.name),
        Problem::TooLarge { .. } => format!("{}: too large to be read", file.source.name),
        Problem::TooDeep { offset, .. } => format!("{}: nested too deep", at(*offset)),
        Problem::SectionNotArray { span, kind, .. } => {
            format!("{}: `{}` is not an array", at(span.start), kind.section())
        }
        Problem::RecordNotTable { span, .. } => {
            format!("{}: a record is not a table", at(span.start))
        }
        Problem::DuplicateKey { .. } => return None,
    };
    Some(format!(
        "{what}; its records are not all compared (`phonelint check {}` shows why)",
        file.source.name
    ))
}
