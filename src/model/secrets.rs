//! Where a file's credential values are, so that every output can mask them:
//! from the parsed records, and from the text itself for what the parser
//! could not read.

use std::sync::LazyLock;

use crate::load::{Document, Problem};
use crate::source::Span;
use crate::vicidial::{
    RecordKind, closest_column, credential_names, is_credential, is_credential_column,
    is_credential_name,
};

/// The value spans of every credential in a document (`pass`, `conf_secret`,
/// ... and keys that differ from those only in case), so that renderers can
/// mask them.
pub fn secret_spans(document: &Document) -> Vec<Span> {
    let mut spans = Vec::new();
    each_secret_span(document, |span| spans.push(span));
    spans
}

/// [`secret_spans`], each given to `each` as it is found: every file
/// checked finds them, and most keep them without a list of their own.
pub fn each_secret_span(document: &Document, mut each: impl FnMut(Span)) {
    // Plain loops: every field of every record passes here.
    for record in &document.records {
        for entry in &record.fields {
            let credential = match entry.column {
                Some(column) => is_credential_column(record.kind, column),
                None => {
                    is_credential(record.kind, &entry.key)
                        || looks_like_credential(record.kind, &entry.key)
                }
            };
            if credential {
                each(entry.value.span);
            }
        }
    }
    // A duplicate key's dropped value is in no record, but still on screen.
    for problem in &document.problems {
        if let Problem::DuplicateKey {
            key,
            dropped_value: Some(span),
            ..
        } = problem
            && RecordKind::ALL
                .into_iter()
                .any(|kind| is_credential(kind, key))
        {
            each(*span);
        }
    }
}

/// Whether `key`, which is no column of `kind`, is most likely a misspelt
/// credential (`pas`, `conf_secert`, `Password`): the column it is closest to
/// is one, or it speaks of a password or a secret. Its value is masked, as
/// the value of the column it was meant to be.
fn looks_like_credential(kind: RecordKind, key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    ["pass", "secret", "pwd"]
        .iter()
        .any(|word| lower.contains(word))
        || closest_column(kind, key).is_some_and(|name| is_credential(kind, name))
}

/// The values written after a credential key anywhere in `text`, found by
/// reading the text rather than parsing it: `pass = "..."`, `"pass": "...",`,
/// the separator or the value on a later line, and a quoted key spelt with
/// escapes (`"p\u0061ss"`). A belt to [`secret_spans`]' braces, for what the
/// parser could not read (a line with a syntax error, a record it dropped),
/// so a snippet never shows one. It may mask a little more than the value,
/// never less. Linear in the text: each stretch is read once.
pub fn textual_secret_spans(text: &str) -> Vec<Span> {
    // Every credential column name ends in `pass` or `secret`: those two are
    // searched for (with SIMD) in one lower-cased copy of the text (ASCII
    // lower-casing keeps every byte offset), and each hit is checked against
    // the names ending in it. Every occurrence of every name is found this
    // way, overlapping ones included (`pass` inside `login_pass` is refused
    // below by the character before it). The searchers are built once: for
    // a file of one phone, building them cost more than the search.
    static ANCHORED: LazyLock<Vec<(memchr::memmem::Finder<'static>, Vec<String>)>> =
        LazyLock::new(|| {
            let mut names: Vec<String> = credential_names().map(str::to_ascii_lowercase).collect();
            names.sort();
            names.dedup();
            let mut anchored: Vec<(String, Vec<String>)> = Vec::new();
            for name in names {
                let anchor = ["pass", "secret"]
                    .into_iter()
                    .find(|anchor| name.ends_with(anchor))
                    .map_or_else(|| name.clone(), str::to_owned);
                match anchored.iter_mut().find(|(known, _)| *known == anchor) {
                    Some((_, named)) => named.push(name),
                    None => anchored.push((anchor, vec![name])),
                }
            }
            anchored
                .into_iter()
                .map(|(anchor, names)| {
                    let finder = memchr::memmem::Finder::new(anchor.as_bytes()).into_owned();
                    (finder, names)
                })
                .collect()
        });
    // Lower-cased as it is copied: one pass over the text, not two.
    let lower: Vec<u8> = text.bytes().map(|byte| byte.to_ascii_lowercase()).collect();
    // Where each key written plainly starts and ends.
    let mut keys: Vec<(usize, usize)> = Vec::new();
    for (finder, names) in ANCHORED.iter() {
        let anchor_length = finder.needle().len();
        for at in finder.find_iter(&lower) {
            let end = at + anchor_length;
            for name in names {
                let Some(start) = end.checked_sub(name.len()) else {
                    continue;
                };
                if lower.get(start..end) != Some(name.as_bytes()) {
                    continue;
                }
                let before = text.get(..start).and_then(|head| head.chars().next_back());
                let starts_a_key = before.is_none_or(|c| {
                    matches!(
                        c,
                        ' ' | '\t' | '\n' | '\r' | '"' | '\'' | '{' | ',' | '.' | '\u{FEFF}'
                    )
                });
                if starts_a_key {
                    keys.push((start, end));
                }
            }
        }
    }
    // Quoted keys written with escapes, decoded.
    keys.extend(escaped_credential_keys(text));
    // Stable: the keys come as a few runs in order (one an anchor), which
    // it merges in linear time.
    keys.sort();
    let mut spans = Vec::new();
    // The end of the last value found: a key inside it is part of a value.
    let mut covered = 0;
    for (start, end) in keys {
        if start < covered {
            continue;
        }
        if let Some(value) = value_after_key(text, end) {
            covered = value.end;
            spans.push(value);
        }
    }
    spans
}

/// The keys in double quotes that hold an escape and decode to a credential
/// name (`"p\u0061ss"`, `"\u0050ASS"`), as (start, end) of the written key.
/// Only read when the text has a `\u`, `\U` or `\x` escape at all.
fn escaped_credential_keys(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    // One search for the backslash rather than one per escape: backslashes
    // are rare.
    let has_escape = memchr::memchr_iter(b'\\', bytes)
        .any(|at| matches!(bytes.get(at + 1), Some(b'u' | b'U' | b'x')));
    if !has_escape {
        return Vec::new();
    }
    let mut keys = Vec::new();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        let rest = bytes.get(at + 1..).unwrap_or_default();
        match b {
            // A TOML comment: to the end of its line.
            b'#' => at += 1 + memchr::memchr(b'\n', rest).unwrap_or(rest.len()),
            // A literal string has no escapes: skip it (to its quote or the
            // end of its line).
            b'\'' => at += 1 + memchr::memchr2(b'\'', b'\n', rest).map_or(rest.len(), |i| i + 1),
            b'"' => {
                let end = basic_string_end(bytes, at);
                let body = text.get(at + 1..end.saturating_sub(1)).unwrap_or_default();
                if body.contains('\\') && unescape(body).is_some_and(|key| is_credential_name(&key))
                {
                    keys.push((at, end));
                }
                at = end.max(at + 1);
            }
            _ => at += 1,
        }
    }
    keys
}

