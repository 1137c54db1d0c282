//! What a rule found: a rule, a severity, a message at a span, and what else
//! the reader needs (the other half of a contradiction, related locations in
//! other files, a help line, a fix).

use std::borrow::Cow;
use std::sync::Arc;

use crate::source::{SourceFile, Span};
use crate::vicidial::RecordKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A secondary label in the finding's own file.
#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// Another place, possibly in another file, that takes part in the finding.
#[derive(Debug, Clone)]
pub struct Related {
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning the author evidently intended; `--fix` applies it.
    Safe,
    /// Probably right, but the user must confirm intent.
    Unsafe,
}

/// Replace `length` bytes at `offset` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    pub offset: usize,
    pub length: usize,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Self {
            offset: span.start,
            length: span.len(),
            replacement: replacement.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(edit: Edit) -> Self {
        Self {
            applicability: Applicability::Safe,
            edits: vec![edit],
        }
    }

    pub fn unsafe_(edit: Edit) -> Self {
        Self {
            applicability: Applicability::Unsafe,
            edits: vec![edit],
        }
    }
}

/// The record a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub key: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: Arc<SourceFile>,
    pub span: Span,
    /// Text of the primary label; the message is used when empty.
    pub label: Cow<'static, str>,
    pub labels: Vec<Label>,
    pub related: Vec<Related>,
    /// Most labels and helps are fixed texts: borrowed, not copied into
    /// every finding.
    pub help: Option<Cow<'static, str>>,
    pub record: Option<RecordRef>,
    /// The record's field the finding is on (`status`), when it is on one;
    /// filled in after the rules ran, from the primary span.
    pub field: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            message: message.into(),
            file: Arc::clone(file),
            span,
            label: Cow::Borrowed(""),
            labels: Vec::new(),
            related: Vec::new(),
            help: None,
            record: None,
            field: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_related(
        mut self,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file: Arc::clone(file),
            span,
            message: message.into(),
        });
        self
    }

    /// Overrides the rule's default severity for this finding (a rule whose
    /// cases differ in weight, such as a note beside an error).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_record(mut self, kind: RecordKind, key: impl Into<String>) -> Self {
        self.record = Some(RecordRef {
            kind,
            key: key.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Whether `--fix` fixes it: it carries a safe fix.
    pub fn is_fixable(&self) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|fix| fix.applicability == Applicability::Safe)
    }

    /// Every span the finding points at, each with the file it is in: the
    /// primary span, the secondary labels, related locations and fix edits.
    /// Property tests and fuzz targets check each lies inside its file on
    /// character boundaries.
    pub fn spans(&self) -> Vec<(&SourceFile, Span)> {
        let file: &SourceFile = &self.file;
        let mut spans = vec![(file, self.span)];
        spans.extend(self.labels.iter().map(|label| (file, label.span)));
        spans.extend(
            self.related
                .iter()
                .map(|related| (&*related.file, related.span)),
        );
        if let Some(fix) = &self.fix {
            spans.extend(fix.edits.iter().map(|edit| {
                (
                    file,
                    Span::new(edit.offset, edit.offset.saturating_add(edit.length)),
                )
            }));
        }
        spans
    }

    /// The files whose secrets the finding's texts are masked with: its own
    /// and those of its related locations, each once (related locations are
    /// often in the finding's own file).
    pub fn files(&self) -> Vec<&SourceFile> {
        let mut files = Vec::new();
        self.files_into(&mut files);
        files
    }

    /// [`Finding::files`] in `files`, emptied first: a list reused from
    /// one finding to the next.
    pub fn files_into<'f>(&'f self, files: &mut Vec<&'f SourceFile>) {
        files.clear();
        files.push(&self.file);
        for related in &self.related {
            if !files.iter().any(|file| std::ptr::eq(*file, &*related.file)) {
                files.push(&related.file);
            }
        }
    }

    /// A stable identity that survives unrelated edits: rule, file (relative
    /// to the project root, so the same from any directory), record key and
    /// field, never the line. Baselines match findings by it.
    pub fn fingerprint(&self) -> String {
        let path = self.file.relative();
        let (kind, key) = self
            .record
            .as_ref()
            .map_or(("", ""), |r| (r.kind.singular(), r.key.as_str()));
        let field = self.field.as_deref().unwrap_or("");
        use std::hash::Hasher;
        // Each part ends with a NUL, so that parts cannot run into each other.
        let mut hash = crate::text::hash::Fnv::default();
        for part in [self.rule, path, kind, key, field] {
            hash.write(part.as_bytes());
            hash.write(&[0]);
        }
        format!("{:016x}", hash.finish())
    }

    /// The order findings are shown in: by file, then position, then rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &'static str) {
        (&self.file.name, self.span.start, self.span.end, self.rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(span: Span, field: Option<&str>) -> Finding {
        let file = Arc::new(SourceFile::new(
            "a.toml".into(),
            "a.toml".into(),
            "x".repeat(100),
        ));
        let mut f = Finding::new("inactive-admin", Severity::Error, &file, span, "m")
            .with_record(RecordKind::Phone, "gs102@10.10.10.15");
        f.field = field.map(str::to_owned);
        f
    }

    #[test]
    fn fingerprints_ignore_position_and_severity() {
        let a = finding(Span::new(1, 5), Some("status"));
        let mut b = finding(Span::new(60, 70), Some("status"));
        b.severity = Severity::Warning;
        b.message = "other words".into();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 16);
        assert_ne!(
            a.fingerprint(),
            finding(Span::new(1, 5), Some("active")).fingerprint()
        );
        let mut elsewhere = a.clone();
        elsewhere.file = Arc::new(
            SourceFile::new("a.toml".into(), "a.toml".into(), "x".repeat(100))
                .with_relative(Some("sub/a.toml".into())),
        );
        assert_ne!(a.fingerprint(), elsewhere.fingerprint());
        // FNV-1a of the NUL-terminated parts, checked independently: baselines
        // are committed, so this must not change between builds or platforms.
        assert_eq!(a.fingerprint(), "9acd1ee4f6096369");
    }
}
