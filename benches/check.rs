//! Micro benchmarks (divan): loading TOML and JSON per record, the per-record
//! rules, the cross-file pass, and a whole check over a generated corpus.
//!
//! ```sh
//! cargo bench --bench check            # all
//! cargo bench --bench check -- load    # a filter
//! ```
//!
//! The corpora come from the same generator as bench/run.sh
//! (examples/gen_corpus/corpus.rs). Nothing here asserts a time.

#[path = "../examples/gen_corpus/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::PathBuf;
use std::sync::Arc;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};

use phonelint::load::{Format, load_str};
use phonelint::model::Finding;
use phonelint::model::{LoadedFile, Repository};
use phonelint::rules::{self, RecordContext};
use phonelint::source::SourceFile;

fn main() {
    divan::main();
}

/// The files of a generated repository: (relative path, text).
fn corpus_files(options: corpus::Options) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let generated = corpus::generate(options, |path, text| {
        files.push((path.to_path_buf(), text.to_owned()));
        Ok(())
    });
    if let Err(error) = generated {
        panic!("generating the corpus: {error}");
    }
    files
}

/// One file of `records` phones in one syntax.
fn one_file(records: usize, format: Format) -> String {
    let mut options = corpus::Options::new(records, records);
    options.json_permille = if format == Format::Json { 1000 } else { 0 };
    let ext = if format == Format::Json {
        ".json"
    } else {
        ".toml"
    };
    corpus_files(options)
        .into_iter()
        .find(|(path, _)| path.starts_with("phones") && path.to_string_lossy().ends_with(ext))
        .map(|(_, text)| text)
        .unwrap_or_default()
}

fn bench_load(bencher: Bencher<'_, '_>, records: usize, format: Format) {
    let text = one_file(records, format);
    bencher
        .counter(ItemsCount::new(records))
        .counter(BytesCount::of_str(&text))
        .bench(|| load_str(black_box(&text), format));
}

/// Loading (parse, spans, records) per record, TOML.
#[divan::bench(args = [1, 100, 1000])]
fn load_toml(bencher: Bencher<'_, '_>, records: usize) {
    bench_load(bencher, records, Format::Toml);
}

/// Loading (parse, spans, records) per record, JSON.
#[divan::bench(args = [1, 100, 1000])]
fn load_json(bencher: Bencher<'_, '_>, records: usize) {
    bench_load(bencher, records, Format::Json);
}

/// Every generated definition file loaded in memory, 100 phones a file.
fn loaded(phones: usize) -> Vec<LoadedFile> {
    let mut files = Vec::new();
    for (path, text) in corpus_files(corpus::Options::new(phones, 100)) {
        let format = Format::from_path(&path).unwrap_or(Format::Toml);
        let document = load_str(&text, format);
        let name = path.to_string_lossy().into_owned();
        let source = Arc::new(SourceFile::new(path, name, text));
        if document.is_definition {
            files.push(LoadedFile { source, document });
        }
    }
    files
}

/// A repository as the rules across files see it, index built.
fn repository(phones: usize) -> Repository {
    let files = loaded(phones);
    Repository::of_documents(files.iter().map(|file| (&file.source, &file.document)))
}

/// The rules on one record, over every record of the repository.
#[divan::bench(args = [10_000])]
fn record_rules(bencher: Bencher<'_, '_>, phones: usize) {
    let files = loaded(phones);
    bencher.counter(ItemsCount::new(phones)).bench(|| {
        let mut findings: Vec<Finding> = Vec::new();
        for file in &files {
            for record in &file.document.records {
                let ctx = RecordContext::new(&file.source, record);
                for rule in rules::record_rules() {
                    rule.check_record(&ctx, &mut findings);
                }
            }
        }
        findings
    });
}

/// The cross-file pass: every rule's `check_repository` over a loaded repository.
#[divan::bench(args = [10_000, 100_000])]
fn cross_file_pass(bencher: Bencher<'_, '_>, phones: usize) {
    let repository = repository(phones);
    bencher.counter(ItemsCount::new(phones)).bench(|| {
        let mut findings: Vec<Finding> = Vec::new();
        for rule in rules::repository_rules() {
            rule.check_repository(black_box(&repository), &mut findings);
        }
        findings
    });
}

/// A whole check (walk, read, load, rules, cross-file pass, sort) of a
/// repository written to a temporary directory, 10 phones a file.
#[divan::bench(args = [1_000, 10_000], sample_count = 20)]
fn check_directory(bencher: Bencher<'_, '_>, phones: usize) {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("temporary directory: {error}"),
    };
    for (path, text) in corpus_files(corpus::Options::new(phones, 10)) {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let paths = [dir.path().to_path_buf()];
    let workspace = phonelint::workspace::Workspace::isolated(dir.path());
    bencher
        .counter(ItemsCount::new(phones))
        .bench(|| phonelint::check::check(&workspace, &paths, None));
}
