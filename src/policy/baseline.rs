//! Baselines: today's findings, frozen so that only new ones are reported.
//! A finding is identified by [`Finding::fingerprint`]: rule, file (relative
//! to the project root), record key and field, never its line, so unrelated
//! edits keep it matched. Entries that match nothing any more are reported
//! (`stale-baseline-entry`) so the baseline only shrinks.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use jsonc_parser::ast;

use crate::files::paths::stays_inside;
use crate::files::read::{MAX_FILE_SIZE, ReadError, read_regular};
use crate::model::Finding;
use crate::rules::RuleMeta;
use crate::source::{SourceFile, Span};
use crate::workspace::Workspace;

/// The file `phonelint baseline` writes by default.
pub const DEFAULT_FILE: &str = "phonelint-baseline.json";
/// The format of the file; changes whenever an older phonelint would misread it.
pub const VERSION: u64 = 1;

const STALE: &RuleMeta = &crate::rules::StaleBaselineEntry::META;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    /// Relative to the project root, `/` separators.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A baseline read from disk.
#[derive(Debug)]
pub struct Baseline {
    pub file: Arc<SourceFile>,
    pub entries: Vec<Entry>,
    /// Where each entry's fingerprint is written, for its stale finding.
    spans: Vec<Span>,
}

/// Why a baseline cannot be used (exit code 2). What is wrong with it is
/// said without quoting it: a pull request may have put anything there.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error(
        "{name}: the baseline is a symbolic link, which phonelint does not follow (see SECURITY.md)"
    )]
    Link { name: String },
    #[error("{name}: the baseline is not a regular file")]
    NotRegular { name: String },
    #[error("{name}: the baseline is too large to read ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { name: String, size: u64, limit: u64 },
    #[error("{name}: cannot read the baseline: {error}")]
    Unreadable { name: String, error: std::io::Error },
    #[error("{name}: not a phonelint baseline: it is not UTF-8 text")]
    NotUtf8 { name: String },
    #[error(
        "{name}: the way to the baseline named in {origin} goes through a symbolic link, which phonelint does not follow (see SECURITY.md)"
    )]
    BehindLink { name: String, origin: String },
    #[error("{name}:{line}:{column}: not a phonelint baseline: {problem}")]
    Malformed {
        name: String,
        line: usize,
        column: usize,
        problem: String,
    },
}

/// Why a baseline was not written (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "it is a symbolic link, which phonelint does not write through (see SECURITY.md); remove it or name another file with -o"
    )]
    Link,
    #[error("it is not a regular file")]
    NotRegular,
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
}

impl Entry {
    fn of(finding: &Finding) -> Self {
        Self {
            fingerprint: finding.fingerprint(),
            rule: finding.rule.to_owned(),
            path: finding.file.relative().to_owned(),
            record: finding.record.as_ref().map(|r| r.key.clone()),
            field: finding.field.clone(),
        }
    }
}

/// The baseline file for `findings`: one entry per line, sorted, so that a
/// change to it reads well in review.
pub fn render(findings: &[Finding]) -> String {
    render_with(findings, Vec::new())
}

/// [`render`], with the entries `kept` of a baseline written before (those
/// of the paths a run did not look at).
pub fn render_with(findings: &[Finding], kept: Vec<Entry>) -> String {
    let mut entries = kept;
    entries.extend(findings.iter().map(Entry::of));
    entries.sort_by(|a, b| {
        (&a.path, &a.record, &a.rule, &a.field).cmp(&(&b.path, &b.record, &b.rule, &b.field))
    });
    let lines: Vec<String> = entries
        .iter()
        .filter_map(|entry| serde_json::to_string(entry).ok())
        .map(|line| format!("    {line}"))
        .collect();
    let body = if lines.is_empty() {
        String::new()
    } else {
        format!("\n{}\n  ", lines.join(",\n"))
    };
    format!("{{\n  \"version\": {VERSION},\n  \"findings\": [{body}]\n}}\n")
}

