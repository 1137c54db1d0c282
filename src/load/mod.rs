//! Text -> records with spans. One file per format; both produce the same
//! [`Document`], so nothing downstream knows which syntax a record came from.
//!
//! The loader knows the definition format (top-level arrays `phones`, `aliases`,
//! `servers`) but nothing of VICIdial's columns or of any rule: it reports what it
//! could not read as [`Problem`]s and leaves judging to the rules.

mod json;
mod toml;

use std::borrow::Cow;

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
    String(String),
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
}

impl Record {
    pub fn field(&self, name: &str) -> Option<&Entry> {
        self.fields.iter().find(|entry| entry.key == name)
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
}

/// A top-level key other than the three record arrays.
#[derive(Debug, Clone, PartialEq)]
pub struct TopLevelKey {
    pub key: String,
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
}

/// Checks that a file's bytes are text: UTF-8 without NUL bytes.
pub fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Problem::Binary { offset });
    }
    std::str::from_utf8(bytes).map_err(|error| Problem::NotUtf8 {
        offset: error.valid_up_to(),
    })
}

/// Reads UTF-8 text as a definition file. Never fails: what cannot be read
/// becomes a [`Problem`].
pub fn load_str(text: &str, format: Format) -> Document {
    match format {
        Format::Toml => toml::load(text),
        Format::Json => json::load(text),
    }
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
                key: entry.key.into_owned(),
                span: entry.key_span,
            });
            continue;
        };
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
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_invalid_utf8_are_problems() {
        assert_eq!(decode(b"a = \"\0\""), Err(Problem::Binary { offset: 5 }));
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
    fn format_from_extension() {
        assert_eq!(Format::from_path("a/b.TOML".as_ref()), Some(Format::Toml));
        assert_eq!(Format::from_path("b.json".as_ref()), Some(Format::Json));
        assert_eq!(Format::from_path("b.yaml".as_ref()), None);
    }
}
