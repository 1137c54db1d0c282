//! Text -> records with spans. One file per format; both produce the same
//! [`Document`], so nothing downstream knows which syntax a record came from.
//!
//! The loader knows the definition format (top-level arrays `phones`, `aliases`,
//! `servers`) but nothing of VICIdial's columns or of any rule: it reports what it
//! could not read as [`Problem`]s and leaves judging to the rules.

mod json;
mod toml;

use std::borrow::Cow;

use compact_str::CompactString;

use crate::source::Span;

/// The syntax of a definition file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            ext if ext.eq_ignore_ascii_case("toml") => Some(Self::Toml),
            ext if ext.eq_ignore_ascii_case("json") => Some(Self::Json),
            _ => None,
        }
    }
}

/// The three kinds of record a definition file may hold, named by their
/// top-level array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Phone,
    Alias,
    Server,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [RecordKind::Phone, RecordKind::Alias, RecordKind::Server];

    /// The top-level key that holds records of this kind.
    pub const fn section(self) -> &'static str {
        match self {
            RecordKind::Phone => "phones",
            RecordKind::Alias => "aliases",
            RecordKind::Server => "servers",
        }
    }

    pub fn from_section(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.section() == key)
    }

    /// The VICIdial table behind this kind.
    pub const fn table(self) -> &'static str {
        match self {
            RecordKind::Phone => "phones",
            RecordKind::Alias => "phones_alias",
            RecordKind::Server => "servers",
        }
    }

    pub const fn singular(self) -> &'static str {
        match self {
            RecordKind::Phone => "phone",
            RecordKind::Alias => "alias",
            RecordKind::Server => "server",
        }
    }
}

/// A value as written in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(CompactString),
    Integer(i64),
    /// A float, kept as written (`-5.0`), since VICIdial columns hold text.
    Float(String),
    Bool(bool),
    /// JSON `null` (TOML has none).
    Null,
    /// A TOML date or time, as written.
    Datetime(String),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

impl Value {
    /// What kind of value this is, for messages ("expected a string, found an integer").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Datetime(_) => "a date-time",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A value and the bytes it was written with.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A key, where the key was written, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Borrowed from the column table when it is a known name (most keys):
    /// one allocation less per field.
    pub key: Cow<'static, str>,
    pub key_span: Span,
    pub value: Node,
}

/// One element of a `phones`, `aliases` or `servers` array.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: RecordKind,
    /// The whole record: the TOML table (header included) or the JSON object.
    pub span: Span,
    pub fields: Vec<Entry>,
    /// A syntax error fell inside this record: its fields may be incomplete, so
    /// rules should not judge it (the error itself is reported).
    pub damaged: bool,
    /// Only some fields were kept once the record's own rules had run (those
    /// the rules across files read); reading another is a bug.
    pub pruned: bool,
}

impl Record {
    /// The field named `name`. Were it written twice (a `duplicate-key`
    /// error), the last, as a JSON parser reads it.
    pub fn field(&self, name: &str) -> Option<&Entry> {
        self.fields.iter().rev().find(|entry| entry.key == name)
    }
}

/// What the loader could not turn into records.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The file is not valid TOML/JSON at `span`.
    Syntax { message: String, span: Span },
    /// The file is not UTF-8; `offset` is the first invalid byte.
    NotUtf8 { offset: usize },
    /// The file holds NUL bytes: binary content, not a definition.
    Binary { offset: usize },
    /// The file starts with git-crypt's header: encrypted in a checkout that
    /// is not unlocked.
    GitCrypt,
    /// The file is larger than [`MAX_FILE_SIZE`]: not read at all.
    TooLarge { size: u64, limit: u64 },
    /// Arrays/tables nest deeper than [`MAX_DEPTH`] at `offset`: not parsed,
    /// so a hostile file cannot exhaust the stack.
    TooDeep { offset: usize, limit: usize },
    /// A `phones`/`aliases`/`servers` key whose value is not an array.
    SectionNotArray {
        kind: RecordKind,
        span: Span,
        found: &'static str,
    },
    /// An element of a record array that is not a table/object.
    RecordNotTable {
        kind: RecordKind,
        span: Span,
        found: &'static str,
    },
    /// A key written twice in one table/object. JSON parsers keep the last
    /// value (and so does the loader); TOML forbids it and the parser keeps
    /// the first. `first` is the earlier key, when it could be found.
    DuplicateKey {
        key: String,
        first: Option<Span>,
        second: Span,
        /// The value of the occurrence the loader dropped (JSON: the first;
        /// TOML: the second, to the end of its line): still masked if secret.
        dropped_value: Option<Span>,
    },
}

