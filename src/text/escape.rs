//! Text from definition files and file names made safe to print: control
//! characters, ANSI escapes and bidirectional overrides shown escaped
//! (`\u{1b}`), never interpreted by a terminal or a log reader.

use std::borrow::Cow;

/// Control characters other than newline and tab, and the bidirectional
/// controls that can make a terminal show text other than what is there.
pub fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// A message or label with control characters escaped.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c) || c == '\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) || c == '\n' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message for a format of one line per finding (`short`): what
/// [`escape_controls`] escapes, and also tabs, line separators, invisible
/// characters (a byte order mark, zero-width spaces and joiners, variation
/// selectors, a soft hyphen) and combining marks that follow no letter or
/// digit (they would sit on phonelint's own punctuation, a backquote), each
/// shown as `\u{..}`.
pub fn escape_for_line(text: &str) -> Cow<'_, str> {
    let mut previous: Option<char> = None;
    let mut escape_at = text.chars().map(move |c| {
        let lone = is_combining(c) && !previous.is_some_and(char::is_alphanumeric);
        let escape = must_escape(c) || c == '\n' || c == '\t' || is_invisible(c) || lone;
        // A mark kept on a letter keeps the letter's place for the next one.
        if !is_combining(c) || escape {
            previous = Some(c);
        }
        (c, escape)
    });
    if !escape_at.clone().any(|(_, escape)| escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (c, escape) in escape_at.by_ref() {
        if escape {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Combining marks of the general blocks (diacritics, their extensions and
/// supplements, marks for symbols, half marks).
fn is_combining(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Characters that show nothing: a reader cannot tell they are there.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// Characters that may end a line for some reader of a log, beyond CR and LF.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Whether a character must be shown escaped (see [`escape_controls`]).
pub fn must_escape(c: char) -> bool {
    needs_escape(c) || is_line_break(c)
}

/// A repository path as a relative URL: `/`-separated, with every byte outside
/// RFC 3986's unreserved characters and `/` percent-encoded.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a\nb\u{7}"), "a\\u{a}b\\u{7}");
        assert_eq!(escape_controls("plain"), "plain");
    }
}
