//! Findings as bytes, to be set aside (see spill.rs) while the rest of the
//! check runs and read back when they are reported: a few hundred bytes of
//! structures and small allocations become a hundred or so bytes. A file
//! is written as a number that whoever reads the bytes back turns into the
//! file again (a file's own findings are all in that file: number 0).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use crate::model::{Applicability, Edit, Finding, Fix, Label, RecordRef, Related, Severity};
use crate::rules::RULES;
use crate::source::{SourceFile, Span};
use crate::text::bytes::{self, put_number, put_size};
use crate::text::hash::FnvBuild;
use crate::vicidial::RecordKind;

/// The number a file is written as, if it can be (see the module's doc).
pub type Refer<'f> = dyn Fn(&Arc<SourceFile>) -> Option<u32> + 'f;

/// The file a number stands for, whole.
pub type Resolve<'f> = dyn Fn(u32) -> Option<Arc<SourceFile>> + 'f;

/// Appends `finding` to `out`, or gives it back when it cannot be written
/// (a file with no number, a rule outside the registry).
pub fn encode(finding: Finding, refer: &Refer<'_>, out: &mut Vec<u8>) -> Option<Finding> {
    let Some(rule) = rule_number(finding.rule) else {
        return Some(finding);
    };
    let mut files =
        std::iter::once(&finding.file).chain(finding.related.iter().map(|related| &related.file));
    if files.any(|file| refer(file).is_none()) {
        return Some(finding);
    }
    write_finding(out, rule, refer, &finding);
    None
}

/// Appends `findings`, all in `file` with every related location, to `out`;
/// gives back those that are not (none, from the rules of one file) to be
/// kept whole. [`decode_all`] reads them back.
pub fn encode_own(
    file: &Arc<SourceFile>,
    findings: Vec<Finding>,
    out: &mut Vec<u8>,
) -> Vec<Finding> {
    let own = |other: &Arc<SourceFile>| Arc::ptr_eq(other, file).then_some(0);
    // Pushed into a new list: collected, the list would reuse (and keep)
    // the allocation of `findings`.
    let mut whole = Vec::new();
    for finding in findings {
        whole.extend(encode(finding, &own, out));
    }
    whole
}

/// Every finding [`encode_own`] wrote to `bytes`, located in `file`; `None`
/// if the bytes are not what it wrote.
pub fn decode_all(file: &Arc<SourceFile>, bytes: &[u8]) -> Option<Vec<Finding>> {
    let own = |number: u32| (number == 0).then(|| Arc::clone(file));
    let mut findings = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (finding, next) = decode(bytes, at, &own)?;
        findings.push(finding);
        at = next;
    }
    Some(findings)
}

/// The finding written at `at` in `bytes`, and where the next starts;
/// `None` if the bytes there are not one [`encode`] wrote, or a file it
/// names cannot be had.
pub fn decode(bytes: &[u8], at: usize, resolve: &Resolve<'_>) -> Option<(Finding, usize)> {
    let mut reader = Reader(bytes::Reader::new(bytes.get(at..)?));
    let finding = reader.finding(resolve)?;
    Some((finding, at + reader.0.at()))
}

fn rule_number(name: &str) -> Option<u16> {
    static NUMBERS: LazyLock<HashMap<&'static str, u16, FnvBuild>> = LazyLock::new(|| {
        (RULES.iter().enumerate())
            .filter_map(|(n, rule)| Some((rule.meta().name, u16::try_from(n).ok()?)))
            .collect()
    });
    NUMBERS.get(name).copied()
}

fn write_text(out: &mut Vec<u8>, text: &str) {
    bytes::put_bytes(out, text.as_bytes());
}

fn write_span(out: &mut Vec<u8>, span: Span) {
    put_size(out, span.start);
    put_size(out, span.end);
}

/// `refer` gives a number to each file of the finding.
fn write_finding(out: &mut Vec<u8>, rule: u16, refer: &Refer<'_>, finding: &Finding) {
    let number = |file: &Arc<SourceFile>| u64::from(refer(file).unwrap_or_default());
    put_number(out, u64::from(rule));
    put_number(out, number(&finding.file));
    out.push(match finding.severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    });
    write_text(out, &finding.message);
    write_span(out, finding.span);
    write_text(out, &finding.label);
    put_size(out, finding.labels.len());
    for label in &finding.labels {
        write_span(out, label.span);
        write_text(out, &label.message);
    }
    put_size(out, finding.related.len());
    for related in &finding.related {
        put_number(out, number(&related.file));
        write_span(out, related.span);
        write_text(out, &related.message);
    }
    match &finding.help {
        Some(help) => {
            out.push(1);
            write_text(out, help);
        }
        None => out.push(0),
    }
    match &finding.record {
        Some(record) => {
            out.push(match record.kind {
                RecordKind::Phone => 1,
                RecordKind::Alias => 2,
                RecordKind::Server => 3,
            });
            write_text(out, &record.key);
        }
        None => out.push(0),
    }
    match &finding.field {
        Some(field) => {
            out.push(1);
            write_text(out, field);
        }
        None => out.push(0),
    }
    match &finding.fix {
        Some(fix) => {
            out.push(match fix.applicability {
                Applicability::Safe => 1,
                Applicability::Unsafe => 2,
            });
            put_size(out, fix.edits.len());
            for edit in &fix.edits {
                put_size(out, edit.offset);
                put_size(out, edit.length);
                write_text(out, &edit.replacement);
            }
        }
        None => out.push(0),
    }
}