/// A top-level key other than the three record arrays.
#[derive(Debug, Clone, PartialEq)]
pub struct TopLevelKey {
    /// Borrowed when it is a known name (every section key): no allocation
    /// for the one key nearly every file has.
    pub key: Cow<'static, str>,
    pub span: Span,
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Document {
    /// The top level holds at least one of `phones`, `aliases`, `servers`.
    pub is_definition: bool,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Top-level keys besides the record arrays (in source order).
    pub other_keys: Vec<TopLevelKey>,
    /// The record arrays' own keys (`phones`, `[[phones]]`), in source order.
    pub section_keys: Vec<TopLevelKey>,
}

/// What git-crypt writes before the nonce and ciphertext of a file it
/// encrypted (git-crypt's commands.cpp).
const GIT_CRYPT_HEADER: &[u8] = b"\0GITCRYPT\0";

/// The problem of bytes holding a NUL at `offset`.
fn binary(bytes: &[u8], offset: usize) -> Problem {
    if bytes.starts_with(GIT_CRYPT_HEADER) {
        Problem::GitCrypt
    } else {
        Problem::Binary { offset }
    }
}

/// Checks that a file's bytes are text: UTF-8 without NUL bytes.
pub fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(binary(bytes, offset));
    }
    std::str::from_utf8(bytes).map_err(|error| Problem::NotUtf8 {
        offset: error.valid_up_to(),
    })
}

/// [`decode`] for bytes read from a file: they become the text, validated
/// once and not copied; with a problem, the bytes are given back.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, (Problem, Vec<u8>)> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err((binary(&bytes, offset), bytes));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        (Problem::NotUtf8 { offset }, error.into_bytes())
    })
}

/// The largest file phonelint reads. Definition files are a few kilobytes to
/// a few megabytes; a larger `.toml`/`.json` file is reported (`parse-error`)
/// without being read, so a hostile repository cannot exhaust memory.
pub const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Why a file was not read by [`read_regular`].
#[derive(Debug)]
pub enum ReadError {
    /// The path is a symbolic link: never followed.
    Link,
    /// A FIFO, socket, device or directory: opening or reading it could block
    /// or never end.
    NotRegular,
    /// Larger than the limit: not read.
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

/// Reads a file that a pull request may have put there: a regular file only,
/// opened without following a symbolic link and without blocking on a FIFO,
/// its type and size taken from the opened file before a byte is read, and
/// never more than `limit` bytes read even if it grows meanwhile.
pub fn read_regular(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path).map_err(|error| {
        if is_link_refused(&error) {
            ReadError::Link
        } else {
            ReadError::Io(error)
        }
    })?;
    read_opened(&file, limit)
}

/// [`read_regular`] on a file already opened with [`open_regular`].
pub fn read_opened(file: &std::fs::File, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    // Sized for the whole file and one byte more, so that reading to the end
    // needs no reallocation.
    let expected = usize::try_from(meta.len()).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::with_capacity(expected);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    Ok(bytes)
}

/// Opens a file for reading without following a symbolic link and without
/// blocking on a FIFO: one call, so the path cannot change between a check
/// and the open.
#[cfg(unix)]
pub fn open_regular(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
pub fn open_regular(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    if !std::fs::symlink_metadata(path)?.is_file() {
        return Err(std::io::Error::other("no longer a regular file"));
    }
    std::fs::File::open(path)
}

/// Whether opening failed because the path is a symbolic link.
pub fn is_link_refused(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        error.kind() == std::io::ErrorKind::Other
    }
}

/// The deepest nesting of arrays, tables and dotted keys phonelint parses. A
/// definition needs four levels; the parsers and the loader recurse per level.
pub const MAX_DEPTH: usize = 128;

/// Reads UTF-8 text as a definition file. Never fails: what cannot be read
/// becomes a [`Problem`].
pub fn load_str(text: &str, format: Format) -> Document {
    if let Some(offset) = too_deep(text, format, MAX_DEPTH) {
        return Document::from_problem(Problem::TooDeep {
            offset,
            limit: MAX_DEPTH,
        });
    }
    // A byte order mark (Windows editors write one) is read as three spaces:
    // the same length, so every span still points into the file as written.
    let without_bom = text
        .strip_prefix('\u{FEFF}')
        .map(|rest| format!("   {rest}"));
    let text = without_bom.as_deref().unwrap_or(text);
    match format {
        Format::Toml => toml::load(text),
        Format::Json => json::load(text),
    }
}

