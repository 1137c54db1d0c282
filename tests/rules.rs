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
