//! The repository's side: every definition under the paths given, read as
//! `check` reads it (the same workspace, discovery, include/exclude and
//! defensive reader) but kept whole, since every column is compared.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::check::load_file;
use crate::discover::discover;
use crate::load::Problem;
use crate::model::{LoadedFile, Note, RunError};
use crate::workspace::Workspace;

/// The definition files read, and what kept some from being read whole.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Definition files, in path order.
    pub files: Vec<LoadedFile>,
    /// Problems of phonelint's own operation (exit code 2): paths that do
    /// not exist, files that cannot be read or parsed whole.
    pub errors: Vec<RunError>,
    /// Definition-named paths not read (links, FIFOs): notes.
    pub notes: Vec<Note>,
}

/// Reads the definitions under `paths` (files, or directories walked).
pub fn load(workspace: &Workspace, paths: &[PathBuf]) -> Loaded {
    let mut discovered = discover(workspace, paths, &[]);
    discovered
        .files
        .retain(|file| paths.contains(&file.path) || workspace.config.selects(file.relative()));
    let results: Vec<Result<LoadedFile, RunError>> =
        discovered.files.into_par_iter().map(load_file).collect();
    let mut loaded = Loaded {
        errors: discovered.errors,
        notes: discovered.notes,
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
fn unreadable(file: &LoadedFile) -> Option<RunError> {
    let problem = file
        .document
        .problems
        .iter()
        .find(|problem| !matches!(problem, Problem::DuplicateKey { .. }))?;
    let at = |offset: usize| {
        let position = file.source.line_column(offset);
        format!("{}:{}:{}", file.source.name, position.line, position.column)
    };
    let whole = || file.source.name.clone();
    let (at, what) = match problem {
        Problem::Syntax { span, .. } => (at(span.start), "a syntax error".to_owned()),
        Problem::NotUtf8 { offset } => (at(*offset), "not UTF-8".to_owned()),
        Problem::Binary { offset } => (at(*offset), "binary content".to_owned()),
        Problem::GitCrypt => (whole(), "encrypted by git-crypt".to_owned()),
        Problem::TooLarge { .. } => (whole(), "too large to be read".to_owned()),
        Problem::TooDeep { offset, .. } => (at(*offset), "nested too deep".to_owned()),
        Problem::SectionNotArray { span, kind, .. } => (
            at(span.start),
            format!("`{}` is not an array", kind.section()),
        ),
        Problem::RecordNotTable { span, .. } => {
            (at(span.start), "a record is not a table".to_owned())
        }
        Problem::DuplicateKey { .. } => return None,
    };
    Some(RunError::NotComparedWhole {
        at,
        what,
        path: file.source.name.clone(),
    })
}
