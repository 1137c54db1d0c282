//! Safe file names from untrusted data (an extension, a server_ip).
//!
//! A name is one path component that is valid on Linux, macOS and Windows and
//! can never leave the output directory: every byte outside `A-Za-z0-9_-.@+`
//! is percent-encoded (`SIP/100` -> `SIP%2F100`, `a:b` -> `a%3Ab`), so distinct
//! values give distinct names; a leading or trailing dot is encoded too (no
//! `.`, `..` or hidden files; Windows drops trailing dots), Windows device
//! names (`CON`, `com1`, ...) get a leading `_`, an empty value becomes
//! `_empty`, and an over-long name is cut and made unique with a hash.

use crate::text::hash::fnv1a;

/// Longest stem written, in bytes; leaves room for a suffix and an extension
/// under the 255-byte limit of common file systems.
const MAX_STEM: usize = 120;

const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file stem (no extension) for `value`.
pub fn safe_file_stem(value: &str) -> String {
    if value.is_empty() {
        return "_empty".to_owned();
    }
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    for (i, &b) in bytes.iter().enumerate() {
        let edge_dot = b == b'.' && (i == 0 || i + 1 == bytes.len());
        let plain = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'@' | b'+');
        if plain && !edge_dot {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // Windows reserves device names, with or without an extension (`con.txt`).
    let base = out.split('.').next().unwrap_or_default();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base)) {
        out.insert(0, '_');
    }
    if out.len() > MAX_STEM {
        // Cut at a byte that does not split a %XX escape (the text is ASCII).
        let mut cut = MAX_STEM - 17;
        while cut > 0
            && out
                .as_bytes()
                .get(cut.saturating_sub(2)..cut)
                .is_some_and(|w| w.contains(&b'%'))
        {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str(&format!("~{:016x}", fnv1a(bytes)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Component, Path};

    fn assert_one_normal_component(name: &str) {
        let components: Vec<Component> = Path::new(name).components().collect();
        assert!(
            matches!(components.as_slice(), [Component::Normal(_)]),
            "{name:?} is not one plain component"
        );
        assert!(!name.starts_with('.'), "{name:?} is hidden");
        assert!(!name.ends_with('.') && !name.ends_with(' '), "{name:?}");
        assert!(name.len() <= MAX_STEM, "{name:?} is too long");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.@+%~".contains(&b)),
            "{name:?}"
        );
    }

    #[test]
    fn hostile_values_give_safe_distinct_names() {
        let cases = [
            ("cc100", "cc100"),
            ("10.10.10.15", "10.10.10.15"),
            ("../../x", "%2E.%2F..%2Fx"),
            ("SIP/100", "SIP%2F100"),
            ("a:b", "a%3Ab"),
            ("a_b", "a_b"),
            ("", "_empty"),
            (".", "%2E"),
            ("..", "%2E%2E"),
            ("CON", "_CON"),
            ("com1.x", "_com1.x"),
            ("a\\b", "a%5Cb"),
            ("x\0y", "x%00y"),
            ("trailing.", "trailing%2E"),
            ("sp ace", "sp%20ace"),
            ("é", "%C3%A9"),
            ("/etc/passwd", "%2Fetc%2Fpasswd"),
        ];
        for (value, expected) in cases {
            let name = safe_file_stem(value);
            assert_eq!(name, expected, "{value:?}");
            assert_one_normal_component(&name);
        }
    }

    #[test]
    fn long_names_are_cut_and_stay_unique() {
        let a = "x".repeat(1000);
        let b = format!("{}y", "x".repeat(999));
        let (na, nb) = (safe_file_stem(&a), safe_file_stem(&b));
        assert_ne!(na, nb);
        assert_one_normal_component(&na);
        let slashes = "/".repeat(300);
        let ns = safe_file_stem(&slashes);
        assert_one_normal_component(&ns);
        assert!(!ns.contains("%2~") && !ns.contains("%~"), "{ns}");
    }
}
