//! The JSON output: a versioned contract documented in the README.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use crate::source::display::mask_secrets;

use crate::model::{Finding, Outcome};
use crate::source::{LineColumn, LineCursor, SourceFile, Span};

/// Bumped on any change that could break a consumer.
pub const VERSION: u32 = 1;

/// Writes the report: the findings of a chunk are located, masked and
/// serialized on all cores, each put in place at the indentation serde_json's
/// pretty printer gives the whole document (the same bytes: strings never
/// hold a raw line break), and written before the next chunk is read.
pub(super) fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write!(
        out,
        "{{\n  \"version\": {VERSION},\n  \"summary\": {},\n  \"diagnostics\": ",
        pretty(&outcome.summary, 2, false)
    )?;
    let mut any = false;
    outcome.chunks(&mut |chunk| {
        let pieces = elements_with(chunk, |finding, out, shown| {
            out.extend_from_slice(b"    ");
            write_diagnostic(out, finding, shown);
        });
        for piece in &pieces {
            any = write_elements(out, piece, any)?;
        }
        Ok(())
    })?;
    out.write_all(if any { b"\n  ]\n}\n" } else { b"[]\n}\n" })
}

/// Writes `finding` as serde_json's pretty printer writes its diagnostic as
/// an element of the document's `diagnostics` (the tests keep serde's derive
/// of it as the oracle), straight into `out`: a report of a million findings
/// spends its time here. What lies between the values (line breaks,
/// indentation, keys) is written a piece at a time, each piece fixed text
/// at its depth. Messages are masked like annotations: rules never quote a
/// credential, and this keeps it so for a JSON report that leaves the
/// machine.
fn write_diagnostic<'f>(out: &mut Vec<u8>, finding: &'f Finding, shown: &mut Shown<'f>) {
    let Shown {
        helps,
        files,
        lines,
    } = shown;
    finding.files_into(files);
    let files = files.as_slice();
    out.extend_from_slice(b"{\n      \"rule\": ");
    write_string(out, finding.rule);
    out.extend_from_slice(b",\n      \"severity\": ");
    write_string(out, finding.severity.as_str());
    out.extend_from_slice(b",\n      \"message\": ");
    write_string(out, &mask_secrets(&finding.message, files));
    out.extend_from_slice(b",\n      \"path\": ");
    write_string(out, &finding.file.name);
    out.extend_from_slice(b",\n      \"span\": ");
    let (start, end) = finding
        .file
        .line_columns_after(finding.span.start, finding.span.end, lines);
    write_span_at(out, finding.span, (start, end), &SPAN_OF_DIAGNOSTIC);
    out.extend_from_slice(b",\n      \"record\": ");
    match &finding.record {
        // As serde writes a `RecordRef` (its kind in lower case).
        Some(record) => {
            out.extend_from_slice(b"{\n        \"kind\": ");
            write_string(out, record.kind.singular());
            out.extend_from_slice(b",\n        \"key\": ");
            write_string(out, &record.key);
            out.extend_from_slice(b"\n      }");
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n      \"help\": ");
    match &finding.help {
        Some(help) => write_string(out, helps.mask(help, files)),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n      \"related\": ");
    if finding.related.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.push(b'[');
        for (n, related) in finding.related.iter().enumerate() {
            let open: &[u8] = b",\n        {\n          \"path\": ";
            out.extend_from_slice(if n == 0 { &open[1..] } else { open });
            write_string(out, &related.file.name);
            out.extend_from_slice(b",\n          \"span\": ");
            write_span(out, &related.file, related.span, &SPAN_OF_RELATED);
            out.extend_from_slice(b",\n          \"message\": ");
            write_string(out, &mask_secrets(&related.message, files));
            out.extend_from_slice(b"\n        }");
        }
        out.extend_from_slice(b"\n      ]");
    }
    out.extend_from_slice(b",\n      \"fix\": ");
    match &finding.fix {
        Some(fix) => write_pretty(out, fix, 6, false),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"\n    }");
}

/// The fixed text of a span's object at one depth, from its opening brace
/// to its closing one, between its numbers.
struct SpanPieces {
    /// Up to the start's line.
    start: &'static [u8],
    /// Between a line and its column.
    column: &'static [u8],
    /// From the start's column to the end's line.
    end: &'static [u8],
    /// From the end's column to the offset.
    offset: &'static [u8],
    /// Between the offset and the length.
    length: &'static [u8],
    /// After the length.
    close: &'static [u8],
}

