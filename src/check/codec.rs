//! Findings as bytes, to be set aside (see spill.rs) while the rest of the
//! check runs and read back when they are reported: a few hundred bytes of
//! structures and small allocations become a hundred or so bytes. A file
//! is written as a number that whoever reads the bytes back turns into the
//! file again (a file's own findings are all in that file: number 0). A
//! text already written to the same bytes (a rule's help, a label, the
//! message of a related location) is written as how far back it is.

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

/// Bytes findings are written to, and where each text long enough to be
/// worth it was first written there, by its hash.
#[derive(Debug, Default)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    texts: HashMap<u64, usize, FnvBuild>,
}

/// Texts shorter than this are written again: a reference would not be
/// much shorter.
const SHORTEST_SHARED: usize = 8;

/// The texts written whole that a later one may refer to, at most: the texts
/// that repeat (helps, labels) repeat soon, and a map of every message of a
/// million findings would no longer fit the processor's caches.
const TEXTS_REMEMBERED: usize = 4096;

/// About how many bytes a finding of a file's own takes, encoded (see
/// [`Encoded::with_room`]).
const BYTES_A_FINDING: usize = 192;

impl Encoded {
    /// Room for about `findings` findings made at once: the bytes and the map
    /// of texts grew by doubling, a few times for every file with findings
    /// (the map alone cost more than the texts it was asked about).
    pub fn with_room(findings: usize) -> Self {
        Encoded {
            bytes: Vec::with_capacity(findings.saturating_mul(BYTES_A_FINDING)),
            texts: HashMap::with_capacity_and_hasher(
                findings.saturating_mul(4).min(TEXTS_REMEMBERED),
                FnvBuild::default(),
            ),
        }
    }

    /// Writes `text`: its length (doubled) and its bytes, or, when the same
    /// text was written before, how far back that is (doubled, plus one).
    fn text(&mut self, text: &str) {
        let here = self.bytes.len();
        if text.len() >= SHORTEST_SHARED {
            // Eight bytes at a time: FNV-1a's byte at a time was most of
            // the time a finding took to encode (its texts are long).
            let hash = crate::text::hash::digest(text.as_bytes());
            if let Some(&earlier) = self.texts.get(&hash)
                && literal_at(&self.bytes, earlier) == Some(text.as_bytes())
            {
                put_size(&mut self.bytes, (here - earlier) * 2 + 1);
                return;
            }
            if self.texts.len() >= TEXTS_REMEMBERED {
                self.texts.clear();
            }
            self.texts.insert(hash, here);
        }
        put_size(&mut self.bytes, text.len() * 2);
        self.bytes.extend_from_slice(text.as_bytes());
    }
}

/// The bytes of the text written whole at `at`, if one is.
fn literal_at(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let mut reader = bytes::Reader::new(bytes.get(at..)?);
    let tag = reader.size()?;
    if tag % 2 != 0 {
        return None;
    }
    reader.take(tag / 2)
}

/// Appends `finding` to `out`, or gives it back when it cannot be written
/// (a file with no number, a rule outside the registry).
pub fn encode(finding: Finding, refer: &Refer<'_>, out: &mut Encoded) -> Option<Finding> {
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
    out: &mut Encoded,
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
/// if the bytes are not what it wrote. `expected`: how many were written,
/// to size the list once (more or fewer are read all the same).
pub fn decode_all(file: &Arc<SourceFile>, bytes: &[u8], expected: usize) -> Option<Vec<Finding>> {
    let own = |number: u32| (number == 0).then(|| Arc::clone(file));
    // At most one finding a byte: a damaged count cannot reserve more.
    let mut findings = Vec::with_capacity(expected.min(bytes.len()));
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
    let mut reader = Reader {
        inner: bytes::Reader::new(bytes.get(at..)?),
        all: bytes,
        start: at,
    };
    let finding = reader.finding(resolve)?;
    Some((finding, at + reader.inner.at()))
}

fn rule_number(name: &str) -> Option<u16> {
    static NUMBERS: LazyLock<HashMap<&'static str, u16, FnvBuild>> = LazyLock::new(|| {
        (RULES.iter().enumerate())
            .filter_map(|(n, rule)| Some((rule.meta().name, u16::try_from(n).ok()?)))
            .collect()
    });
    NUMBERS.get(name).copied()
}

fn write_text(out: &mut Encoded, text: &str) {
    out.text(text);
}

fn write_span(out: &mut Encoded, span: Span) {
    put_size(&mut out.bytes, span.start);
    put_size(&mut out.bytes, span.end);
}

/// `refer` gives a number to each file of the finding.
fn write_finding(out: &mut Encoded, rule: u16, refer: &Refer<'_>, finding: &Finding) {
    let number = |file: &Arc<SourceFile>| u64::from(refer(file).unwrap_or_default());
    put_number(&mut out.bytes, u64::from(rule));
    put_number(&mut out.bytes, number(&finding.file));
    out.bytes.push(match finding.severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    });
    write_text(out, &finding.message);
    write_span(out, finding.span);
    write_text(out, &finding.label);
    put_size(&mut out.bytes, finding.labels.len());
    for label in &finding.labels {
        write_span(out, label.span);
        write_text(out, &label.message);
    }
    put_size(&mut out.bytes, finding.related.len());
    for related in &finding.related {
        put_number(&mut out.bytes, number(&related.file));
        write_span(out, related.span);
        write_text(out, &related.message);
    }
    match &finding.help {
        Some(help) => {
            out.bytes.push(1);
            write_text(out, help);
        }
        None => out.bytes.push(0),
    }
    match &finding.record {
        Some(record) => {
            out.bytes.push(match record.kind {
                RecordKind::Phone => 1,
                RecordKind::Alias => 2,
                RecordKind::Server => 3,
            });
            write_text(out, &record.key);
        }
        None => out.bytes.push(0),
    }
    match &finding.field {
        Some(field) => {
            out.bytes.push(1);
            write_text(out, field);
        }
        None => out.bytes.push(0),
    }
    match &finding.fix {
        Some(fix) => {
            out.bytes.push(match fix.applicability {
                Applicability::Safe => 1,
                Applicability::Unsafe => 2,
            });
            put_size(&mut out.bytes, fix.edits.len());
            for edit in &fix.edits {
                put_size(&mut out.bytes, edit.offset);
                put_size(&mut out.bytes, edit.length);
                write_text(out, &edit.replacement);
            }
        }
        None => out.bytes.push(0),
    }
}

