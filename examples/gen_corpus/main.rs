//! Writes a realistic phonelint repository of N phones to disk, for
//! benchmarks (see corpus.rs for what it holds, and bench/run.sh).

mod corpus;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use corpus::{Options, generate};

fn usage() -> String {
    "usage: gen_corpus --phones N --out DIR [--per-file K (1)] [--servers S (8)] \
     [--seed X (1)] [--rate PERMILLE (20)] [--findings-only]"
        .to_owned()
}

fn parse_args() -> Result<(Options, PathBuf), String> {
    let mut options = Options::new(1000, 1);
    let mut out = PathBuf::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{}", usage()))
        };
        let number = |text: String, name: &str| {
            text.parse::<u64>()
                .map_err(|e| format!("{name}: `{text}` is not a number: {e}"))
        };
        match arg.as_str() {
            "--phones" => options.phones = number(value("--phones")?, "--phones")? as usize,
            "--per-file" => options.per_file = number(value("--per-file")?, "--per-file")? as usize,
            "--servers" => options.servers = number(value("--servers")?, "--servers")? as usize,
            "--seed" => options.seed = number(value("--seed")?, "--seed")?,
            "--rate" => options.rate = number(value("--rate")?, "--rate")? as u32,
            "--out" => out = PathBuf::from(value("--out")?),
            "--findings-only" => options.findings_only = true,
            "-h" | "--help" => return Err(usage()),
            other => return Err(format!("unknown argument `{other}`\n{}", usage())),
        }
    }
    if out.as_os_str().is_empty() {
        return Err(format!("--out is required\n{}", usage()));
    }
    if options.per_file == 0 || options.servers == 0 || options.servers > 250 {
        return Err("--per-file must be at least 1 and --servers 1..=250".to_owned());
    }
    Ok((options, out))
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("{}: cannot create: {e}", parent.display()))?;
    }
    let mut file = std::fs::File::create(path)
        .map_err(|e| format!("{}: cannot create: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

fn run() -> Result<(), String> {
    let (options, out) = parse_args()?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: cannot create: {e}", out.display()))?;
    let stats = generate(options, |path, text| write_file(&out.join(path), text))?;
    let counts: Vec<String> = stats
        .counts
        .iter()
        .map(|(name, count)| format!("{name}={count}"))
        .collect();
    println!(
        "wrote {} phones in {} files, {} bytes, to {}",
        stats.phones,
        stats.files,
        stats.bytes,
        out.display()
    );
    println!("records by mistake: {}", counts.join(" "));
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gen_corpus: {error}");
            std::process::ExitCode::from(2)
        }
    }
}
