//! A file as read: its text, a line index, its spans, and the copy a
//! terminal may be shown (secrets masked, control characters escaped).

pub mod display;
mod file;
mod span;

pub use file::{DocumentSecrets, LineCursor, ReadBackError, SourceFile, file_key};
pub use span::{LineColumn, Span};
