//! Applying fixes: the stage after the rules. The edits of the findings' fixes
//! are collected per file and applied to the text that was read (a
//! non-overlapping subset; the rest stays reported), and the result is written
//! atomically. Only the bytes an edit covers change.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::files::read::{ReadError, is_link_refused, open_regular, read_opened};
use crate::files::write::replace_file;
use crate::load::{Format, Problem, load_str};
use crate::model::{Applicability, Edit, Finding};
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
    /// The rule of each finding whose fix is applied.
    pub rules: Vec<&'static str>,
}

/// Why a file with fixes is not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// The file did not parse: its spans cannot be trusted.
    ParseError,
    /// sops encrypted the file: its MAC covers every value, so a change made
    /// without sops makes it refuse to decrypt the file.
    SopsEncrypted,
    /// The path is a symbolic link: phonelint never writes through one.
    Symlink,
    NotRegularFile,
    /// No write permission is set on it: someone protected it.
    ReadOnly,
    /// Another process held a lock on it (another `--fix` writing it) for
    /// longer than [`LOCK_WAIT`].
    Locked,
    /// The file on disk differs from what was read.
    Changed,
    Io(String),
}

impl Skip {
    /// A parse error is already a finding, and a sops file is left to sops
    /// (its findings stay reported); the others are phonelint's own failures
    /// to do what was asked (exit code 2).
    pub fn is_error(&self) -> bool {
        !matches!(self, Skip::ParseError | Skip::SopsEncrypted)
    }
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::ParseError => f.write_str("the file has a parse error"),
            Skip::SopsEncrypted => f.write_str(
                "it is encrypted with sops, whose MAC covers every value: a change made without sops would make sops refuse to decrypt it; edit it with sops",
            ),
            Skip::Symlink => {
                f.write_str("it is a symbolic link (fix the file it points to instead)")
            }
            Skip::NotRegularFile => f.write_str("it is not a regular file"),
            Skip::ReadOnly => f.write_str(
                "it is read-only (phonelint does not replace a file without write permission)",
            ),
            Skip::Locked => write!(
                f,
                "another process held a lock on it for {} seconds",
                LOCK_WAIT.as_secs()
            ),
            Skip::Changed => f.write_str("it changed on disk since it was read"),
            Skip::Io(error) => write!(f, "{error}"),
        }
    }
}

/// Fixes of a file left out because the text with them would not load
/// cleanly (a key written twice, a syntax error): the findings stay reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub fixes: usize,
    /// What the text with them would have held.
    pub reasons: Vec<String>,
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "left out {} fix{}: {}",
            self.fixes,
            if self.fixes == 1 { "" } else { "es" },
            self.reasons.join("; ")
        )
    }
}

/// What the fixes of one check would change.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<FixedFile>,
    pub skipped: Vec<(Arc<SourceFile>, Skip)>,
    /// Fixes left out of a file because they would break it.
    pub left_out: Vec<(Arc<SourceFile>, LeftOut)>,
    /// Unsafe fixes left out because they were not asked for.
    pub unsafe_left: usize,
}

/// Collects the fixes of `findings`: safe ones, and unsafe ones too if asked.
pub fn plan<'f>(findings: impl IntoIterator<Item = &'f Finding>, unsafe_fixes: bool) -> Plan {
    let mut by_file: BTreeMap<&str, (&Arc<SourceFile>, Vec<RuleFix<'_>>)> = BTreeMap::new();
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
            .push((finding.rule, &fix.edits));
    }
    for (file, fixes) in by_file.into_values() {
        if !file.parsed {
            result.skipped.push((Arc::clone(file), Skip::ParseError));
            continue;
        }
        let format =
            Format::from_path(&file.path).or_else(|| Format::from_path(Path::new(&file.name)));
        let before = format.map(|format| load_str(&file.text, format));
        if before.as_ref().is_some_and(encrypted_by_sops) {
            result.skipped.push((Arc::clone(file), Skip::SopsEncrypted));
            continue;
        }
        let broken_before = before.map_or(0, |document| broken(&document).len());
        let (fixed, left_out) = apply(file, fixes, format, broken_before);
        if let Some(left_out) = left_out {
            result.left_out.push((Arc::clone(file), left_out));
        }
        if let Some(fixed) = fixed {
            result.files.push(fixed);
        }
    }
    result
}