/// Parses strict JSON that is not a definition (a baseline) with the
/// definitions' parser and limits: nesting deeper than [`MAX_DEPTH`] is
/// refused before parsing, a raw control character inside a string is an
/// error. Errors never quote the text.
pub fn parse_json(text: &str) -> Result<Option<jsonc_parser::ast::Value<'_>>, (String, Span)> {
    if let Some(offset) = too_deep(text, Format::Json, MAX_DEPTH) {
        return Err((
            format!("nested deeper than {MAX_DEPTH} levels"),
            Span::new(offset, offset + 1),
        ));
    }
    json::parse_strict(text)
}

/// The offset where nesting first exceeds `limit`, found by a scan that skips
/// strings and comments. It may count a little more than the parser would
/// (a float's `.` counts as a dotted key), never less.
pub fn too_deep(text: &str, format: Format, limit: usize) -> Option<usize> {
    // Nesting only comes from brackets, braces and (TOML) dotted keys: a file
    // with no more of those bytes than the limit, like nearly every
    // definition, cannot nest deeper, and needs no scan.
    let nesting = match format {
        Format::Json => memchr::memchr2_iter(b'[', b'{', text.as_bytes()).nth(limit),
        Format::Toml => memchr::memchr3_iter(b'[', b'{', b'.', text.as_bytes()).nth(limit),
    };
    nesting?;
    match format {
        Format::Json => json_depth(text.as_bytes(), limit),
        Format::Toml => toml_depth(text.as_bytes(), limit),
    }
}

fn json_depth(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn toml_depth(bytes: &[u8], limit: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Normal,
        Comment,
        Basic,
        Literal,
        MultiBasic,
        MultiLiteral,
    }
    let mut state = State::Normal;
    let mut brackets = 0usize;
    // Dots since the last line break or comma: dotted keys nest tables.
    let mut dots = 0usize;
    let mut escaped = false;
    let mut i = 0;
    let starts =
        |at: usize, pattern: &[u8]| bytes.get(at..).is_some_and(|r| r.starts_with(pattern));
    while let Some(&b) = bytes.get(i) {
        match state {
            State::Normal => match b {
                b'#' => state = State::Comment,
                b'"' if starts(i, b"\"\"\"") => {
                    state = State::MultiBasic;
                    i += 2;
                }
                b'\'' if starts(i, b"'''") => {
                    state = State::MultiLiteral;
                    i += 2;
                }
                b'"' => state = State::Basic,
                b'\'' => state = State::Literal,
                b'[' | b'{' => brackets += 1,
                b']' | b'}' => brackets = brackets.saturating_sub(1),
                b'.' => dots += 1,
                b'\n' | b',' => dots = 0,
                _ => {}
            },
            State::Comment => {
                if b == b'\n' {
                    state = State::Normal;
                    dots = 0;
                }
            }
            State::Basic | State::MultiBasic => {
                let multi = state == State::MultiBasic;
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') if !multi => state = State::Normal,
                    (false, b'"') if starts(i, b"\"\"\"") => {
                        state = State::Normal;
                        i += 2;
                    }
                    (false, b'\n') if !multi => state = State::Normal,
                    _ => {}
                }
            }
            State::Literal => {
                if b == b'\'' || b == b'\n' {
                    state = State::Normal;
                }
            }
            State::MultiLiteral => {
                if starts(i, b"'''") {
                    state = State::Normal;
                    i += 2;
                }
            }
        }
        if brackets.saturating_add(dots) > limit {
            return Some(i);
        }
        i += 1;
    }
    None
}

impl Document {
    /// A document that is only a problem: unreadable content in a .toml/.json
    /// file is reported, never skipped.
    pub fn from_problem(problem: Problem) -> Self {
        Document {
            is_definition: true,
            problems: vec![problem],
            ..Document::default()
        }
    }
}

/// A key as stored in an [`Entry`]: a column or section name is borrowed
/// from the static tables, any other key is owned.
fn key_name(key: Cow<'_, str>) -> Cow<'static, str> {
    match crate::model::known_name(&key) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(key.into_owned()),
    }
}