/// Whether the file of an entry (its path from the project root) lies
/// under one of `scopes`, paths from the root too (`""` or `.` is the root).
pub fn covered(path: &str, scopes: &[String]) -> bool {
    scopes.iter().any(|scope| {
        let scope = scope.trim_end_matches('/');
        scope.is_empty()
            || scope == "."
            || path == scope
            || path
                .strip_prefix(scope)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

impl Baseline {
    /// Reads the baseline at `path` (as given: relative to the current
    /// directory). It is read like a definition file (a regular file, never
    /// through a link, at most [`MAX_FILE_SIZE`]).
    pub fn load(path: &Path, workspace: &Workspace) -> Result<Self, BaselineError> {
        let name = workspace.name(path);
        let bytes = read_regular(&workspace.cwd.join(path), MAX_FILE_SIZE).map_err(|error| {
            let name = name.clone();
            match error {
                ReadError::Link => BaselineError::Link { name },
                ReadError::NotRegular => BaselineError::NotRegular { name },
                ReadError::TooLarge { size, limit } => {
                    BaselineError::TooLarge { name, size, limit }
                }
                ReadError::Io(error) => BaselineError::Unreadable { name, error },
            }
        })?;
        let relative = workspace.relative(path, &name);
        Self::from_bytes(workspace.cwd.join(path), name, relative, bytes)
    }

    /// A baseline from the bytes of the file at `path`, shown as `name`
    /// (`relative` to the root when that differs).
    pub fn from_bytes(
        path: PathBuf,
        name: String,
        relative: Option<String>,
        bytes: Vec<u8>,
    ) -> Result<Self, BaselineError> {
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(BaselineError::NotUtf8 { name });
        };
        let file = SourceFile::new(path, name, text).with_relative(relative);
        let (entries, spans) = parse(&file.text).map_err(|(problem, span)| {
            let at = file.line_column(span.start);
            BaselineError::Malformed {
                name: file.name.clone(),
                line: at.line,
                column: at.column,
                problem,
            }
        })?;
        Ok(Self {
            file: Arc::new(file),
            entries,
            spans,
        })
    }
}

/// What is wrong with a baseline, and where.
type Malformed = (String, Span);

/// The entries of a baseline's text and the span of each one's fingerprint,
/// read from the syntax tree (so that entries sharing a fingerprint each
/// point at their own line, in one pass). Messages describe what was
/// expected, never the value found.
fn parse(text: &str) -> Result<(Vec<Entry>, Vec<Span>), Malformed> {
    const SHAPE: &str = "expected {\"version\": 1, \"findings\": [...]}";
    let root = crate::load::parse_json(text)
        .map_err(|(message, span)| (format!("invalid JSON ({message})"), span))?;
    let Some(ast::Value::Object(root)) = root else {
        return Err((SHAPE.to_owned(), Span::new(0, 0)));
    };
    let whole = span_of(root.range);
    let mut version = None;
    let mut findings = None;
    for property in root.properties {
        match property.name.as_str() {
            "version" => version = Some(property.value),
            "findings" => findings = Some(property.value),
            _ => {}
        }
    }
    match version {
        Some(ast::Value::NumberLit(number)) => match number.value.parse::<u64>() {
            Ok(VERSION) => {}
            Ok(other) => {
                return Err((
                    format!(
                        "baseline version {other} is not {VERSION}; write it again with `phonelint baseline`"
                    ),
                    span_of(number.range),
                ));
            }
            Err(_) => {
                return Err((format!("`version` is not {VERSION}"), span_of(number.range)));
            }
        },
        Some(other) => return Err((format!("`version` is not {VERSION}"), value_span(&other))),
        None => return Err((format!("no `version` ({SHAPE})"), whole)),
    }
    let items = match findings {
        Some(ast::Value::Array(array)) => array.elements,
        Some(other) => return Err(("`findings` is not an array".to_owned(), value_span(&other))),
        None => return Err((format!("no `findings` ({SHAPE})"), whole)),
    };
    let mut entries = Vec::with_capacity(items.len());
    let mut spans = Vec::with_capacity(items.len());
    for item in items {
        let ast::Value::Object(object) = item else {
            return Err((
                "an entry of `findings` is not an object".to_owned(),
                value_span(&item),
            ));
        };
        let (entry, span) = entry(object)?;
        entries.push(entry);
        spans.push(span);
    }
    Ok((entries, spans))
}

/// One entry of `findings`, and the span of its fingerprint.
fn entry(object: ast::Object<'_>) -> Result<(Entry, Span), Malformed> {
    let whole = span_of(object.range);
    let mut fingerprint = None;
    let mut rule = None;
    let mut path = None;
    let mut record = None;
    let mut field = None;
    for property in object.properties {
        let name = property.name.as_str().to_owned();
        let slot = match name.as_str() {
            "fingerprint" => &mut fingerprint,
            "rule" => &mut rule,
            "path" => &mut path,
            "record" => &mut record,
            "field" => &mut field,
            _ => continue,
        };
        *slot = match property.value {
            ast::Value::StringLit(string) => {
                Some((string.value.into_owned(), span_of(string.range)))
            }
            ast::Value::NullKeyword(_) if matches!(name.as_str(), "record" | "field") => None,
            other => {
                return Err((format!("`{name}` is not a string"), value_span(&other)));
            }
        };
    }
    let required = |value: Option<(String, Span)>, name: &str| {
        value.ok_or_else(|| (format!("an entry without `{name}`"), whole))
    };
    let (fingerprint, span) = required(fingerprint, "fingerprint")?;
    let (rule, _) = required(rule, "rule")?;
    let (path, path_span) = required(path, "path")?;
    if !stays_inside(&path) {
        return Err((
            "the entry's path is outside the repository (absolute, empty or climbing with `..`): a baseline names files relative to the project root"
                .to_owned(),
            path_span,
        ));
    }
    let entry = Entry {
        fingerprint,
        rule,
        path,
        record: record.map(|(value, _)| value),
        field: field.map(|(value, _)| value),
    };
    Ok((entry, span))
}

fn span_of(range: jsonc_parser::common::Range) -> Span {
    Span::new(range.start, range.end)
}

fn value_span(value: &ast::Value<'_>) -> Span {
    use jsonc_parser::common::Ranged;
    span_of(value.range())
}

/// Whether `relative` (inside the repository, see [`stays_inside`])
/// names something under `root` that a walk would reach: no component is a
/// symbolic link (a link is not followed, so what lies behind it is never
/// looked at).
fn reachable(root: &Path, relative: &str) -> bool {
    let mut path = root.to_path_buf();
    for component in Path::new(relative).components() {
        path.push(component);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if !meta.file_type().is_symlink() => {}
            _ => return false,
        }
    }
    true
}

/// Where the baseline the configuration names is (`None` when it names
/// none): under the project root, reached through no symbolic link. The
/// configuration comes with the pull request; a link on the way could lead
/// phonelint to read a file elsewhere on the machine, or `phonelint
/// baseline` to write one there. The file itself is checked when it is read
/// or written (never a link either).
pub fn configured_path(workspace: &Workspace) -> Result<Option<PathBuf>, BaselineError> {
    let setting = &workspace.config.baseline;
    let Some(relative) = &setting.value else {
        return Ok(None);
    };
    let path = workspace.root.join(relative);
    let mut on_the_way = workspace.root.clone();
    let parents = Path::new(relative)
        .parent()
        .into_iter()
        .flat_map(Path::components);
    for component in parents {
        on_the_way.push(component);
        if std::fs::symlink_metadata(&on_the_way).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Err(BaselineError::BehindLink {
                name: workspace.name(&path),
                origin: setting.origin.to_string(),
            });
        }
    }
    Ok(Some(path))
}

