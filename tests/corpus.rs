//! The benchmark corpus generator (examples/gen_corpus) writes what the
//! benchmarks claim to measure: the same bytes for the same seed, and records
//! that trigger the rules in realistic numbers. No times are measured here.

#[path = "../examples/gen_corpus/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::collections::BTreeMap;
use std::path::PathBuf;

fn files(options: corpus::Options) -> (Vec<(PathBuf, String)>, corpus::Stats) {
    let mut files = Vec::new();
    let stats = corpus::generate(options, |path, text| {
        files.push((path.to_path_buf(), text.to_owned()));
        Ok(())
    })
    .unwrap();
    (files, stats)
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (a, _) = files(corpus::Options::new(300, 7));
    let (b, _) = files(corpus::Options::new(300, 7));
    assert_eq!(a, b);
    let mut other = corpus::Options::new(300, 7);
    other.seed = 2;
    assert_ne!(files(other).0, a);
}

#[test]
fn layouts_mix_formats_and_hold_every_phone() {
    let (one, stats) = files(corpus::Options::new(500, 1));
    let phone_files = one.iter().filter(|(p, _)| p.starts_with("phones")).count();
    assert_eq!(phone_files, 500);
    assert_eq!(stats.files, one.len());
    let json = one
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "json"))
        .count();
    assert!(
        json > 100 && json < 400,
        "{json} JSON files of {}",
        one.len()
    );
    let (packed, _) = files(corpus::Options::new(500, 100));
    assert_eq!(
        packed
            .iter()
            .filter(|(p, _)| p.starts_with("phones"))
            .count(),
        5
    );
    assert!(packed.iter().any(|(p, _)| p.starts_with("aliases")));
    assert!(packed.iter().any(|(p, _)| p.ends_with("servers.toml")));
}

#[test]
fn a_generated_repository_triggers_the_rules_and_loads_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let (written, stats) = files(corpus::Options::new(2000, 50));
    for (path, text) in &written {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let workspace = phonelint::workspace::Workspace::isolated(dir.path());
    let outcome = phonelint::check::check(&workspace, &[dir.path().to_path_buf()], None);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    // 2000 phones, 40 aliases, 8 servers; package.json is not a definition.
    assert_eq!(outcome.summary.records, 2000 + 40 + 8);
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &outcome.findings {
        *by_rule.entry(finding.rule).or_default() += 1;
    }
    // Each mistake is a few percent of the records: as generated, counted by rule.
    let count = |name: &str| stats.counts.get(name).copied().unwrap_or(0);
    assert_eq!(
        by_rule.get("inactive-admin"),
        Some(&count("inactive-admin"))
    );
    assert_eq!(
        by_rule.get("blocked-but-listed"),
        Some(&count("active-but-blocked"))
    );
    assert_eq!(
        by_rule.get("unknown-status"),
        Some(&count("unknown-status"))
    );
    assert_eq!(by_rule.get("unknown-field"), Some(&count("misspelt-field")));
    for name in ["inactive-admin", "unknown-status", "bad-protocol"] {
        let n = count(name);
        assert!((10..=100).contains(&n), "{name}: {n} of 2000");
    }
}
