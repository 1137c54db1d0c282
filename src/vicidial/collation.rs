//! How VICIdial's MySQL compares text. The install creates the database with
//! `utf8_unicode_ci` (docs/BASE_INSTALL.txt 251), MariaDB's
//! `utf8mb3_unicode_ci`: UCA 4.0.0 at the primary level, so case and accents
//! do not count (`A` = `a` = `á`), some letters expand (`ß` = `ss`), control
//! characters are ignored, and trailing spaces do not count (PAD SPACE).
//!
//! [`comparison_key`] turns a text into one whose equality is the collation's:
//! each character becomes the characters it compares as, from a table taken
//! from MariaDB itself (`unicode_ci.txt`, checked against a real server by
//! tests/mariadb.rs).

use std::collections::HashMap;
use std::sync::LazyLock;

/// Each BMP code point whose key is not itself, and its key (empty: ignored).
static TABLE: LazyLock<HashMap<u16, Box<[char]>>> = LazyLock::new(|| {
    include_str!("unicode_ci.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut parts = line.split(' ').map(|hex| u32::from_str_radix(hex, 16).ok());
            let code_point = u16::try_from(parts.next()??).ok()?;
            let key: Option<Box<[char]>> = parts.map(|part| char::from_u32(part?)).collect();
            Some((code_point, key?))
        })
        .collect()
});

/// The ASCII controls the collation ignores: all but tab, line feed, vertical
/// tab, form feed and carriage return (which have weights).
fn ignored_ascii(byte: u8) -> bool {
    (byte < 0x20 && !(0x09..=0x0d).contains(&byte)) || byte == 0x7f
}

/// `text` as the collation compares it: two texts are equal under
/// `utf8mb3_unicode_ci` exactly when their keys are equal. Characters outside
/// the BMP (which a utf8mb3 column cannot store) are kept as they are.
pub fn comparison_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    if text.is_ascii() {
        // The common case, without the table: letters compare as lower case.
        key.extend(
            text.bytes()
                .filter(|&byte| !ignored_ascii(byte))
                .map(|byte| char::from(byte.to_ascii_lowercase())),
        );
    } else {
        for c in text.chars() {
            match u16::try_from(u32::from(c))
                .ok()
                .and_then(|cp| TABLE.get(&cp))
            {
                Some(mapped) => key.extend(mapped.iter()),
                None => key.push(c),
            }
        }
    }
    // PAD SPACE: trailing spaces (and what compares as one) do not count.
    let end = key.trim_end_matches(' ').len();
    key.truncate(end);
    key
}

/// Whether the comparison key of `text` contains `needle`, itself a key
/// (see [`comparison_key`]: no upper case, no trailing space). Plain ASCII
/// that holds no ignored control is its own key but for case and trailing
/// spaces: searched as it is, without building the key.
pub fn folded_contains(text: &str, needle: &str) -> bool {
    let bytes = text.as_bytes();
    if needle.is_empty() {
        return true;
    }
    if bytes
        .iter()
        .all(|&byte| byte.is_ascii() && !ignored_ascii(byte))
    {
        return bytes
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()));
    }
    comparison_key(text).contains(needle)
}

/// Whether two texts are equal under the collation.
pub fn collation_eq(a: &str, b: &str) -> bool {
    comparison_key(a) == comparison_key(b)
}

/// A folded key (see [`fold_key`]).
pub type Key = compact_str::CompactString;

/// A key as VICIdial's MySQL compares it (`utf8_unicode_ci`, see
/// [`comparison_key`]): case and accents ignored, trailing spaces ignored.
/// `None` for an empty key: a missing or empty value is `missing-field`'s
/// business, not a clash.
pub fn fold_key(text: &str) -> Option<Key> {
    match key_text(text)? {
        // Short enough to be kept without allocating.
        KeyText::Plain(text) => {
            let mut key = Key::from(text);
            key.make_ascii_lowercase();
            Some(key)
        }
        KeyText::Other(text) => {
            let key = comparison_key(text);
            (!key.is_empty()).then(|| Key::from(key))
        }
    }
}

/// What a key (see [`fold_key`]) is made of: the text without its trailing
/// spaces.
pub enum KeyText<'t> {
    /// Printable ASCII (most keys: letters, digits and punctuation), whose
    /// key is itself in lower case.
    Plain(&'t str),
    /// Anything else, folded by the collation's table.
    Other(&'t str),
}

/// `text` without its trailing spaces, told plain or not; `None` when
/// nothing is left.
pub fn key_text(text: &str) -> Option<KeyText<'_>> {
    let trimmed = text.trim_end_matches(' ');
    if trimmed.is_empty() {
        return None;
    }
    Some(if trimmed.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        KeyText::Plain(trimmed)
    } else {
        KeyText::Other(trimmed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_expansions_and_trailing_spaces_fold() {
        assert!(collation_eq("CC100", "cc100"));
        assert!(collation_eq("José", "JOSE"));
        assert!(collation_eq("Straße", "STRASSE"));
        assert!(collation_eq("b", "b  "));
        assert!(collation_eq("b", "b\u{a0}"));
        assert!(collation_eq("a\u{1}b", "ab"));
        assert!(!collation_eq(" b", "b"));
        assert!(!collation_eq("a\tb", "ab"));
        assert!(!collation_eq("cc-100", "cc100"));
        assert_eq!(comparison_key("ÉCOLE "), "ecole");
        assert_eq!(comparison_key("   "), "");
    }

    #[test]
    fn folded_contains_is_contains_of_the_key() {
        for text in [
            "",
            "trunk",
            "SIP-Trunk",
            "TRUN",
            "tru\u{1}nk",
            "Trünk",
            "trunk  ",
            "CCagent",
            "x\ttrunk",
            "ＴＲＵＮＫ",
        ] {
            for needle in ["trunk", "", "k"] {
                assert_eq!(
                    folded_contains(text, needle),
                    comparison_key(text).contains(needle),
                    "{text:?} {needle:?}"
                );
            }
        }
    }

    #[test]
    fn the_table_is_read_whole() {
        // Every data line of the file is one entry.
        let lines = include_str!("unicode_ci.txt")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .count();
        assert_eq!(TABLE.len(), lines);
        // The ASCII fast path agrees with the table.
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            let expected: String = match TABLE.get(&u16::from(byte)) {
                Some(mapped) => mapped.iter().collect(),
                None => c.to_string(),
            };
            let mut fast = String::new();
            if !ignored_ascii(byte) {
                fast.push(c.to_ascii_lowercase());
            }
            assert_eq!(fast, expected, "{byte:#x}");
        }
    }
}