/// Where the double-quoted string starting at `open` ends (after its closing
/// quote; at the end of the line if it has none). A `"""` string is skipped
/// whole.
fn basic_string_end(bytes: &[u8], open: usize) -> usize {
    if bytes.get(open..open + 3) == Some(b"\"\"\"") {
        let rest = bytes.get(open + 3..).unwrap_or_default();
        return memchr::memmem::find(rest, b"\"\"\"").map_or(bytes.len(), |i| open + 3 + i + 3);
    }
    let mut at = open + 1;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\\' => at += 2,
            b'"' => return at + 1,
            b'\n' => return at,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// A basic string's body with its escapes decoded (JSON's and TOML's);
/// `None` if an escape is malformed.
fn unescape(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex = |chars: &mut std::str::Chars<'_>, digits: usize| {
            let code: String = chars.take(digits).collect();
            u32::from_str_radix(&code, 16).ok().and_then(char::from_u32)
        };
        match chars.next()? {
            'u' => out.push(hex(&mut chars, 4)?),
            'U' => out.push(hex(&mut chars, 8)?),
            'x' => out.push(hex(&mut chars, 2)?),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            other => out.push(other),
        }
    }
    Some(out)
}

/// The value after a key ending at `key_end`: past the key's closing quote,
/// blanks and line breaks, `=` or `:`, blanks and line breaks again; a
/// quoted string to its closing quote (a triple-quoted one to its closing
/// triple; one left open to the end of its line), else the bare word.
fn value_after_key(text: &str, key_end: usize) -> Option<Span> {
    let rest = text.get(key_end..)?;
    let after_quote = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    let after_space = after_quote.trim_start();
    let after_sep = after_space.strip_prefix(['=', ':'])?;
    let value = after_sep.trim_start();
    let start = key_end + (rest.len() - value.len());
    let length = match value.as_bytes().first()? {
        quote @ (b'"' | b'\'') => {
            let triple: &[u8] = if *quote == b'"' { b"\"\"\"" } else { b"'''" };
            if value.as_bytes().starts_with(triple) {
                let body = value.as_bytes().get(3..).unwrap_or_default();
                memchr::memmem::find(body, triple).map_or(value.len(), |i| 3 + i + 3)
            } else {
                let escapes = *quote == b'"';
                let mut escaped = false;
                let close = value.bytes().enumerate().skip(1).find(|&(_, b)| {
                    let closes = (b == *quote && !escaped) || b == b'\n';
                    escaped = escapes && b == b'\\' && !escaped;
                    closes
                });
                match close {
                    Some((i, b'\n')) => value.get(..i).map_or(i, |v| v.trim_end().len()),
                    Some((i, _)) => i + 1,
                    None => value.trim_end().len(),
                }
            }
        }
        _ => value
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#'))
            .unwrap_or(value.len()),
    };
    (length > 0).then(|| Span::new(start, start + length))
}

#[cfg(test)]
mod tests {
    use super::textual_secret_spans;

    #[test]
    fn keys_in_any_case_and_escaped_keys_are_found() {
        let text = "a = 1\nPaSs = \"one\"\n\u{e9}SECRET = 2\n\"CONF_secret\": \"three\"\n\"p\\u0061ss\" = \"four\"\nx = \"\\n\"\n";
        let found: Vec<&str> = textual_secret_spans(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(found, ["\"one\"", "\"three\"", "\"four\""]);
    }

    #[test]
    fn credential_values_are_found_without_parsing() {
        let text = "[[phones]]\npass = \"abc def\" # c\nconf_secret = 'x\\y'\n\"ASTmgrSECRET\": \"s\\\"t\",\nlogin_pass: bare}\nDBX_pass = \"unterminated\npassword = \"not a column\"\nfullname = \"pass = no\"\n";
        let found: Vec<&str> = textual_secret_spans(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert!(found.contains(&"\"abc def\""), "{found:?}");
        assert!(found.contains(&"'x\\y'"), "{found:?}");
        assert!(found.contains(&"\"s\\\"t\""), "{found:?}");
        assert!(found.contains(&"bare"), "{found:?}");
        assert!(found.contains(&"\"unterminated"), "{found:?}");
        assert!(
            !found.iter().any(|v| v.contains("not a column")),
            "{found:?}"
        );
        // Over-masking inside a string is harmless; a value is never missed.
        assert!(textual_secret_spans("").is_empty());
    }
}
