//! Every registered rule fires on its `bad` fixture, with the positions shown
//! in reviewed snapshots, and stays silent on its `clean` fixture.

mod common;

use common::{check, human, root, rule_fixture, short};
use phonelint::rules::RULES;

#[test]
fn every_rule_fires_on_its_bad_fixture() {
    for rule in RULES {
        let name = rule.meta().name;
        let bad = rule_fixture(name, "bad");
        assert!(
            root().join(&bad).is_dir(),
            "{name} has no fixture at {}",
            bad.display()
        );
        let outcome = check(&bad);
        assert!(
            outcome.findings.iter().any(|f| f.rule == name),
            "{name} did not fire on {}:\n{}",
            bad.display(),
            short(&outcome)
        );
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    }
}

/// Every fixture directory is a repository of its own (fixtures/rules/README.md):
/// `phonelint fixtures/rules/RULE/bad` reads that fixture alone, not the
/// whole checkout around it.
#[test]
fn every_fixture_directory_is_a_repository_root() {
    for rule in RULES {
        let name = rule.meta().name;
        for kind in ["bad", "clean"] {
            let marker = root().join(rule_fixture(name, kind)).join("phonelint.toml");
            assert!(marker.is_file(), "{} is missing", marker.display());
        }
    }
}

#[test]
fn clean_fixtures_have_no_findings() {
    for rule in RULES {
        let name = rule.meta().name;
        let clean = rule_fixture(name, "clean");
        assert!(root().join(&clean).is_dir(), "{name} has no clean fixture");
        let outcome = check(&clean);
        assert!(
            outcome.findings.is_empty(),
            "{} is not clean:\n{}",
            clean.display(),
            short(&outcome)
        );
        assert!(outcome.summary.records > 0 || name == "unknown-field");
    }
}

#[test]
fn bad_fixture_findings_and_positions() {
    for rule in RULES {
        let name = rule.meta().name;
        let outcome = check(rule_fixture(name, "bad"));
        insta::assert_snapshot!(format!("short__{name}"), short(&outcome));
    }
}

#[test]
fn bad_fixture_reports() {
    for rule in RULES {
        let name = rule.meta().name;
        let outcome = check(rule_fixture(name, "bad"));
        insta::assert_snapshot!(format!("human__{name}"), human(&outcome));
    }
}

#[test]
fn no_finding_prints_a_secret() {
    for rule in RULES {
        let outcome = check(rule_fixture(rule.meta().name, "bad"));
        for finding in &outcome.findings {
            let mut texts = vec![finding.message.as_str(), &*finding.label];
            texts.extend(finding.help.as_deref());
            texts.extend(finding.labels.iter().map(|l| l.message.as_str()));
            texts.extend(finding.related.iter().map(|r| r.message.as_str()));
            if let Some(fix) = &finding.fix {
                texts.extend(fix.edits.iter().map(|e| e.replacement.as_str()));
            }
            for &span in finding.file.secrets() {
                let secret = finding.file.slice(span).trim_matches('"');
                // Shorter values ("x") occur in ordinary words.
                if secret.chars().count() < 4 {
                    continue;
                }
                for text in &texts {
                    assert!(
                        !text.contains(secret),
                        "{} prints a secret in {text:?}",
                        finding.rule
                    );
                }
            }
        }
    }
}

/// A rule's declaration tells the truth about its findings: each has one of
/// the severities it declares (`severity`, `also`) and only the kinds of fix
/// it declares (`fixes`); and a rule declaring fixes offers one on its bad
/// fixture. (Its `scope` is held by the fixture tests above: the check calls
/// a rule only through its scope, so a wrong one finds nothing.)
#[test]
fn declarations_match_what_the_rules_report() {
    for rule in RULES {
        let meta = rule.meta();
        let outcome = check(rule_fixture(meta.name, "bad"));
        let mine: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| f.rule == meta.name)
            .collect();
        for finding in &mine {
            assert!(
                finding.severity == meta.severity || meta.also.contains(&finding.severity),
                "{} reports at {} but declares {} and also {:?}",
                meta.name,
                finding.severity,
                meta.severity,
                meta.also
            );
            if let Some(fix) = &finding.fix {
                assert!(
                    meta.fixes.contains(&fix.applicability),
                    "{} offers a {:?} fix but declares {:?}",
                    meta.name,
                    fix.applicability,
                    meta.fixes
                );
            }
        }
        if !meta.fixes.is_empty() {
            assert!(
                mine.iter().any(|f| f.fix.is_some()),
                "{} declares fixes and offers none on its bad fixture",
                meta.name
            );
        }
    }
}