/// Builds a document from top-level entries: shared by both formats.
fn document_from_entries(entries: Vec<Entry>) -> Document {
    let mut document = Document::default();
    for entry in entries {
        let Some(kind) = RecordKind::from_section(&entry.key) else {
            document.other_keys.push(TopLevelKey {
                key: entry.key,
                span: entry.key_span,
            });
            continue;
        };
        document.section_keys.push(TopLevelKey {
            key: entry.key.clone(),
            span: entry.key_span,
        });
        document.is_definition = true;
        match entry.value.value {
            Value::Array(items) => {
                // Exact: most files hold one record, and growing would leave room for four.
                document.records.reserve_exact(items.len());
                for item in items {
                    match item.value {
                        Value::Table(fields) => document.records.push(Record {
                            kind,
                            span: item.span,
                            fields,
                            damaged: false,
                            pruned: false,
                        }),
                        other => document.problems.push(Problem::RecordNotTable {
                            kind,
                            span: item.span,
                            found: other.type_name(),
                        }),
                    }
                }
            }
            other => document.problems.push(Problem::SectionNotArray {
                kind,
                span: entry.value.span,
                found: other.type_name(),
            }),
        }
    }
    // Kept for the whole check: not the room for four keys a push leaves.
    document.section_keys.shrink_to_fit();
    document.other_keys.shrink_to_fit();
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_invalid_utf8_are_problems() {
        assert_eq!(decode(b"a = \"\0\""), Err(Problem::Binary { offset: 5 }));
        assert_eq!(decode(b"\0GITCRYPT\0\x01\x02"), Err(Problem::GitCrypt));
        assert_eq!(decode(b"\0GITCRYP"), Err(Problem::Binary { offset: 0 }));
        assert_eq!(decode(b"a = \"\xff\""), Err(Problem::NotUtf8 { offset: 5 }));
        assert_eq!(decode("a = \"é\"".as_bytes()), Ok("a = \"é\""));
    }

    #[test]
    fn known_keys_are_borrowed_and_others_owned() {
        let doc = load_str(
            "[[phones]]\nextension = \"a\"\nExtension = \"b\"\n",
            Format::Toml,
        );
        let keys: Vec<_> = doc.records[0].fields.iter().map(|e| &e.key).collect();
        assert!(matches!(keys[0], Cow::Borrowed("extension")));
        assert!(matches!(keys[1], Cow::Owned(key) if key == "Extension"));
        let doc = load_str(r#"{"phones": [{"login": "a", "x": 1}]}"#, Format::Json);
        let keys: Vec<_> = doc.records[0].fields.iter().map(|e| &e.key).collect();
        assert!(matches!(keys[0], Cow::Borrowed("login")));
        assert!(matches!(keys[1], Cow::Owned(key) if key == "x"));
    }

    #[test]
    fn deep_nesting_is_a_problem_not_a_stack_overflow() {
        for format in [Format::Toml, Format::Json] {
            let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            let text = match format {
                Format::Toml => format!("a = {deep}\n"),
                Format::Json => format!("{{\"a\": {deep}}}"),
            };
            let doc = load_str(&text, format);
            assert!(
                matches!(
                    doc.problems.as_slice(),
                    [Problem::TooDeep {
                        limit: MAX_DEPTH,
                        ..
                    }]
                ),
                "{format:?}: {:?}",
                doc.problems
            );
        }
        let dotted = format!("{} = 1\n", vec!["a"; 100_000].join("."));
        assert!(too_deep(&dotted, Format::Toml, MAX_DEPTH).is_some());
        // Brackets and dots inside strings and comments do not count.
        let quoted = format!(
            "a = \"{}\" # {}\nb = '{}'\n",
            "[".repeat(500),
            ".".repeat(500),
            "{".repeat(500)
        );
        assert_eq!(too_deep(&quoted, Format::Toml, MAX_DEPTH), None);
        let quoted = format!("{{\"a\": \"\\\"{}\"}}", "[".repeat(500));
        assert_eq!(too_deep(&quoted, Format::Json, MAX_DEPTH), None);
        // Real definitions are far from the limit.
        let ok = "[[phones]]\nextension = \"a\"\nx = { y = [[1.5, 2.5], [3]] }\n";
        assert_eq!(too_deep(ok, Format::Toml, 8), None);
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path("a/b.TOML".as_ref()), Some(Format::Toml));
        assert_eq!(Format::from_path("b.json".as_ref()), Some(Format::Json));
        assert_eq!(Format::from_path("b.yaml".as_ref()), None);
    }
}
