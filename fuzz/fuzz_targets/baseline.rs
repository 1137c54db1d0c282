#![no_main]
//! Arbitrary bytes as a baseline file: one that loads names only paths
//! inside the repository, and its stale findings render in every format
//! (phonelint::invariants::check_baseline).

use libfuzzer_sys::fuzz_target;
use phonelint::invariants::check_baseline;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = check_baseline(data) {
        panic!("{broken}");
    }
});