/// How many times a file's fixes are narrowed down before all are left out.
const VERIFY_ROUNDS: usize = 3;

/// A finding's fix: its rule and its edits.
type RuleFix<'f> = (&'static str, &'f [Edit]);

/// Applies the fixes that fit (each fix's edits all or none; a fix that
/// overlaps one already taken is skipped, an identical edit counts as
/// taken), then loads the fixed text: a fix whose edit makes a key appear
/// twice or the text fail to parse is left out and the rest applied again.
/// `broken_before` counts what the text read holds that a fix must never
/// write (see [`broken`]).
fn apply(
    file: &Arc<SourceFile>,
    mut rule_fixes: Vec<RuleFix<'_>>,
    format: Option<Format>,
    broken_before: usize,
) -> (Option<FixedFile>, Option<LeftOut>) {
    rule_fixes.sort_by_key(|(_, edits)| edits.first().map(|e| (e.offset, e.length)));
    let (rules, fixes): (Vec<&'static str>, Vec<&[Edit]>) = rule_fixes.into_iter().unzip();
    let mut excluded = vec![false; fixes.len()];
    let mut reasons: Vec<String> = Vec::new();
    let left_out = |excluded: &[bool], reasons: Vec<String>| {
        let fixes = excluded.iter().filter(|x| **x).count();
        (fixes > 0).then_some(LeftOut { fixes, reasons })
    };
    for round in 0..=VERIFY_ROUNDS {
        let Some(selection) = select(&file.text, &fixes, &excluded) else {
            return (None, left_out(&excluded, reasons));
        };
        let Some(remap) = Remap::new(&file.text, &selection.edits) else {
            return (None, left_out(&excluded, reasons));
        };
        if remap.text == file.text {
            return (None, left_out(&excluded, reasons));
        }
        let Some(format) = format else {
            let text = remap.text;
            return (
                Some(selection.into_fixed(file, text, &rules)),
                left_out(&excluded, reasons),
            );
        };
        let problems = broken(&load_str(&remap.text, format));
        // Each problem an edit touches is that edit's doing.
        let mut culprits: Vec<usize> = Vec::new();
        for (reason, spans) in &problems {
            // The first of the problem's places that an edit touches: for a
            // key written twice, the second (so the first rename stays).
            let touching = spans
                .iter()
                .map(|span| remap.edits_touching(*span))
                .find(|edits| !edits.is_empty())
                .unwrap_or_default();
            let owners: Vec<usize> = touching
                .flat_map(|edit| selection.owners.get(edit).into_iter().flatten().copied())
                .collect();
            if !owners.is_empty() && !reasons.contains(reason) {
                reasons.push(reason.clone());
            }
            culprits.extend(owners);
        }
        let untouched_and_new = culprits.is_empty() && problems.len() > broken_before;
        if culprits.is_empty() && !untouched_and_new {
            let text = remap.text;
            return (
                Some(selection.into_fixed(file, text, &rules)),
                left_out(&excluded, reasons),
            );
        }
        if untouched_and_new || round == VERIFY_ROUNDS {
            // Not narrowed down to some fixes: none is applied.
            for reason in problems.into_iter().map(|(reason, _)| reason) {
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
            excluded.iter_mut().for_each(|x| *x = true);
            return (None, left_out(&excluded, reasons));
        }
        for culprit in culprits {
            if let Some(x) = excluded.get_mut(culprit) {
                *x = true;
            }
        }
    }
    (None, left_out(&excluded, reasons))
}

/// The file holds sops's metadata: a top-level `sops` key.
fn encrypted_by_sops(document: &crate::load::Document) -> bool {
    document.other_keys.iter().any(|key| key.key == "sops")
}

/// What a loaded text holds that a fix must never write: each problem with
/// the spans it is located at, the one to blame first.
fn broken(document: &crate::load::Document) -> Vec<(String, Vec<Span>)> {
    document
        .problems
        .iter()
        .filter_map(|problem| match problem {
            Problem::Syntax { span, .. } => {
                Some(("the fixed text would not parse".to_owned(), vec![*span]))
            }
            Problem::DuplicateKey {
                key, first, second, ..
            } => Some((
                format!(
                    "the key `{}` would be written twice",
                    crate::text::escape::escape_controls(key)
                ),
                std::iter::once(*second).chain(*first).collect(),
            )),
            _ => None,
        })
        .collect()
}

/// The edits taken from a file's fixes, sorted and non-overlapping.
struct Selection {
    edits: Vec<Edit>,
    /// For each edit, the fixes it belongs to (identical edits are shared).
    owners: Vec<Vec<usize>>,
    /// The fixes taken.
    taken: Vec<usize>,
}

impl Selection {
    /// The fixed file; `rules` holds the rule of each fix.
    fn into_fixed(self, file: &Arc<SourceFile>, text: String, rules: &[&'static str]) -> FixedFile {
        FixedFile {
            file: Arc::clone(file),
            edits: self.edits,
            text,
            fixes: self.taken.len(),
            rules: self
                .taken
                .iter()
                .filter_map(|index| rules.get(*index).copied())
                .collect(),
        }
    }
}

/// Takes each fix (sorted by its first edit) whose edits are valid and do
/// not overlap those taken; `None` when none is.
fn select(text: &str, fixes: &[&[Edit]], excluded: &[bool]) -> Option<Selection> {
    // By offset: an edit and the fixes it belongs to.
    let mut accepted: BTreeMap<usize, (&Edit, Vec<usize>)> = BTreeMap::new();
    let mut taken = Vec::new();
    for (index, edits) in fixes.iter().enumerate() {
        if excluded.get(index).copied().unwrap_or(true) || !valid(text, edits) {
            continue;
        }
        let mut new: Vec<&Edit> = Vec::new();
        let mut shared: Vec<usize> = Vec::new();
        let mut clash = false;
        for edit in edits.iter() {
            match accepted.get(&edit.offset) {
                Some((taken, _)) if *taken == edit => shared.push(edit.offset),
                _ if overlaps_any(&accepted, edit) => clash = true,
                _ => new.push(edit),
            }
        }
        if clash {
            continue;
        }
        for offset in shared {
            if let Some((_, owners)) = accepted.get_mut(&offset) {
                owners.push(index);
            }
        }
        for edit in new {
            accepted.insert(edit.offset, (edit, vec![index]));
        }
        taken.push(index);
    }
    if accepted.is_empty() {
        return None;
    }
    let (edits, owners) = accepted
        .into_values()
        .map(|(edit, owners)| (edit.clone(), owners))
        .unzip();
    Some(Selection {
        edits,
        owners,
        taken,
    })
}

/// A fix's edits lie inside the text on character boundaries and do not
/// overlap one another.
fn valid(text: &str, edits: &[Edit]) -> bool {
    if edits.is_empty() {
        return false;
    }
    let inside = edits.iter().all(|edit| {
        let end = edit.offset.saturating_add(edit.length);
        end <= text.len() && text.is_char_boundary(edit.offset) && text.is_char_boundary(end)
    });
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.offset, e.length));
    inside
        && sorted.windows(2).all(|pair| match pair {
            [a, b] => !overlaps(a, b),
            _ => true,
        })
}

/// Whether `edit` overlaps an accepted edit: the accepted edits do not
/// overlap one another, so only its neighbours need asking.
fn overlaps_any(accepted: &BTreeMap<usize, (&Edit, Vec<usize>)>, edit: &Edit) -> bool {
    let before = accepted.range(..=edit.offset).next_back();
    let after = accepted.range(edit.offset..).next();
    before
        .into_iter()
        .chain(after)
        .any(|(_, (taken, _))| overlaps(taken, edit))
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.offset == b.offset || (a.offset < b.offset + b.length && b.offset < a.offset + a.length)
}

/// The fixed text and the map between its offsets and those of the text
/// read.
#[derive(Debug)]
pub struct Remap<'e> {
    edits: &'e [Edit],
    /// Where each edit's replacement starts in the fixed text.
    new_starts: Vec<usize>,
    pub text: String,
}