/// The [`SpanPieces`] of a span whose members are indented by `$members`,
/// the line and column of its start and end by `$inner`, and whose closing
/// brace by `$close`.
macro_rules! span_pieces {
    ($members:literal, $inner:literal, $close:literal) => {
        SpanPieces {
            start: concat!("{\n", $members, "\"start\": {\n", $inner, "\"line\": ").as_bytes(),
            column: concat!(",\n", $inner, "\"column\": ").as_bytes(),
            end: concat!(
                "\n",
                $members,
                "},\n",
                $members,
                "\"end\": {\n",
                $inner,
                "\"line\": "
            )
            .as_bytes(),
            offset: concat!("\n", $members, "},\n", $members, "\"offset\": ").as_bytes(),
            length: concat!(",\n", $members, "\"length\": ").as_bytes(),
            close: concat!("\n", $close, "}").as_bytes(),
        }
    };
}

/// A diagnostic's own span (its members indented by 8).
const SPAN_OF_DIAGNOSTIC: SpanPieces = span_pieces!("        ", "          ", "      ");

/// A related location's span (its members indented by 12).
const SPAN_OF_RELATED: SpanPieces = span_pieces!("            ", "              ", "          ");

/// A span: where it starts and ends (line and column) and its bytes.
fn write_span(out: &mut Vec<u8>, file: &SourceFile, span: Span, pieces: &SpanPieces) {
    write_span_at(out, span, file.line_columns(span.start, span.end), pieces);
}

/// [`write_span`], its start and end located.
fn write_span_at(
    out: &mut Vec<u8>,
    span: Span,
    (start, end): (LineColumn, LineColumn),
    pieces: &SpanPieces,
) {
    out.extend_from_slice(pieces.start);
    write_number(out, start.line);
    out.extend_from_slice(pieces.column);
    write_number(out, start.column);
    out.extend_from_slice(pieces.end);
    write_number(out, end.line);
    out.extend_from_slice(pieces.column);
    write_number(out, end.column);
    out.extend_from_slice(pieces.offset);
    write_number(out, span.start);
    out.extend_from_slice(pieces.length);
    write_number(out, span.len());
    out.extend_from_slice(pieces.close);
}

/// What the findings of one buffer of [`elements_with`] share: their help
/// texts masked, a list for each one's files, and where the last one
/// started (the findings of a file come in the order of their offsets).
#[derive(Default)]
struct Shown<'f> {
    helps: MaskedHelps<'f>,
    /// The files of the finding being written (see [`Finding::files_into`]).
    files: Vec<&'f SourceFile>,
    lines: LineCursor<'f>,
}

/// The help texts of the findings of one buffer of [`elements_with`],
/// masked: a few dozen findings in a few files share a handful of help texts
/// (a rule's help seldom names a value), each masked once for the same files.
#[derive(Default)]
struct MaskedHelps<'f> {
    /// The files of every text, one list after the other (one list for all,
    /// not one allocation for each).
    files: Vec<&'f SourceFile>,
    /// Where the text's files are in `files`, the text, and the text masked
    /// with those files.
    known: Vec<(std::ops::Range<usize>, &'f str, Cow<'f, str>)>,
}

impl<'f> MaskedHelps<'f> {
    /// `text` masked with `files`, as [`mask_secrets`] gives it.
    fn mask(&mut self, text: &'f str, files: &[&'f SourceFile]) -> &str {
        let same_files = |known: &[&SourceFile]| {
            known.len() == files.len() && known.iter().zip(files).all(|(a, b)| std::ptr::eq(*a, *b))
        };
        let found = self.known.iter().position(|(known, known_text, _)| {
            *known_text == text && same_files(self.files.get(known.clone()).unwrap_or_default())
        });
        let at = found.unwrap_or_else(|| {
            let from = self.files.len();
            self.files.extend_from_slice(files);
            let known = from..self.files.len();
            self.known.push((known, text, mask_secrets(text, files)));
            self.known.len() - 1
        });
        self.known.get(at).map_or(text, |(_, _, masked)| masked)
    }
}

/// A comma, a line break and the deepest indentation written in one piece;
/// deeper ones are written a piece at a time.
const BREAK: &[u8] = b",\n                                                                ";

