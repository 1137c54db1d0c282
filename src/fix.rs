//! Applying fixes: the stage after the rules. The edits of the findings' fixes
//! are collected per file and applied to the text that was read (a
//! non-overlapping subset; the rest stays reported), and the result is written
//! atomically. Only the bytes an edit covers change.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use crate::finding::{Applicability, Edit, Finding};
use crate::source::{SourceFile, Span};

/// One file's fixed text.
#[derive(Debug)]
pub struct FixedFile {
    pub file: Arc<SourceFile>,
    /// The accepted edits, sorted and non-overlapping, in offsets of the text read.
    pub edits: Vec<Edit>,
    pub text: String,
    /// Findings whose fix is applied.
    pub fixes: usize,
}

/// Why a file with fixes is not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// The file did not parse: its spans cannot be trusted.
    ParseError,
    /// The path is a symbolic link: phonelint never writes through one.
    Symlink,
    NotRegularFile,
    /// The file on disk differs from what was read.
    Changed,
    Io(String),
}

impl Skip {
    /// A parse error is already a finding; the others are phonelint's own
    /// failures to do what was asked (exit code 2).
    pub fn is_error(&self) -> bool {
        *self != Skip::ParseError
    }
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::ParseError => f.write_str("the file has a parse error"),
            Skip::Symlink => {
                f.write_str("it is a symbolic link (fix the file it points to instead)")
            }
            Skip::NotRegularFile => f.write_str("it is not a regular file"),
            Skip::Changed => f.write_str("it changed on disk since it was read"),
            Skip::Io(error) => write!(f, "{error}"),
        }
    }
}

/// What the fixes of one check would change.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<FixedFile>,
    pub skipped: Vec<(Arc<SourceFile>, Skip)>,
    /// Unsafe fixes left out because they were not asked for.
    pub unsafe_left: usize,
}

/// Collects the fixes of `findings`: safe ones, and unsafe ones too if asked.
pub fn plan(findings: &[Finding], unsafe_fixes: bool) -> Plan {
    let mut by_file: BTreeMap<&str, (&Arc<SourceFile>, Vec<&[Edit]>)> = BTreeMap::new();
    let mut result = Plan::default();
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        if fix.applicability == Applicability::Unsafe && !unsafe_fixes {
            result.unsafe_left += 1;
            continue;
        }
        by_file
            .entry(&finding.file.name)
            .or_insert_with(|| (&finding.file, Vec::new()))
            .1
            .push(&fix.edits);
    }
    for (file, fixes) in by_file.into_values() {
        if !file.parsed {
            result.skipped.push((Arc::clone(file), Skip::ParseError));
            continue;
        }
        if let Some(fixed) = apply(file, fixes) {
            result.files.push(fixed);
        }
    }
    result
}

/// Applies the fixes that fit: each fix's edits all or none, skipping a fix
/// that overlaps one already taken (an identical edit counts as taken).
fn apply(file: &Arc<SourceFile>, mut fixes: Vec<&[Edit]>) -> Option<FixedFile> {
    fixes.sort_by_key(|edits| edits.first().map(|e| (e.offset, e.length)));
    let mut accepted: Vec<Edit> = Vec::new();
    let mut count = 0;
    for edits in fixes {
        let valid = !edits.is_empty()
            && edits.iter().all(|edit| {
                let end = edit.offset.saturating_add(edit.length);
                end <= file.text.len()
                    && file.text.is_char_boundary(edit.offset)
                    && file.text.is_char_boundary(end)
            })
            && edits
                .iter()
                .enumerate()
                .all(|(i, a)| edits.iter().skip(i + 1).all(|b| !overlaps(a, b)));
        if !valid {
            continue;
        }
        let new: Vec<&Edit> = edits.iter().filter(|e| !accepted.contains(e)).collect();
        if new.iter().any(|e| accepted.iter().any(|a| overlaps(a, e))) {
            continue;
        }
        accepted.extend(new.into_iter().cloned());
        count += 1;
    }
    accepted.sort_by_key(|e| e.offset);
    let mut text = String::with_capacity(file.text.len());
    let mut at = 0;
    for edit in &accepted {
        text.push_str(file.text.get(at..edit.offset)?);
        text.push_str(&edit.replacement);
        at = edit.offset + edit.length;
    }
    text.push_str(file.text.get(at..)?);
    (text != file.text).then(|| FixedFile {
        file: Arc::clone(file),
        edits: accepted,
        text,
        fixes: count,
    })
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.offset == b.offset || (a.offset < b.offset + b.length && b.offset < a.offset + a.length)
}