impl<'e> Remap<'e> {
    /// Applies sorted, non-overlapping edits that lie inside `text` on
    /// character boundaries (`None` otherwise).
    pub fn new(text: &str, edits: &'e [Edit]) -> Option<Self> {
        let mut fixed = String::with_capacity(text.len());
        let mut new_starts = Vec::with_capacity(edits.len());
        let mut at = 0;
        for edit in edits {
            fixed.push_str(text.get(at..edit.offset)?);
            new_starts.push(fixed.len());
            fixed.push_str(&edit.replacement);
            at = edit.offset.checked_add(edit.length)?;
        }
        fixed.push_str(text.get(at..)?);
        Some(Self {
            edits,
            new_starts,
            text: fixed,
        })
    }

    /// Where a span of the text read is in the fixed text; a span an edit
    /// cuts into grows to cover the edit's replacement.
    pub fn forward(&self, span: Span) -> Span {
        Span::new(
            self.forward_offset(span.start, false),
            self.forward_offset(span.end, true),
        )
    }

    /// Where a span of the fixed text was in the text read; a span that
    /// cuts into a replacement grows to cover what it replaced.
    pub fn back(&self, span: Span) -> Span {
        Span::new(
            self.back_offset(span.start, false),
            self.back_offset(span.end, true),
        )
    }

