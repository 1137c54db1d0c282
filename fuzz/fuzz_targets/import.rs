#![no_main]
//! Arbitrary bytes as a database export (SQL dump or `mysql --batch` TSV):
//! the tokenizer, the conversion to records and the planning of file names;
//! every planned file loads back (phonelint::invariants::check_import). The
//! first byte picks the layout and output format.

use libfuzzer_sys::fuzz_target;
use phonelint::invariants::check_import;

fuzz_target!(|data: &[u8]| {
    let (choice, data) = data.split_first().unwrap_or((&0, data));
    if let Err(broken) = check_import(data, *choice) {
        panic!("{broken}");
    }
});
