//! How deep a text nests, found before parsing so that a hostile file cannot
//! exhaust the stack of the parsers and the loader, which recurse per level.

use super::format::Format;

/// The deepest nesting of arrays, tables and dotted keys phonelint parses. A
/// definition needs four levels; the parsers and the loader recurse per level.
pub const MAX_DEPTH: usize = 128;

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
