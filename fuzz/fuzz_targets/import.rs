#![no_main]
//! Arbitrary bytes as a database export (SQL dump or `mysql --batch` TSV):
//! the tokenizer, the conversion to records and the planning of file names,
//! and every planned file loads back as a definition.

use std::path::{Component, PathBuf};

use libfuzzer_sys::fuzz_target;
use phonelint::import::{Layout, Options, OutputFormat, plan_bytes};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the layout and output format.
    let (choice, data) = data.split_first().unwrap_or((&0, data));
    let options = Options {
        out: PathBuf::from("out"),
        format: if choice & 1 == 0 { OutputFormat::Toml } else { OutputFormat::Json },
        layout: if choice & 2 == 0 { Layout::PerServer } else { Layout::PerPhone },
        all_columns: choice & 4 != 0,
        runtime_columns: choice & 8 != 0,
        force: false,
    };
    let Ok((_, files)) = plan_bytes(data, &options) else {
        return;
    };
    for file in &files {
        // Names from the dump never leave the output directory.
        assert!(
            file.path
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "unsafe path {:?}",
            file.path
        );
        let format = if choice & 1 == 0 {
            phonelint::load::Format::Toml
        } else {
            phonelint::load::Format::Json
        };
        // What import writes, phonelint reads back without syntax errors.
        let document = phonelint::load::load_str(&file.text, format);
        assert!(
            document.problems.is_empty(),
            "{:?}: {:?}\n{}",
            file.path,
            document.problems,
            file.text
        );
    }
});