/// Where a span of the text read is in the fixed text; a span an edit cuts
/// into grows to cover the edit's replacement.
pub fn map_span(edits: &[Edit], span: Span) -> Span {
    Span::new(
        map_offset(edits, span.start, false),
        map_offset(edits, span.end, true),
    )
}

/// Where an offset of the text read is in the fixed text: an offset strictly
/// inside an edit maps to the start (or, `to_end`, the end) of its replacement.
fn map_offset(edits: &[Edit], offset: usize, to_end: bool) -> usize {
    let mut delta: isize = 0;
    for edit in edits {
        let edit_end = edit.offset + edit.length;
        if edit_end <= offset {
            delta += edit.replacement.len() as isize - edit.length as isize;
        } else if edit.offset < offset {
            let start = edit.offset.saturating_add_signed(delta);
            return if to_end {
                start + edit.replacement.len()
            } else {
                start
            };
        } else {
            break;
        }
    }
    offset.saturating_add_signed(delta)
}

/// Checks that `file` may be written: a regular file, not a symbolic link,
/// holding exactly the bytes that were read. Returns its permissions.
pub fn verify(file: &SourceFile) -> Result<std::fs::Permissions, Skip> {
    let io = |error: std::io::Error| Skip::Io(error.to_string());
    let metadata = std::fs::symlink_metadata(&file.path).map_err(io)?;
    if metadata.file_type().is_symlink() {
        return Err(Skip::Symlink);
    }
    if !metadata.is_file() {
        return Err(Skip::NotRegularFile);
    }
    let on_disk = std::fs::read(&file.path).map_err(io)?;
    if on_disk != file.text.as_bytes() {
        return Err(Skip::Changed);
    }
    Ok(metadata.permissions())
}

/// Writes the fixed text: a temporary file in the same directory with the
/// file's permissions, then a rename over the original (a rename replaces a
/// symbolic link that appeared meanwhile; it never writes through one).
pub fn write(fixed: &FixedFile) -> Result<(), Skip> {
    let permissions = verify(&fixed.file)?;
    let io = |error: std::io::Error| Skip::Io(error.to_string());
    let path = &fixed.file.path;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".phonelint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    temporary.write_all(fixed.text.as_bytes()).map_err(io)?;
    temporary
        .as_file()
        .set_permissions(permissions)
        .map_err(io)?;
    temporary.as_file().sync_all().map_err(io)?;
    temporary.persist(path).map_err(|error| io(error.error))?;
    Ok(())
}

/// What `--fix` did over all its passes.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings fixed.
    pub fixes: usize,
    /// Distinct files written.
    pub files: usize,
    /// Files not written, by display name, with the reason.
    pub skipped: Vec<(String, Skip)>,
    /// Unsafe fixes left in the last check.
    pub unsafe_left: usize,
}

/// The most passes `fix_until_stable` makes: a fix may make another one
/// applicable (an overlapping fix left out of a pass, for one).
pub const MAX_PASSES: usize = 10;