/// Reads what [`write_finding`] wrote, in `all` from `start` on.
struct Reader<'b> {
    inner: bytes::Reader<'b>,
    all: &'b [u8],
    start: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        self.inner.byte()
    }

    fn number(&mut self) -> Option<u64> {
        self.inner.number()
    }

    fn size(&mut self) -> Option<usize> {
        self.inner.size()
    }

    /// A text as [`Encoded::text`] wrote it: whole, or as how far back it
    /// was written whole.
    fn text(&mut self) -> Option<String> {
        let here = self.start + self.inner.at();
        let tag = self.size()?;
        let bytes = if tag % 2 == 0 {
            self.inner.take(tag / 2)?
        } else {
            let back = tag / 2;
            (back > 0).then_some(())?;
            literal_at(self.all, here.checked_sub(back)?)?
        };
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }

    fn span(&mut self) -> Option<Span> {
        Some(Span::new(self.size()?, self.size()?))
    }

    /// A count of items that each take at least one byte: never more than
    /// the bytes left.
    fn count(&mut self) -> Option<usize> {
        self.inner.count(1)
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
        .with_help(format!("help, long enough to be written once {}", 7))
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
        let mut encoded = Encoded::default();
        assert!(encode_own(&file, findings.clone(), &mut encoded).is_empty());
        let bytes = encoded.bytes;
        let back = decode_all(&file, &bytes, 3).unwrap();
        assert_eq!(format!("{back:?}"), format!("{findings:?}"));
        // Cut short anywhere, the bytes are refused, never misread; damaged,
        // never a panic.
        for end in 0..bytes.len() {
            assert!(decode_all(&file, &bytes[..end], 3).is_none_or(|back| back.len() < 3));
        }
        for at in 0..bytes.len() {
            for flip in [1u8, 2, 0x40, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                let _ = decode_all(&file, &damaged, 3);
            }
        }
        // The second finding written alike refers to the first one's texts.
        let mut once = Encoded::default();
        encode_own(&file, findings[..1].to_vec(), &mut once);
        let mut twice = Encoded::default();
        encode_own(&file, vec![findings[0].clone(); 2], &mut twice);
        assert!(twice.bytes.len() < once.bytes.len() * 2 - 30);
        let back = decode_all(&file, &twice.bytes, 2).unwrap();
        assert_eq!(format!("{back:?}"), format!("{:?}", vec![&findings[0]; 2]));
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
        let mut encoded = Encoded::default();
        let kept_whole = encode_own(&file, vec![elsewhere.clone(), unknown], &mut encoded);
        assert_eq!(kept_whole.len(), 2);
        assert!(encoded.bytes.is_empty());
        // Across files, each file by its number.
        let across = elsewhere.with_related(&file, Span::new(1, 2), "here");
        let files = [Arc::clone(&file), other];
        let refer = |f: &Arc<SourceFile>| {
            (files.iter())
                .position(|g| Arc::ptr_eq(f, g))
                .and_then(|n| u32::try_from(n).ok())
        };
        let resolve = |n: u32| files.get(usize::try_from(n).ok()?).cloned();
        let mut encoded = Encoded {
            bytes: vec![9],
            ..Encoded::default()
        };
        assert!(encode(across.clone(), &refer, &mut encoded).is_none());
        let bytes = encoded.bytes;
        let (back, end) = decode(&bytes, 1, &resolve).unwrap();
        assert_eq!(end, bytes.len());
        assert_eq!(format!("{back:?}"), format!("{across:?}"));
        assert!(decode(&bytes, 1, &|_| None).is_none());
    }

    /// Past the texts remembered, texts are written whole again, and still
    /// shared from then on: every finding comes back as written.
    #[test]
    fn many_texts_come_back_whole() {
        let file = Arc::new(SourceFile::new(
            "a.toml".into(),
            "a.toml".into(),
            "x".repeat(10),
        ));
        let help = "a help written once in a while";
        let findings: Vec<Finding> = (0..TEXTS_REMEMBERED * 2 + 10)
            .map(|n| {
                Finding::new(
                    "inactive-admin",
                    Severity::Error,
                    &file,
                    Span::new(0, 1),
                    format!("message number {n}"),
                )
                .with_help(help)
            })
            .collect();
        let mut encoded = Encoded::default();
        assert!(encode_own(&file, findings.clone(), &mut encoded).is_empty());
        let whole = encoded
            .bytes
            .windows(help.len())
            .filter(|w| *w == help.as_bytes());
        assert!((2..=4).contains(&whole.count()));
        let back = decode_all(&file, &encoded.bytes, findings.len()).unwrap();
        assert_eq!(format!("{back:?}"), format!("{findings:?}"));
    }
}