    fn new_end(&self, i: usize) -> usize {
        let start = self.new_starts.get(i).copied().unwrap_or(0);
        start + self.edits.get(i).map_or(0, |e| e.replacement.len())
    }

    /// The change in length made by the first `count` edits.
    fn delta(&self, count: usize) -> isize {
        match count.checked_sub(1) {
            None => 0,
            Some(last) => {
                let old_end = self.edits.get(last).map_or(0, |e| e.offset + e.length);
                self.new_end(last) as isize - old_end as isize
            }
        }
    }

    fn forward_offset(&self, offset: usize, to_end: bool) -> usize {
        let before = self
            .edits
            .partition_point(|e| e.offset + e.length <= offset);
        if let Some(edit) = self.edits.get(before)
            && edit.offset < offset
        {
            let start = self.new_starts.get(before).copied().unwrap_or(0);
            return if to_end {
                start + edit.replacement.len()
            } else {
                start
            };
        }
        offset.saturating_add_signed(self.delta(before))
    }

    fn back_offset(&self, offset: usize, to_end: bool) -> usize {
        let before = self.count_where(|i| self.new_end(i) <= offset);
        if let Some(edit) = self.edits.get(before)
            && self
                .new_starts
                .get(before)
                .is_some_and(|start| *start < offset)
        {
            return if to_end {
                edit.offset + edit.length
            } else {
                edit.offset
            };
        }
        offset.saturating_add_signed(-self.delta(before))
    }

