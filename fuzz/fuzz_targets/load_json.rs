#![no_main]
//! Arbitrary bytes as a `.json` definition, through every rule and output format.

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::check(phonelint::load::Format::Json, data));
