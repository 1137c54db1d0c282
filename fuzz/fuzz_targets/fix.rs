#![no_main]
//! Arbitrary bytes as a definition (the first byte picks TOML or JSON), with
//! every fix applied pass after pass as `--fix --unsafe-fixes` applies them:
//! each fixed text loads cleanly (phonelint::invariants::check_fixes).

use libfuzzer_sys::fuzz_target;
use phonelint::invariants::check_fixes;
use phonelint::load::Format;

fuzz_target!(|data: &[u8]| {
    let (choice, rest) = data.split_first().unwrap_or((&0, data));
    let format = if choice & 1 == 0 {
        Format::Toml
    } else {
        Format::Json
    };
    if let Err(broken) = check_fixes(format, rest) {
        panic!("{broken}");
    }
});
