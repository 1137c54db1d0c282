//! Plain JSON read in one pass: strict JSON whose strings hold no escape,
//! no key written twice in an object, nesting well under the limit. It
//! gives the document jsonc-parser's reading gives (a test compares them);
//! for anything else (an escape, a syntax error, a duplicate key, a top
//! level that is not an object) it gives up and jsonc-parser reads the file,
//! errors and all. jsonc-parser builds a syntax tree that phonelint then
//! turns into records: twice the work of reading a plain file directly.

use super::document::{
    Document, Entry, Node, SpareFields, TableKeys, ThreadLastKeys, Value, document_from_entries,
};
use crate::source::Span;

/// Deeper than this is left to jsonc-parser (and to the depth limit before
/// it): definitions nest four levels.
const MAX_PLAIN_DEPTH: usize = 32;

/// The document of a plain JSON text, or `None` when the text is not plain.
pub(super) fn load(text: &str) -> Option<Document> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        last: super::FIELDS,
        keys: ThreadLastKeys::take(),
        spare: SpareFields::take(),
    };
    reader.skip_blanks();
    if reader.peek() != Some(b'{') {
        return None;
    }
    let top = reader.value(0)?;
    reader.skip_blanks();
    if reader.at != text.len() {
        return None;
    }
    match top.value {
        Value::Table(mut entries) => {
            let document = document_from_entries(&mut entries);
            reader.spare.give_back(entries);
            Some(document)
        }
        _ => None,
    }
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    /// How many entries the last object read had: the next one's are sized
    /// for as many (see `super::FIELDS`).
    last: usize,
    keys: ThreadLastKeys,
    spare: SpareFields,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_PLAIN_DEPTH {
            return None;
        }
        let start = self.at;
        let value = match self.peek()? {
            b'{' => return self.object(depth),
            b'[' => return self.array(depth),
            b'"' => {
                let (text, span) = self.string()?;
                return Some(Node {
                    value: Value::String(text.into()),
                    span,
                });
            }
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return None,
        };
        Some(Node {
            value,
            span: Span::new(start, self.at),
        })
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        let rest = self.bytes.get(self.at..)?;
        if !rest.starts_with(word.as_bytes()) {
            return None;
        }
        self.at += word.len();
        self.ends_value().then_some(value)
    }

    /// Whether what follows may end a scalar.
    fn ends_value(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
        )
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as RFC 8259 has it.
    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        let digits = |reader: &mut Self| {
            let from = reader.at;
            while reader.peek().is_some_and(|b| b.is_ascii_digit()) {
                reader.at += 1;
            }
            reader.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        match digits(self) {
            0 => return None,
            1 => {}
            _ if leading_zero => return None,
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return None;
            }
        }
        if !self.ends_value() {
            return None;
        }
        Some(super::json::number(self.text.get(start..self.at)?))
    }

    /// A string without escapes or control characters: its text and span.
    fn string(&mut self) -> Option<(&'t str, Span)> {
        let start = self.at;
        self.expect(b'"')?;
        let rest = self.bytes.get(self.at..)?;
        let length = memchr::memchr2(b'"', b'\\', rest)?;
        if rest.get(length) != Some(&b'"') || rest.get(..length)?.iter().any(|&b| b < 0x20) {
            return None;
        }
        let text = self.text.get(self.at..self.at + length)?;
        self.at += length + 1;
        Some((text, Span::new(start, self.at)))
    }

    fn object(&mut self, depth: usize) -> Option<Node> {
        let start = self.at;
        self.expect(b'{')?;
        let mut entries = self.spare.list(self.last);
        let mut keys = TableKeys::new(&self.keys);
        self.skip_blanks();
        if self.peek() != Some(b'}') {
            loop {
                self.skip_blanks();
                let (key, key_span) = self.string()?;
                // Named before the value is read: a table inside it
                // changes the last keys.
                let key = keys.key(&self.keys, &entries, key)?;
                self.skip_blanks();
                self.expect(b':')?;
                self.skip_blanks();
                let value = self.value(depth + 1)?;
                entries.push(Entry {
                    key,
                    key_span,
                    value,
                    column: None,
                });
                self.skip_blanks();
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        self.last = entries.len();
        // Not the top level's keys: the next file's records are to follow
        // the last record's.
        if depth > 0 {
            keys.finish(&mut self.keys, &entries);
        }
        Some(Node {
            value: Value::Table(entries),
            span: Span::new(start, self.at),
        })
    }

    fn array(&mut self, depth: usize) -> Option<Node> {
        let start = self.at;
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_blanks();
        if self.peek() != Some(b']') {
            loop {
                self.skip_blanks();
                items.push(self.value(depth + 1)?);
                self.skip_blanks();
                match self.peek()? {
                    b',' => self.at += 1,
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        Some(Node {
            value: Value::Array(items),
            span: Span::new(start, self.at),
        })
    }
}
