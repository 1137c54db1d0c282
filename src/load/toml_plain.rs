//! The plain TOML most definition files are written in, read in one pass:
//! `[[phones]]` headers, `key = value` lines with bare keys, strings
//! without escapes, integers, booleans and one-line arrays of strings, with
//! comments and blank lines between. It gives the document the `toml`
//! crate's reading gives (a test compares them); for anything else (an
//! escape, a quoted or dotted key, a float, a date, another kind of table, a
//! key written twice, a syntax error) it gives up and the crate reads the
//! file, errors and all. The crate builds a token list and a map per table
//! before phonelint turns them into records, several times the work of
//! reading a plain file directly.

use std::borrow::Cow;

use super::document::{
    Document, Entry, Node, SpareFields, TableKeys, ThreadLastKeys, Value, document_from_entries,
};
use crate::source::Span;
use crate::vicidial::RecordKind;

/// The document of a plain TOML text, or `None` when the text is not plain.
pub(super) fn load(text: &str) -> Option<Document> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    // Each section in the order it first appears: its name's span and its
    // records (each record's span is its header's).
    let mut sections: Vec<(RecordKind, Span, Vec<Node>)> = Vec::new();
    let mut record: Option<(usize, Span, Vec<Entry>)> = None;
    // How many fields the last record read had: the next one's are sized
    // for as many (see `super::FIELDS`).
    let mut last = super::FIELDS;
    let mut last_keys = ThreadLastKeys::take();
    let mut keys = TableKeys::new(&last_keys);
    let mut spare = SpareFields::take();
    loop {
        reader.skip_blanks();
        match reader.peek() {
            None => break,
            Some(b'\n') => reader.at += 1,
            Some(b'\r' | b'#') => reader.end_of_line()?,
            Some(b'[') => {
                let (kind, name, header) = reader.header()?;
                reader.end_of_line()?;
                if let Some((section, span, fields)) = record.take() {
                    last = fields.len();
                    keys.finish(&mut last_keys, &fields);
                    finish(&mut sections, section, span, fields)?;
                }
                let section = match sections.iter().position(|(of, ..)| *of == kind) {
                    Some(section) => section,
                    None => {
                        sections.push((kind, name, Vec::new()));
                        sections.len() - 1
                    }
                };
                record = Some((section, header, spare.list(last)));
                keys = TableKeys::new(&last_keys);
            }
            Some(_) => {
                // A key before any header is a top-level key: left to the crate.
                let (_, _, fields) = record.as_mut()?;
                let (key, key_span, value) = reader.key_value()?;
                reader.end_of_line()?;
                let key = keys.key(&last_keys, fields, key)?;
                fields.push(Entry {
                    key,
                    key_span,
                    value,
                    column: None,
                });
            }
        }
    }
    if let Some((section, span, fields)) = record.take() {
        // For the next file read on this thread.
        keys.finish(&mut last_keys, &fields);
        finish(&mut sections, section, span, fields)?;
    }
    let mut entries = spare.list(sections.len());
    entries.extend(sections.into_iter().map(|(kind, name, items)| {
        let end = items.last().map_or(name.end, |item| item.span.end);
        Entry {
            key: Cow::Borrowed(kind.section()),
            key_span: name,
            value: Node {
                value: Value::Array(items),
                span: Span::new(name.start, end),
            },
            column: None,
        }
    }));
    let document = document_from_entries(&mut entries);
    spare.give_back(entries);
    Some(document)
}

fn finish(
    sections: &mut [(RecordKind, Span, Vec<Node>)],
    section: usize,
    header: Span,
    fields: Vec<Entry>,
) -> Option<()> {
    sections.get_mut(section)?.2.push(Node {
        value: Value::Table(fields),
        span: header,
    });
    Some(())
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
}

/// By byte: whether a bare key (or a number, or a boolean) may hold it.
/// Keys are read a byte at a time, and one look-up is cheaper than the
/// comparisons.
const BARE_KEY: [bool; 256] = {
    let mut bare = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        bare[byte] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        byte += 1;
    }
    bare
};

/// By byte: whether it ends the text of a basic string (its closing quote)
/// or makes the string one this reader leaves to the crate (an escape, a
/// control character other than a tab).
const STRING_STOP: [bool; 256] = {
    let mut stop = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        stop[byte] = b == b'"' || b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7f;
        byte += 1;
    }
    stop
};

