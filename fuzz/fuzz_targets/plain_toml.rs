#![no_main]
//! Arbitrary bytes as a `.toml` definition, read by the plain reader and by
//! the crate: wherever the plain reader accepts the text, its document is
//! the crate's one (phonelint::invariants::check_plain_reader). The bytes
//! are read twice: as they are, and as the choices of a definition in the
//! plain form (headers, `key = value` lines, comments) with now and then an
//! odd piece (any text in a string, key or comment, a float, a stray `\r`),
//! so that most inputs reach the comparison instead of stopping at the
//! first odd byte.

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use phonelint::invariants::check_plain_reader;
use phonelint::load::Format;

fuzz_target!(|data: &[u8]| {
    for text in [data, shaped(data).as_bytes()] {
        if let Err(broken) = check_plain_reader(Format::Toml, text) {
            panic!("{broken}");
        }
    }
});

const SECTIONS: (&[&str], &[&str]) = (
    &["phones", "aliases", "servers"],
    &["Phones", "phone", "", "phones.x", " phones "],
);
const KEYS: (&[&str], &[&str]) = (
    &[
        "extension",
        "login",
        "pass",
        "active",
        "status",
        "logins_list",
        "x",
        "-",
        "_",
        "1",
        "true",
    ],
    &["ext.ension", "\"extension\"", "'x'", "", "a b"],
);
const BLANKS: (&[&str], &[&str]) = (&["", " ", "\t", "  "], &[" \t ", "\u{a0}", "\u{feff}"]);
const EQUALS: (&[&str], &[&str]) = (&[" = ", "=", " =", "= ", "\t=\t"], &[" == ", "", ":"]);
const ENDS: (&[&str], &[&str]) = (&["\n", "\n", "\r\n"], &["\r", "", "\n\r", "\u{2028}"]);
const SCALARS: (&[&str], &[&str]) = (
    &["true", "false", "0", "-0", "\"\"", "[]"],
    &[
        "00",
        "+1",
        "1_0",
        "0x1",
        "1.5",
        "1e5",
        "inf",
        "1979-05-27",
        "\"\"\"a\"\"\"",
        "''",
        "{}",
        "[,]",
        "truex",
        "-",
        "9223372036854775808",
        "-9223372036854775809",
    ],
);

/// Now and then (one time in sixteen) an odd choice; never once the bytes
/// run out (they then read as zeros).
fn odd(u: &mut Unstructured) -> Result<bool> {
    Ok(u.int_in_range(0..=15u8)? == 15)
}

fn pick<'a>(u: &mut Unstructured, (plain, odd_ones): (&[&'a str], &[&'a str])) -> Result<&'a str> {
    if odd(u)? {
        u.choose(odd_ones).copied()
    } else {
        u.choose(plain).copied()
    }
}

fn shaped(data: &[u8]) -> String {
    let mut u = Unstructured::new(data);
    let mut text = String::new();
    while !u.is_empty() {
        if line(&mut u, &mut text).is_err() {
            break;
        }
    }
    text
}

fn line(u: &mut Unstructured, text: &mut String) -> Result<()> {
    text.push_str(pick(u, BLANKS)?);
    match u.int_in_range(0..=15)? {
        0..=2 => {
            text.push_str("[[");
            text.push_str(pick(u, SECTIONS)?);
            text.push_str("]]");
        }
        3..=11 => {
            if odd(u)? {
                text.push_str(u.arbitrary()?);
            } else {
                text.push_str(pick(u, KEYS)?);
            }
            text.push_str(pick(u, EQUALS)?);
            value(u, text)?;
        }
        12 => {
            text.push('#');
            content(u, text)?;
        }
        13 | 14 => {}
        _ => {
            if odd(u)? {
                text.push_str(u.arbitrary()?);
            }
        }
    }
    text.push_str(pick(u, BLANKS)?);
    if odd(u)? {
        text.push('#');
        content(u, text)?;
    }
    text.push_str(pick(u, ENDS)?);
    Ok(())
}

fn value(u: &mut Unstructured, text: &mut String) -> Result<()> {
    match u.int_in_range(0..=7)? {
        0..=2 => string(u, text)?,
        3 => text.push_str(&u.arbitrary::<i64>()?.to_string()),
        4 => text.push_str(pick(u, SCALARS)?),
        5 | 6 => {
            text.push('[');
            for at in 0..u.int_in_range(0..=3)? {
                if at > 0 {
                    text.push(',');
                }
                text.push_str(pick(u, BLANKS)?);
                string(u, text)?;
                text.push_str(pick(u, BLANKS)?);
            }
            if u.ratio(1, 4)? {
                text.push(',');
            }
            text.push(']');
        }
        _ => {
            if odd(u)? {
                text.push_str(u.arbitrary()?);
            } else {
                string(u, text)?;
            }
        }
    }
    Ok(())
}

/// A basic string: its content without quotes, backslashes and the control
/// characters TOML forbids in one (C1 controls and tabs stay), or now and
/// then any text at all.
fn string(u: &mut Unstructured, text: &mut String) -> Result<()> {
    text.push('"');
    content(u, text)?;
    text.push('"');
    Ok(())
}

fn content(u: &mut Unstructured, text: &mut String) -> Result<()> {
    let any: &str = u.arbitrary()?;
    if odd(u)? {
        text.push_str(any);
    } else {
        let plain = |c: char| (c >= ' ' || c == '\t') && !matches!(c, '\x7f' | '"' | '\\');
        text.extend(any.chars().filter(|&c| plain(c)));
    }
    Ok(())
}
