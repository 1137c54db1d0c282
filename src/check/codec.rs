//! A file's own findings as bytes, to be set aside (see spill.rs) while the
//! rest of the check runs and read back when they are reported: every
//! finding a file's rules make is about that file alone, so the file is
//! not written, and is given back when they are read.

use std::borrow::Cow;
use std::sync::Arc;

use crate::model::{Applicability, Edit, Finding, Fix, Label, RecordRef, Related, Severity};
use crate::rules::RULES;
use crate::source::{SourceFile, Span};
use crate::vicidial::RecordKind;

/// Appends `findings` (all located in `file`, as are their related
/// locations) to `out`; gives back those that are not (none, from the rules
/// of one file) to be kept whole.
pub fn encode(file: &Arc<SourceFile>, findings: Vec<Finding>, out: &mut Vec<u8>) -> Vec<Finding> {
    let mut whole = Vec::new();
    for finding in findings {
        let own = Arc::ptr_eq(&finding.file, file)
            && finding.related.iter().all(|r| Arc::ptr_eq(&r.file, file));
        match rule_number(finding.rule) {
            Some(rule) if own => write_finding(out, rule, &finding),
            _ => whole.push(finding),
        }
    }
    whole
}

/// The findings [`encode`] wrote to `bytes`, located in `file`; `None` if
/// the bytes are not what it wrote.
pub fn decode(file: &Arc<SourceFile>, bytes: &[u8]) -> Option<Vec<Finding>> {
    let mut reader = Reader { bytes, at: 0 };
    let mut findings = Vec::new();
    while reader.at < bytes.len() {
        findings.push(reader.finding(file)?);
    }
    Some(findings)
}

fn rule_number(name: &str) -> Option<u16> {
    let position = RULES.iter().position(|rule| rule.meta().name == name)?;
    u16::try_from(position).ok()
}

fn write_number(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn write_size(out: &mut Vec<u8>, n: usize) {
    write_number(out, u64::try_from(n).unwrap_or(u64::MAX));
}

fn write_text(out: &mut Vec<u8>, text: &str) {
    write_size(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn write_span(out: &mut Vec<u8>, span: Span) {
    write_size(out, span.start);
    write_size(out, span.end);
}

fn write_finding(out: &mut Vec<u8>, rule: u16, finding: &Finding) {
    write_number(out, u64::from(rule));
    out.push(match finding.severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    });
    write_text(out, &finding.message);
    write_span(out, finding.span);
    write_text(out, &finding.label);
    write_size(out, finding.labels.len());
    for label in &finding.labels {
        write_span(out, label.span);
        write_text(out, &label.message);
    }
    write_size(out, finding.related.len());
    for related in &finding.related {
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
            write_size(out, fix.edits.len());
            for edit in &fix.edits {
                write_size(out, edit.offset);
                write_size(out, edit.length);
                write_text(out, &edit.replacement);
            }
        }
        None => out.push(0),
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn number(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn size(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    fn text(&mut self) -> Option<String> {
        let length = self.size()?;
        let bytes = self.bytes.get(self.at..self.at.checked_add(length)?)?;
        self.at += length;
        String::from_utf8(bytes.to_vec()).ok()
    }

    fn span(&mut self) -> Option<Span> {
        Some(Span::new(self.size()?, self.size()?))
    }

    /// A count of items that each take at least one byte: never more than
    /// the bytes left.
    fn count(&mut self) -> Option<usize> {
        let count = self.size()?;
        (count <= self.bytes.len().saturating_sub(self.at)).then_some(count)
    }

    fn finding(&mut self, file: &Arc<SourceFile>) -> Option<Finding> {
        let rule = RULES
            .get(usize::try_from(self.number()?).ok()?)?
            .meta()
            .name;
        let severity = match self.byte()? {
            0 => Severity::Info,
            1 => Severity::Warning,
            2 => Severity::Error,
            _ => return None,
        };
        let message = self.text()?;
        let span = self.span()?;
        let mut finding = Finding::new(rule, severity, file, span, message);
        finding.label = Cow::Owned(self.text()?);
        for _ in 0..self.count()? {
            let span = self.span()?;
            let message = self.text()?;
            finding.labels.push(Label { span, message });
        }
        for _ in 0..self.count()? {
            let span = self.span()?;
            let message = self.text()?;
            finding.related.push(Related {
                file: Arc::clone(file),
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
        assert!(encode(&file, findings.clone(), &mut bytes).is_empty());
        let back = decode(&file, &bytes).unwrap();
        assert_eq!(format!("{back:?}"), format!("{findings:?}"));
        // Cut short anywhere, the bytes are refused, never misread.
        for end in 0..bytes.len() {
            assert!(decode(&file, &bytes[..end]).is_none_or(|back| back.len() < 3));
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
        assert_eq!(encode(&file, vec![elsewhere, unknown], &mut bytes).len(), 2);
        assert!(bytes.is_empty());
    }
}