fn is_bare_key(byte: u8) -> bool {
    BARE_KEY[usize::from(byte)]
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Expects `byte` next.
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    fn slice(&self, start: usize, end: usize) -> Option<&'t str> {
        self.text.get(start..end)
    }

    /// Blanks, a comment, then a line break or the end of the text.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_blanks();
        if self.peek() == Some(b'#') {
            // A comment holds no control character but a tab.
            while let Some(byte) = self.peek() {
                match byte {
                    b'\n' | b'\r' => break,
                    b'\t' => {}
                    byte if byte < 0x20 || byte == 0x7f => return None,
                    _ => {}
                }
                self.at += 1;
            }
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.at += 1;
                Some(())
            }
            Some(b'\r') => {
                self.at += 1;
                self.expect(b'\n')
            }
            Some(_) => None,
        }
    }

    /// `[[phones]]` (or `aliases`, `servers`): the kind, the name's span and
    /// the header's.
    fn header(&mut self) -> Option<(RecordKind, Span, Span)> {
        let start = self.at;
        self.expect(b'[')?;
        self.expect(b'[')?;
        let name_start = self.at;
        while self.peek().is_some_and(is_bare_key) {
            self.at += 1;
        }
        let name = Span::new(name_start, self.at);
        let kind = RecordKind::from_section(self.slice(name.start, name.end)?)?;
        self.expect(b']')?;
        self.expect(b']')?;
        Some((kind, name, Span::new(start, self.at)))
    }

    /// `key = value`, the key bare: the key, its span and the value.
    fn key_value(&mut self) -> Option<(&'t str, Span, Node)> {
        let start = self.at;
        while self.peek().is_some_and(is_bare_key) {
            self.at += 1;
        }
        let key_span = Span::new(start, self.at);
        if key_span.is_empty() {
            return None;
        }
        let key = self.slice(key_span.start, key_span.end)?;
        self.skip_blanks();
        self.expect(b'=')?;
        self.skip_blanks();
        let value = self.value()?;
        Some((key, key_span, value))
    }

    fn value(&mut self) -> Option<Node> {
        let start = self.at;
        let value = match self.peek()? {
            b'"' => return self.string(),
            b'[' => return self.array(),
            b't' | b'f' => {
                let ends = self.word();
                match self.slice(start, self.at)? {
                    "true" if ends => Value::Bool(true),
                    "false" if ends => Value::Bool(false),
                    _ => return None,
                }
            }
            b'-' | b'0'..=b'9' => {
                self.at += 1;
                if !self.word() {
                    return None;
                }
                let digits = self.slice(start, self.at)?;
                let unsigned = digits.strip_prefix('-').unwrap_or(digits);
                // Only plain decimal integers: no `+`, `_`, radix prefix,
                // fraction or exponent, and no leading zero (an error).
                if unsigned.is_empty()
                    || !unsigned.bytes().all(|b| b.is_ascii_digit())
                    || (unsigned.len() > 1 && unsigned.starts_with('0'))
                {
                    return None;
                }
                Value::Integer(digits.parse().ok()?)
            }
            _ => return None,
        };
        Some(Node {
            value,
            span: Span::new(start, self.at),
        })
    }

    /// Skips a run of bare-key bytes (what a number or a boolean is made of);
    /// whether what follows may end a value.
    fn word(&mut self) -> bool {
        while self.peek().is_some_and(is_bare_key) {
            self.at += 1;
        }
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'#' | b',' | b']')
        )
    }

    /// A basic string without escapes: on one line, no control character
    /// but a tab.
    fn string(&mut self) -> Option<Node> {
        let start = self.at;
        self.expect(b'"')?;
        let rest = self.bytes.get(self.at..)?;
        self.at += rest
            .iter()
            .position(|&byte| STRING_STOP[usize::from(byte)])?;
        if self.peek()? != b'"' {
            return None;
        }
        let content = self.slice(start + 1, self.at)?;
        self.at += 1;
        // `"""` opens a multi-line string.
        if content.is_empty() && self.peek() == Some(b'"') {
            return None;
        }
        Some(Node {
            value: Value::String(content.into()),
            span: Span::new(start, self.at),
        })
    }

    /// A one-line array of plain strings.
    fn array(&mut self) -> Option<Node> {
        let start = self.at;
        self.expect(b'[')?;
        let mut items = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek()? {
                b']' => break,
                b'"' => items.push(self.string()?),
                _ => return None,
            }
            self.skip_blanks();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.at += 1;
        Some(Node {
            value: Value::Array(items),
            span: Span::new(start, self.at),
        })
    }
}