/// The pieces of [`BREAK`] that end a line (after a comma when `comma`)
/// and indent the next by `spaces`.
fn line_break(comma: bool, spaces: usize) -> impl Iterator<Item = &'static [u8]> {
    let room = BREAK.len() - 2;
    let first = spaces.min(room);
    let rest = spaces - first;
    let first = BREAK.get(usize::from(!comma)..2 + first);
    let rest = (0..rest.div_ceil(room)).map(move |n| {
        let now = (rest - n * room).min(room);
        BREAK.get(2..2 + now).unwrap_or_default()
    });
    first.into_iter().chain(rest)
}

fn write_number(out: &mut Vec<u8>, number: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

/// `text` as a JSON string, escaped as serde_json escapes it: `"`, `\`
/// and the control characters below U+0020 (those with a short escape by
/// it, the rest as `\u00xx`); everything else as it is. Eight bytes at a
/// time are checked for one that needs escaping: most need none.
fn write_string(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    let bytes = text.as_bytes();
    let (mut at, mut copied) = (0, 0);
    loop {
        while let Some(word) = bytes.get(at..at + 8)
            && let Ok(word) = <[u8; 8]>::try_from(word)
            && !needs_escape(u64::from_le_bytes(word))
        {
            at += 8;
        }
        let Some(byte) = bytes.get(at).copied() else {
            break;
        };
        let short = ESCAPES.get(usize::from(byte)).copied().unwrap_or_default();
        if short != 0 {
            out.extend_from_slice(bytes.get(copied..at).unwrap_or_default());
            out.extend_from_slice(&[b'\\', short]);
            if short == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let digit = |n: u8| HEX.get(usize::from(n & 0xf)).copied().unwrap_or(b'0');
                out.extend_from_slice(&[b'0', b'0', digit(byte >> 4), digit(byte)]);
            }
            copied = at + 1;
        }
        at += 1;
    }
    out.extend_from_slice(bytes.get(copied..).unwrap_or_default());
    out.push(b'"');
}

/// Whether one of the eight bytes of `word` is below 0x20, `"` or `\`
/// (the classic bit tricks: a byte below n, a byte equal to n).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let below = |n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let equal = |n: u8| {
        let other = word ^ (ONES * u64::from(n));
        other.wrapping_sub(ONES) & !other & HIGHS
    };
    below(0x20) | equal(b'"') | equal(b'\\') != 0
}

/// For each byte, how JSON escapes it (`u`: as `\u00xx`), or 0.
static ESCAPES: [u8; 256] = {
    let mut escapes = [0; 256];
    let mut byte = 0;
    while byte < 0x20 {
        escapes[byte] = b'u';
        byte += 1;
    }
    escapes[0x08] = b'b';
    escapes[0x0c] = b'f';
    escapes[b'\n' as usize] = b'n';
    escapes[b'\r' as usize] = b'r';
    escapes[b'\t' as usize] = b't';
    escapes[b'"' as usize] = b'"';
    escapes[b'\\' as usize] = b'\\';
    escapes
};

/// Array elements written on all cores, a few dozen to a buffer, each
/// preceded by `,\n` (see [`write_elements`]).
pub(super) fn elements<T: Sync>(
    items: &[T],
    write: impl Fn(&T, &mut Vec<u8>) + Sync,
) -> Vec<Vec<u8>> {
    elements_with(items, |item, out, ()| write(item, out))
}

/// [`elements`], each buffer's elements written with a state of their own,
/// made anew for the buffer.
fn elements_with<'t, T: Sync, S: Default>(
    items: &'t [T],
    write: impl Fn(&'t T, &mut Vec<u8>, &mut S) + Sync,
) -> Vec<Vec<u8>> {
    items
        .par_chunks(64)
        .map(|items| {
            // Room for the findings of a large report (a little over a kilobyte
            // each in JSON) without growing the buffer as it is written.
            let mut out = Vec::with_capacity(items.len() * 1536);
            let mut state = S::default();
            for item in items {
                out.extend_from_slice(b",\n");
                write(item, &mut out, &mut state);
            }
            out
        })
        .collect()
}

