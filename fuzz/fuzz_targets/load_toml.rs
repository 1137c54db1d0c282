#![no_main]
//! Arbitrary bytes as a `.toml` definition, through every rule and output
//! format (phonelint::invariants::check_definition).

use libfuzzer_sys::fuzz_target;
use phonelint::invariants::check_definition;
use phonelint::load::Format;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = check_definition(Format::Toml, data) {
        panic!("{broken}");
    }
});