struct Reader<'b>(bytes::Reader<'b>);

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        self.0.byte()
    }

    fn number(&mut self) -> Option<u64> {
        self.0.number()
    }

    fn size(&mut self) -> Option<usize> {
        self.0.size()
    }

    fn text(&mut self) -> Option<String> {
        self.0.text().map(str::to_owned)
    }

    fn span(&mut self) -> Option<Span> {
        Some(Span::new(self.size()?, self.size()?))
    }

    /// A count of items that each take at least one byte: never more than
    /// the bytes left.
    fn count(&mut self) -> Option<usize> {
        self.0.count(1)
    }

    fn file(&mut self, resolve: &Resolve<'_>) -> Option<Arc<SourceFile>> {
        resolve(u32::try_from(self.number()?).ok()?)
    }

    fn finding(&mut self, resolve: &Resolve<'_>) -> Option<Finding> {
        let rule = RULES
            .get(usize::try_from(self.number()?).ok()?)?
            .meta()
            .name;
        let file = self.file(resolve)?;
        let severity = match self.byte()? {
            0 => Severity::Info,
            1 => Severity::Warning,
            2 => Severity::Error,
            _ => return None,
        };
        let message = self.text()?;
        let span = self.span()?;
        let mut finding = Finding::new(rule, severity, &file, span, message);
        finding.label = Cow::Owned(self.text()?);
        for _ in 0..self.count()? {
            let span = self.span()?;
            let message = self.text()?;
            finding.labels.push(Label { span, message });
        }
        for _ in 0..self.count()? {
            let file = self.file(resolve)?;
            let span = self.span()?;
            let message = self.text()?;
            finding.related.push(Related {
                file,
                span,
                message,
            });
        }
        if self.byte()? == 1 {
            finding.help = Some(Cow::Owned(self.text()?));
        }
        let kind = match self.byte()? {
            0 => None,
            1 => Some(RecordKind::Phone),
            2 => Some(RecordKind::Alias),
            3 => Some(RecordKind::Server),
            _ => return None,
        };
        if let Some(kind) = kind {
            finding.record = Some(RecordRef {
                kind,
                key: self.text()?,
            });
        }
        if self.byte()? == 1 {
            finding.field = Some(self.text()?);
        }
        let applicability = match self.byte()? {
            0 => None,
            1 => Some(Applicability::Safe),
            2 => Some(Applicability::Unsafe),
            _ => return None,
        };
        if let Some(applicability) = applicability {
            let mut edits = Vec::new();
            for _ in 0..self.count()? {
                edits.push(Edit {
                    offset: self.size()?,
                    length: self.size()?,
                    replacement: self.text()?,
                });
            }
            finding.fix = Some(Fix {
                applicability,
                edits,
            });
        }
        Some(finding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every part of a finding comes back as it was written.
    #[test]
    fn findings_come_back_whole() {
        let file = Arc::new(SourceFile::new(
            "a.toml".into(),
            "a.toml".into(),
            "x".repeat(300),
        ));
        let rich = Finding::new(
            "inactive-admin",
            Severity::Error,
            &file,
            Span::new(3, 200),
            "é m",
        )
        .with_label("label")
        .with_secondary(Span::new(1, 2), "second")
        .with_related(&file, Span::new(250, 260), "there")
        .with_help(format!("help {}", 7))
        .with_record(RecordKind::Alias, "desk")
        .with_fix(Fix {
            applicability: Applicability::Unsafe,
            edits: vec![
                Edit::replace(Span::new(4, 5), "Y"),
                Edit::replace(Span::new(9, 9), ""),
            ],
        });
        let mut with_field = rich.clone();
        with_field.field = Some("status".into());
        let plain = Finding::new("parse-error", Severity::Info, &file, Span::new(0, 0), "");
        let findings = vec![rich, plain, with_field];
        let mut bytes = Vec::new();
        assert!(encode_own(&file, findings.clone(), &mut bytes).is_empty());
        let back = decode_all(&file, &bytes).unwrap();
        assert_eq!(format!("{back:?}"), format!("{findings:?}"));
        // Cut short anywhere, the bytes are refused, never misread.
        for end in 0..bytes.len() {
            assert!(decode_all(&file, &bytes[..end]).is_none_or(|back| back.len() < 3));
        }
        // A finding about another file, or of no known rule, is kept whole.
        let other = Arc::new(SourceFile::new(
            "b.toml".into(),
            "b.toml".into(),
            String::new(),
        ));
        let elsewhere = Finding::new(
            "inactive-admin",
            Severity::Error,
            &other,
            Span::new(0, 0),
            "",
        );
        let unknown = Finding::new("no-such-rule", Severity::Error, &file, Span::new(0, 0), "");
        let mut bytes = Vec::new();
        let kept_whole = encode_own(&file, vec![elsewhere.clone(), unknown], &mut bytes);
        assert_eq!(kept_whole.len(), 2);
        assert!(bytes.is_empty());
        // Across files, each file by its number.
        let across = elsewhere.with_related(&file, Span::new(1, 2), "here");
        let files = [Arc::clone(&file), other];
        let refer = |f: &Arc<SourceFile>| {
            (files.iter())
                .position(|g| Arc::ptr_eq(f, g))
                .and_then(|n| u32::try_from(n).ok())
        };
        let resolve = |n: u32| files.get(usize::try_from(n).ok()?).cloned();
        let mut bytes = vec![9];
        assert!(encode(across.clone(), &refer, &mut bytes).is_none());
        let (back, end) = decode(&bytes, 1, &resolve).unwrap();
        assert_eq!(end, bytes.len());
        assert_eq!(format!("{back:?}"), format!("{across:?}"));
        assert!(decode(&bytes, 1, &|_| None).is_none());
    }
}