/// Runs `check`, applies its fixes and runs it again, until no fix applies,
/// so that a second `--fix` changes nothing. Returns the last check's outcome:
/// the findings that remain.
pub fn fix_until_stable(
    mut check: impl FnMut() -> crate::Outcome,
    unsafe_fixes: bool,
) -> (crate::Outcome, Applied) {
    let mut applied = Applied::default();
    let mut written: Vec<String> = Vec::new();
    let mut outcome = check();
    for _ in 0..MAX_PASSES {
        let plan = plan(&outcome.findings, unsafe_fixes);
        applied.unsafe_left = plan.unsafe_left;
        for (file, skip) in plan.skipped {
            remember(&mut applied.skipped, &file.name, skip);
        }
        let mut progress = false;
        for fixed in &plan.files {
            match write(fixed) {
                Ok(()) => {
                    progress = true;
                    // Read afresh and fixed in this pass: no longer skipped.
                    applied
                        .skipped
                        .retain(|(name, skip)| *name != fixed.file.name || *skip != Skip::Changed);
                    applied.fixes += fixed.fixes;
                    if !written.contains(&fixed.file.name) {
                        written.push(fixed.file.name.clone());
                    }
                }
                Err(skip) => remember(&mut applied.skipped, &fixed.file.name, skip),
            }
        }
        if !progress {
            break;
        }
        outcome = check();
    }
    applied.files = written.len();
    (outcome, applied)
}

fn remember(skipped: &mut Vec<(String, Skip)>, name: &str, skip: Skip) {
    if !skipped.iter().any(|(n, s)| n == name && *s == skip) {
        skipped.push((name.to_owned(), skip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fix, Severity};

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(
            "x.toml".into(),
            "x.toml".into(),
            text.to_owned(),
        ))
    }

    fn finding(file: &Arc<SourceFile>, fix: Fix) -> Finding {
        Finding::new("r", Severity::Error, file, Span::new(0, 0), "m").with_fix(fix)
    }

    fn edit(offset: usize, length: usize, replacement: &str) -> Edit {
        Edit {
            offset,
            length,
            replacement: replacement.to_owned(),
        }
    }

    #[test]
    fn overlapping_fixes_apply_a_subset_and_identical_ones_once() {
        let f = file("a = \"x\"\nb = \"y\"\n");
        let findings = [
            finding(&f, Fix::safe(edit(4, 3, "\"X\""))),
            finding(&f, Fix::safe(edit(4, 3, "\"Z\""))),
            finding(&f, Fix::safe(edit(5, 1, "W"))),
            finding(&f, Fix::safe(edit(12, 3, "\"Y\""))),
            finding(&f, Fix::safe(edit(12, 3, "\"Y\""))),
            finding(&f, Fix::unsafe_(edit(8, 1, "c"))),
            finding(&f, Fix::safe(edit(99, 1, "out of the file"))),
        ];
        let plan = plan(&findings, false);
        assert_eq!(plan.unsafe_left, 1);
        let fixed = plan.files.first().unwrap();
        assert_eq!(fixed.text, "a = \"X\"\nb = \"Y\"\n");
        assert_eq!(fixed.fixes, 3);

        let with_unsafe = super::plan(&findings, true);
        assert_eq!(
            with_unsafe.files.first().unwrap().text,
            "a = \"X\"\nc = \"Y\"\n"
        );
    }

    #[test]
    fn unparsed_files_are_skipped() {
        let f = Arc::new(
            SourceFile::new("x.toml".into(), "x.toml".into(), "a = \"x\"".into())
                .with_parsed(false),
        );
        let plan = plan(&[finding(&f, Fix::safe(edit(4, 3, "\"X\"")))], false);
        assert!(plan.files.is_empty());
        assert_eq!(plan.skipped.first().map(|s| &s.1), Some(&Skip::ParseError));
    }

    #[test]
    fn spans_follow_the_edits() {
        let edits = [edit(2, 2, "abcd"), edit(10, 4, "")];
        assert_eq!(map_span(&edits, Span::new(0, 2)), Span::new(0, 2));
        assert_eq!(map_span(&edits, Span::new(5, 8)), Span::new(7, 10));
        // A span an edit cuts into covers the replacement.
        assert_eq!(map_span(&edits, Span::new(3, 6)), Span::new(2, 8));
        assert_eq!(map_span(&edits, Span::new(16, 18)), Span::new(14, 16));
    }
}