    /// How many edits, from the first, satisfy `holds` (which holds for a
    /// prefix of them): a binary search.
    fn count_where(&self, holds: impl Fn(usize) -> bool) -> usize {
        let (mut low, mut high) = (0, self.edits.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if holds(mid) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// The indices of the edits whose replacement meets `span` of the fixed
    /// text (touching counts).
    fn edits_touching(&self, span: Span) -> std::ops::Range<usize> {
        let first = self.count_where(|i| self.new_end(i) < span.start);
        let mut last = first;
        while last < self.edits.len()
            && self
                .new_starts
                .get(last)
                .is_some_and(|start| *start <= span.end)
        {
            last += 1;
        }
        first..last
    }
}

/// Checks that `file` may be written: a regular file, not a symbolic link,
/// not read-only, holding exactly the bytes that were read.
pub fn verify(file: &SourceFile) -> Result<std::fs::Metadata, Skip> {
    let (opened, meta) = open_for_fixing(file)?;
    holds_what_was_read(&opened, file)?;
    Ok(meta)
}

/// Opens the file to fix without following a link or blocking, and checks
/// what it is.
fn open_for_fixing(file: &SourceFile) -> Result<(std::fs::File, std::fs::Metadata), Skip> {
    let opened = open_regular(&file.path).map_err(|error| {
        if is_link_refused(&error) {
            Skip::Symlink
        } else {
            Skip::Io(error.to_string())
        }
    })?;
    let meta = opened.metadata().map_err(|e| Skip::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(Skip::NotRegularFile);
    }
    if meta.permissions().readonly() {
        return Err(Skip::ReadOnly);
    }
    Ok((opened, meta))
}

/// The opened file holds the bytes that were read (reading at most one
/// byte more than those).
fn holds_what_was_read(opened: &std::fs::File, file: &SourceFile) -> Result<(), Skip> {
    let limit = u64::try_from(file.text.len()).unwrap_or(u64::MAX);
    match read_opened(opened, limit) {
        Ok(bytes) if bytes == file.text.as_bytes() => Ok(()),
        Ok(_) | Err(ReadError::TooLarge { .. }) => Err(Skip::Changed),
        Err(ReadError::NotRegular | ReadError::Link) => Err(Skip::NotRegularFile),
        Err(ReadError::Io(error)) => Err(Skip::Io(error.to_string())),
    }
}

/// How long a fix waits for another process's lock on a file.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Writes the fixed text. The file is opened (never through a link) and
/// locked (`flock`, as another `--fix` locks it), then, under the lock, its
/// path must still name that file and it must hold what was read: two runs
/// fixing one file cannot lose an update. The text goes to a temporary file
/// in the same directory, with the file's permissions, owner and group, and
/// is renamed over it (a rename replaces a symbolic link that appeared
/// meanwhile; it never writes through one).
pub fn write(fixed: &FixedFile) -> Result<(), Skip> {
    let (opened, meta) = open_for_fixing(&fixed.file)?;
    lock(&opened)?;
    same_file(&fixed.file.path, &meta)?;
    holds_what_was_read(&opened, &fixed.file)?;
    replace_file(&fixed.file.path, fixed.text.as_bytes(), Some(&meta))
        .map_err(|error| Skip::Io(error.to_string()))
    // The lock goes with `opened`, after the rename.
}

/// The path still names the file that was opened (not a link, not a file
/// renamed over it since).
fn same_file(path: &Path, opened: &std::fs::Metadata) -> Result<(), Skip> {
    let now = std::fs::symlink_metadata(path).map_err(|_| Skip::Changed)?;
    if now.file_type().is_symlink() {
        return Err(Skip::Symlink);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (now.dev(), now.ino()) != (opened.dev(), opened.ino()) {
            return Err(Skip::Changed);
        }
    }
    #[cfg(not(unix))]
    let _ = opened;
    Ok(())
}

/// Takes an exclusive `flock` on the opened file, waiting up to
/// [`LOCK_WAIT`]. A file system without locks is written without one (the
/// checks under it still run).
#[cfg(unix)]
fn lock(file: &std::fs::File) -> Result<(), Skip> {
    use std::os::unix::io::AsRawFd;
    let started = std::time::Instant::now();
    loop {
        // SAFETY: flock only reads the descriptor, which `file` keeps open.
        let result = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if result == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        match error.raw_os_error() {
            Some(libc::EWOULDBLOCK) if started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Some(libc::EWOULDBLOCK) => return Err(Skip::Locked),
            Some(libc::EINTR) => {}
            Some(libc::ENOLCK | libc::EOPNOTSUPP) => return Ok(()),
            _ => return Err(Skip::Io(error.to_string())),
        }
    }
}

#[cfg(not(unix))]
fn lock(_: &std::fs::File) -> Result<(), Skip> {
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
    /// Fixes left out of files because they would break them, by display name.
    pub left_out: Vec<(String, LeftOut)>,
    /// Unsafe fixes left in the last check.
    pub unsafe_left: usize,
    /// What was fixed: findings fixed per file (by display name) and rule,
    /// sorted.
    pub fixed: BTreeMap<(String, &'static str), usize>,
}

/// The most passes `fix_until_stable` makes: a fix may make another one
/// applicable (an overlapping fix left out of a pass, for one).
pub const MAX_PASSES: usize = 10;

/// Runs `check`, applies its fixes and runs it again, until no fix applies,
/// so that a second `--fix` changes nothing. Returns the last check's outcome:
/// the findings that remain. A file that could not be written is not tried
/// again in later passes (it is reported once).
pub fn fix_until_stable(
    mut check: impl FnMut() -> crate::model::Outcome,
    unsafe_fixes: bool,
) -> (crate::model::Outcome, Applied) {
    let mut applied = Applied::default();
    let mut written: Vec<String> = Vec::new();
    let mut failed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut outcome = check();
    for _ in 0..MAX_PASSES {
        let plan = plan(outcome.fixable(), unsafe_fixes);
        applied.unsafe_left = plan.unsafe_left;
        for (file, skip) in plan.skipped {
            remember(&mut applied.skipped, &file.name, skip);
        }
        for (file, left_out) in plan.left_out {
            if !applied
                .left_out
                .iter()
                .any(|(name, seen)| *name == file.name && *seen == left_out)
            {
                applied.left_out.push((file.name.clone(), left_out));
            }
        }
        let mut progress = false;
        for fixed in &plan.files {
            if failed.contains(&fixed.file.name) {
                continue;
            }
            match write(fixed) {
                Ok(()) => {
                    progress = true;
                    // Read afresh and fixed in this pass: no longer skipped.
                    applied
                        .skipped
                        .retain(|(name, skip)| *name != fixed.file.name || *skip != Skip::Changed);
                    applied.fixes += fixed.fixes;
                    for rule in &fixed.rules {
                        *applied
                            .fixed
                            .entry((fixed.file.name.clone(), rule))
                            .or_default() += 1;
                    }
                    if !written.contains(&fixed.file.name) {
                        written.push(fixed.file.name.clone());
                    }
                }
                Err(skip) => {
                    if skip != Skip::Changed {
                        failed.insert(fixed.file.name.clone());
                    }
                    remember(&mut applied.skipped, &fixed.file.name, skip);
                }
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
    use crate::model::{Fix, Severity};

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
    fn a_file_sops_encrypted_is_left_to_sops() {
        let text = "{\"phones\": [{\"active\": \"y\"}], \"sops\": {\"mac\": \"ENC[x]\"}}\n";
        let f = Arc::new(SourceFile::new(
            "x.json".into(),
            "x.json".into(),
            text.to_owned(),
        ));
        let at = text.find("\"y\"").unwrap();
        let plan = plan(&[finding(&f, Fix::safe(edit(at, 3, "\"Y\"")))], false);
        assert!(plan.files.is_empty());
        let skip = &plan.skipped.first().unwrap().1;
        assert_eq!(*skip, Skip::SopsEncrypted);
        assert!(!skip.is_error());
        // Without the key, the same fix applies.
        let plain = text.replace("\"sops\"", "\"note\"");
        let f = Arc::new(SourceFile::new("x.json".into(), "x.json".into(), plain));
        let plan = super::plan(&[finding(&f, Fix::safe(edit(at, 3, "\"Y\"")))], false);
        assert_eq!(plan.files.len(), 1);
    }

    #[test]
    fn spans_follow_the_edits() {
        let edits = [edit(2, 2, "abcd"), edit(10, 4, "")];
        let remap = Remap::new("0123456789abcdefgh", &edits).unwrap();
        assert_eq!(remap.text, "01abcd456789efgh");
        let forward = |start, end| remap.forward(Span::new(start, end));
        assert_eq!(forward(0, 2), Span::new(0, 2));
        assert_eq!(forward(5, 8), Span::new(7, 10));
        // A span an edit cuts into covers the replacement.
        assert_eq!(forward(3, 6), Span::new(2, 8));
        assert_eq!(forward(16, 18), Span::new(14, 16));
        // And back: a span cutting into a replacement covers what it replaced.
        let back = |start, end| remap.back(Span::new(start, end));
        assert_eq!(back(0, 2), Span::new(0, 2));
        assert_eq!(back(7, 10), Span::new(5, 8));
        assert_eq!(back(3, 5), Span::new(2, 4));
        assert_eq!(back(14, 16), Span::new(16, 18));
        assert_eq!(remap.edits_touching(Span::new(0, 1)), 0..0);
        assert_eq!(remap.edits_touching(Span::new(5, 6)), 0..1);
        assert_eq!(remap.edits_touching(Span::new(6, 12)), 0..2);
    }
}