/// Writes a baseline: never through a symbolic link or into something that
/// is not a regular file, and atomically (a temporary file beside it,
/// renamed over it), so a failed write leaves the old baseline whole.
pub fn write(path: &Path, text: &str) -> Result<(), WriteError> {
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(WriteError::Link),
        Ok(meta) if !meta.is_file() => return Err(WriteError::NotRegular),
        Ok(meta) => Some(meta),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(WriteError::Io(error)),
    };
    crate::files::write::replace_file(path, text.as_bytes(), existing.as_ref())?;
    Ok(())
}

/// The entries of a baseline that no finding has matched yet: each entry
/// matches one finding, in the order findings are given (findings with one
/// fingerprint are all of one file, so files may be given side by side).
#[derive(Debug)]
pub struct Matcher<'b> {
    baseline: &'b Baseline,
    /// Each fingerprint's unmatched entries, the first last.
    open: Mutex<HashMap<&'b str, Vec<usize>>>,
}

impl<'b> Matcher<'b> {
    pub fn new(baseline: &'b Baseline) -> Self {
        let mut open: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, entry) in baseline.entries.iter().enumerate().rev() {
            open.entry(entry.fingerprint.as_str()).or_default().push(i);
        }
        Self {
            baseline,
            open: Mutex::new(open),
        }
    }

    /// Takes the findings the baseline holds out of `findings` and returns
    /// them.
    pub fn absorb(&self, findings: &mut Vec<Finding>) -> Vec<Finding> {
        if findings.is_empty() {
            return Vec::new();
        }
        let fingerprints: Vec<String> = findings.iter().map(Finding::fingerprint).collect();
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let mut fingerprints = fingerprints.iter();
        let (new, held): (Vec<Finding>, Vec<Finding>) =
            std::mem::take(findings).into_iter().partition(|_| {
                fingerprints
                    .next()
                    .and_then(|fingerprint| open.get_mut(fingerprint.as_str()))
                    .and_then(Vec::pop)
                    .is_none()
            });
        *findings = new;
        held
    }

    /// A `stale-baseline-entry` finding for every entry that matched
    /// nothing, if its file was checked or no longer exists.
    pub fn stale(self, root: &Path, checked: &HashSet<String>) -> Vec<Finding> {
        let open = self
            .open
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        stale(self.baseline, root, checked, open)
    }
}

fn stale(
    baseline: &Baseline,
    root: &Path,
    checked: &HashSet<String>,
    open: HashMap<&str, Vec<usize>>,
) -> Vec<Finding> {
    let mut unmatched: Vec<usize> = open.into_values().flatten().collect();
    unmatched.sort_unstable();
    unmatched
        .into_iter()
        .filter_map(|i| Some((baseline.entries.get(i)?, baseline.spans.get(i).copied()?)))
        .filter(|(entry, _)| checked.contains(&entry.path) || !reachable(root, &entry.path))
        .map(|(entry, span)| {
            let place = match (&entry.record, &entry.field) {
                (Some(record), Some(field)) => format!(" on `{record}` field `{field}`"),
                (Some(record), None) => format!(" on `{record}`"),
                _ => String::new(),
            };
            Finding::new(
                STALE.name,
                STALE.severity,
                &baseline.file,
                span,
                format!(
                    "stale baseline entry: `{}` no longer reported in {}{place}",
                    entry.rule, entry.path
                ),
            )
            .with_label("matches no finding")
            .with_help("run `phonelint baseline` again to drop it: the baseline only shrinks")
        })
        .collect()
}