/// Writes a buffer of [`elements`]: the first element of the array opens it
/// (`[\n` rather than `,\n`). Whether an element was written, now or before.
pub(super) fn write_elements(
    out: &mut dyn std::io::Write,
    piece: &[u8],
    any: bool,
) -> std::io::Result<bool> {
    match piece.strip_prefix(b",\n") {
        Some(first) if !any => {
            out.write_all(b"[\n")?;
            out.write_all(first)?;
            Ok(true)
        }
        _ => {
            out.write_all(piece)?;
            Ok(any || !piece.is_empty())
        }
    }
}

/// serde_json's pretty printer (an indent of two spaces), with every line
/// after the first indented by `base` spaces more: a value put in place
/// inside a larger document (the same bytes: strings never hold a raw line
/// break), written straight into the output.
struct Indented {
    base: usize,
    current: usize,
    has_value: bool,
}

impl Indented {
    /// Ends the line (after a comma when `comma`) and indents the next.
    fn new_line<W: ?Sized + std::io::Write>(
        &self,
        writer: &mut W,
        comma: bool,
    ) -> std::io::Result<()> {
        for piece in line_break(comma, self.base + 2 * self.current) {
            writer.write_all(piece)?;
        }
        Ok(())
    }

    /// Opens an array or an object one level deeper.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.current += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// Closes it, on a line of its own when it held a value.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.current = self.current.saturating_sub(1);
        if self.has_value {
            self.new_line(writer, false)?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(writer, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(writer, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Appends `value` pretty-printed with every line indented by `base`
/// spaces, the first too when `indent_first` (an array element; not a value
/// after its key).
pub(super) fn write_pretty<T: Serialize>(
    out: &mut Vec<u8>,
    value: &T,
    base: usize,
    indent_first: bool,
) {
    if indent_first {
        out.resize(out.len() + base, b' ');
    }
    let formatter = Indented {
        base,
        current: 0,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    if let Err(error) = value.serialize(&mut serializer) {
        // Writing to memory cannot fail, nor these values be refused.
        out.extend_from_slice(format!("{{\"error\": \"{error}\"}}").as_bytes());
    }
}

/// [`write_pretty`] as text.
pub(super) fn pretty<T: Serialize>(value: &T, indent: usize, indent_first: bool) -> String {
    let mut out = Vec::new();
    write_pretty(&mut out, value, indent, indent_first);
    String::from_utf8(out)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fix, RecordRef, Severity, Summary};
    use crate::source::LineColumn;

    /// The whole document as one value: what [`render`] writes piece by piece.
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        summary: Summary,
        diagnostics: Vec<Diagnostic<'a>>,
    }

    /// A diagnostic as serde writes it: what [`write_diagnostic`] must write.
    #[derive(Serialize)]
    struct Diagnostic<'a> {
        rule: &'static str,
        severity: Severity,
        message: Cow<'a, str>,
        path: &'a str,
        span: JsonSpan,
        record: Option<&'a RecordRef>,
        help: Option<Cow<'a, str>>,
        related: Vec<Related<'a>>,
        fix: Option<&'a Fix>,
    }

    #[derive(Serialize)]
    struct JsonSpan {
        start: LineColumn,
        end: LineColumn,
        offset: usize,
        length: usize,
    }

    #[derive(Serialize)]
    struct Related<'a> {
        path: &'a str,
        span: JsonSpan,
        message: Cow<'a, str>,
    }

    fn json_span(file: &SourceFile, span: Span) -> JsonSpan {
        let (start, end) = file.line_columns(span.start, span.end);
        JsonSpan {
            start,
            end,
            offset: span.start,
            length: span.len(),
        }
    }

    fn diagnostic(finding: &Finding) -> Diagnostic<'_> {
        let files = finding.files();
        Diagnostic {
            rule: finding.rule,
            severity: finding.severity,
            message: mask_secrets(&finding.message, &files),
            path: &finding.file.name,
            span: json_span(&finding.file, finding.span),
            record: finding.record.as_ref(),
            help: finding
                .help
                .as_deref()
                .map(|help| mask_secrets(help, &files)),
            related: finding
                .related
                .iter()
                .map(|related| Related {
                    path: &related.file.name,
                    span: json_span(&related.file, related.span),
                    message: mask_secrets(&related.message, &files),
                })
                .collect(),
            fix: finding.fix.as_ref(),
        }
    }

