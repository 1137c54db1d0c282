#![no_main]
//! Arbitrary bytes as a `.json` definition, read by the plain reader and by
//! the crates: wherever the plain reader accepts the text, its document is
//! the crates' one (phonelint::invariants::check_plain_reader).

use libfuzzer_sys::fuzz_target;
use phonelint::invariants::check_plain_reader;
use phonelint::load::Format;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = check_plain_reader(Format::Json, data) {
        panic!("{broken}");
    }
});
