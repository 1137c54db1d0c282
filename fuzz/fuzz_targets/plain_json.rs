#![no_main]
//! Arbitrary bytes as a `.json` definition, read by the plain reader and by
//! jsonc-parser: wherever the plain reader accepts the text, its document is
//! the parser's one (phonelint::invariants::check_plain_reader). The bytes
//! are read twice: as they are, and as the choices of an object shaped like
//! a definition, with now and then an odd piece (any text in a string, a
//! number JSON forbids, a trailing comma, a comment), so that most inputs
//! reach the comparison instead of stopping at the first odd byte.

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use phonelint::invariants::check_plain_reader;
use phonelint::load::Format;

fuzz_target!(|data: &[u8]| {
    for text in [data, shaped(data).as_bytes()] {
        if let Err(broken) = check_plain_reader(Format::Json, text) {
            panic!("{broken}");
        }
    }
});

const KEYS: &[&str] = &[
    "phones",
    "aliases",
    "servers",
    "extension",
    "login",
    "pass",
    "active",
    "status",
    "logins_list",
    "x",
    "",
];
const BLANKS: (&[&str], &[&str]) = (
    &["", "", " ", "\n", "\t", "\r\n", "  ", "\r"],
    &["\u{a0}", "\u{feff}", "\u{2028}", "\x0c", "/**/", "//\n"],
);
const NUMBERS: (&[&str], &[&str]) = (
    &[
        "0",
        "-0",
        "1.5",
        "-1.5e3",
        "1E+2",
        "1e-0",
        "0.0e0",
        "1e400",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "true",
        "false",
        "null",
    ],
    &[
        "01", "1.", ".5", "-", "+1", "0x1", "NaN", "Infinity", "tru", "nulll", "1e", "--1",
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
    let _ = blank(&mut u, &mut text);
    // A top level that is not an object now and then.
    let _ = match odd(&mut u) {
        Ok(true) => value(&mut u, &mut text, 0),
        _ => object(&mut u, &mut text, 0),
    };
    let _ = blank(&mut u, &mut text);
    text
}

fn blank(u: &mut Unstructured, text: &mut String) -> Result<()> {
    text.push_str(pick(u, BLANKS)?);
    Ok(())
}

fn object(u: &mut Unstructured, text: &mut String, depth: usize) -> Result<()> {
    text.push('{');
    blank(u, text)?;
    for at in 0..u.int_in_range(0..=5)? {
        if at > 0 {
            text.push(',');
        }
        blank(u, text)?;
        if odd(u)? {
            string(u, text)?;
        } else {
            text.push('"');
            text.push_str(u.choose(KEYS)?);
            text.push('"');
        }
        blank(u, text)?;
        text.push(':');
        blank(u, text)?;
        value(u, text, depth + 1)?;
        blank(u, text)?;
    }
    if odd(u)? {
        text.push(',');
    }
    text.push('}');
    Ok(())
}

fn value(u: &mut Unstructured, text: &mut String, depth: usize) -> Result<()> {
    match u.int_in_range(0..=9)? {
        0 | 1 if depth < 6 => object(u, text, depth)?,
        2 | 3 if depth < 6 => {
            text.push('[');
            blank(u, text)?;
            for at in 0..u.int_in_range(0..=4)? {
                if at > 0 {
                    text.push(',');
                }
                blank(u, text)?;
                value(u, text, depth + 1)?;
                blank(u, text)?;
            }
            if odd(u)? {
                text.push(',');
            }
            text.push(']');
        }
        6 => text.push_str(&u.arbitrary::<i64>()?.to_string()),
        7 => text.push_str(&format!("{:e}", u.arbitrary::<f64>()?)),
        8 => text.push_str(pick(u, NUMBERS)?),
        _ => string(u, text)?,
    }
    Ok(())
}

/// A string: its content without quotes, backslashes and the control
/// characters JSON forbids in one, or now and then any text at all.
fn string(u: &mut Unstructured, text: &mut String) -> Result<()> {
    let any: &str = u.arbitrary()?;
    text.push('"');
    if odd(u)? {
        text.push_str(any);
    } else {
        text.extend(any.chars().filter(|&c| c >= ' ' && c != '"' && c != '\\'));
    }
    text.push('"');
    Ok(())
}