    /// Written in parallel pieces, the report is byte for byte what
    /// serde_json writes for the whole document.
    #[test]
    fn pieces_make_the_pretty_printed_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let example = root.join("fixtures/example");
        let workspace = crate::workspace::Workspace::isolated(root);
        let mut outcome = crate::check::check(&workspace, &[example], None);
        assert!(outcome.findings.len() > 10);
        // Every piece of a diagnostic is written here: one related location
        // and several, a fix, no record, no help.
        let findings = &outcome.findings;
        assert!(findings.iter().any(|f| f.related.len() == 1));
        assert!(findings.iter().any(|f| f.related.len() > 1));
        assert!(findings.iter().any(|f| f.fix.is_some()));
        assert!(findings.iter().any(|f| f.record.is_none()));
        assert!(findings.iter().any(|f| f.help.is_none()));
        for _ in 0..2 {
            let whole = Document {
                version: VERSION,
                summary: outcome.summary,
                diagnostics: outcome.findings.iter().map(diagnostic).collect(),
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(
                super::super::render(
                    super::super::OutputFormat::Json,
                    &outcome,
                    Default::default()
                ),
                expected
            );
            // And with no findings at all.
            outcome.findings.clear();
        }
    }

    /// Put in place at any depth, past the deepest indentation written in
    /// one piece too, a value is what serde_json writes for it there.
    /// A help text is masked with the files of each finding that shows
    /// it, once for each set of files, in any order.
    #[test]
    fn helps_are_masked_with_their_own_files() {
        let secret = |name: &str, value: &str| {
            let text = format!("pass = \"{value}\"\n");
            SourceFile::new(name.into(), name.into(), text)
                .with_secrets(vec![Span::new(7, 9 + value.len())])
        };
        let (a, b, c) = (
            secret("a.toml", "Kq7Zw2"),
            secret("b.toml", "Pd4Xr8"),
            secret("c.toml", "Kq7Zw2"),
        );
        let texts = ["use Kq7Zw2 or Pd4Xr8", "nothing to mask", "Pd4Xr8"];
        let sets: [Vec<&SourceFile>; 5] =
            [vec![&a], vec![&b], vec![&a, &b], vec![&b, &a], vec![&c]];
        let mut helps = MaskedHelps::default();
        for round in 0..3 {
            for text in texts {
                for files in &sets {
                    let files = if round == 2 { &sets[4] } else { files };
                    assert_eq!(
                        helps.mask(text, files),
                        mask_secrets(text, files),
                        "{text} with {} files",
                        files.len()
                    );
                }
            }
        }
        assert_eq!(helps.known.len(), texts.len() * sets.len());
        assert_eq!(helps.mask(texts[0], &sets[2]), "use **** or ****");
    }

    #[test]
    fn values_put_in_place_match_serde_json_at_any_depth() {
        let mut value = serde_json::json!({"leaf": [1, "two", {}], "empty": []});
        for depth in 0..45 {
            value = serde_json::json!({ "level": depth, "inner": [value] });
            for base in [0, 2, 4, 8, 61, 70] {
                let whole = serde_json::to_string_pretty(&serde_json::json!([value])).unwrap();
                let mut piece = Vec::new();
                write_pretty(&mut piece, &value, base, true);
                let piece = String::from_utf8(piece).unwrap();
                let expected: String = whole
                    .lines()
                    .skip(1)
                    .take(whole.lines().count() - 2)
                    .map(|line| format!("{}{}", " ".repeat(base), &line[2..]))
                    .collect::<Vec<_>>()
                    .join("\n");
                assert_eq!(piece, expected, "depth {depth}, base {base}");
            }
        }
    }

    /// Strings are escaped as serde_json escapes them: every ASCII
    /// character alone and amid others, and characters past ASCII.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u8..=0x7f)
            .map(|byte| char::from(byte).to_string())
            .collect();
        texts.extend(
            (0u8..=0x7f).map(|byte| format!("a{}b\"\\{}", char::from(byte), char::from(byte))),
        );
        for byte in 0u8..=0x7f {
            for at in 0..20 {
                let mut text = "x".repeat(20);
                text.replace_range(at..=at, &char::from(byte).to_string());
                texts.push(text);
            }
        }
        texts.extend(
            [
                "",
                "é \u{202e}\u{1b}[31m \u{7f} \u{feff}",
                "plain text",
                "\\\\\"\"",
            ]
            .map(String::from),
        );
        for text in texts {
            let mut written = Vec::new();
            write_string(&mut written, &text);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }
}
