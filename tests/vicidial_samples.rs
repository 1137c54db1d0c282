//! VICIdial's own sample phones (fixtures/vicidial-samples/, copied column for
//! column from the INSERT statements of fixtures/vicidial-data/*.sql, which nobody here
//! wrote) hold what the domain reference says they hold: `-5` local_gmt,
//! `test` passwords, an ADMIN install phone with a default password, a server
//! left with VICIdial's default IAX and manager secrets, and one clash across
//! files: the install's gs102 and the sample cc102 are both dialled as `102`
//! on one server and share voicemail box `102` under different names.

mod common;

use common::{check, short};
use phonelint::model::{Applicability, Severity};

const SAMPLES: &str = "fixtures/vicidial-samples";

#[test]
fn samples_hold_the_findings_vicidial_ships() {
    let outcome = check(SAMPLES);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    // 9 phones and the install's server.
    assert_eq!(outcome.summary.records, 10);

    // Nothing but what the samples really contain.
    for finding in &outcome.findings {
        assert!(
            matches!(
                finding.rule,
                "invalid-local-gmt"
                    | "default-credential"
                    | "runtime-field"
                    | "duplicate-dialplan-number"
                    | "shared-voicemail-mismatch"
                    | "server-default-secret"
            ),
            "unexpected {}: {}",
            finding.rule,
            finding.message
        );
    }
    let keys = |rule: &str| -> Vec<String> {
        outcome
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .filter_map(|f| f.record.as_ref().map(|r| r.key.clone()))
            .collect()
    };

    // Every channel-bank and SIP/IAX sample writes local_gmt '-5': a number
    // the agent screen reads fine (a warning), with the add form's exact
    // string as a safe fix.
    let gmt: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.rule == "invalid-local-gmt")
        .collect();
    assert_eq!(gmt.len(), 7);
    for finding in &gmt {
        assert_eq!(finding.severity, Severity::Warning);
        let fix = finding.fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].replacement, "\"-5.00\"");
        assert_eq!(finding.file.slice(finding.span), "\"-5\"");
    }

    // Every sample phone has pass 'test': one error on each pass.
    let on_pass: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.rule == "default-credential" && f.file.slice(f.span) == "\"test\"")
        .collect();
    assert_eq!(on_pass.len(), 9);
    assert!(on_pass.iter().all(|f| f.severity == Severity::Error));

    // The SIP and IAX2 phones set no conf_secret: the default applies. The
    // Zap and EXTERNAL phones register no peer, so it does not matter there.
    let omitted: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.rule == "default-credential" && f.message.contains("sets no `conf_secret`"))
        .filter_map(|f| f.record.as_ref().map(|r| r.key.as_str()))
        .collect();
    assert_eq!(
        omitted,
        [
            "gs102@10.10.10.15",
            "cc100@10.10.10.15",
            "cc101@10.10.10.15",
            "cc102@10.10.10.15",
            "cc300@10.10.10.15"
        ]
    );

    // The install's ADMIN phone gs102 keeps the default password. The
    // finding does not claim that ADMIN opens anything: no VICIdial code reads
    // a phone's status.
    let admin = on_pass
        .iter()
        .find(|f| {
            f.record
                .as_ref()
                .is_some_and(|r| r.key == "gs102@10.10.10.15")
        })
        .expect("gs102's pass is reported");
    assert!(
        admin.labels.iter().all(|l| !l.message.contains("admin")),
        "{:?}",
        admin.labels
    );

    // The install's server sets neither conf_secret nor ASTmgrSECRET: the
    // schema's `test` and `1234` are its live IAX and manager secrets.
    let server: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.rule == "server-default-secret")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(server.len(), 2, "{server:?}");
    assert!(
        server
            .iter()
            .all(|m| m.starts_with("server `TESTast` sets no"))
    );

    // The install rows carry run-time columns (phone_ip, computer_ip, messages).
    assert!(keys("runtime-field").contains(&"gs102@10.10.10.15".to_owned()));

    // The secret itself is never printed.
    for finding in &outcome.findings {
        let texts = [
            Some(finding.message.as_str()),
            Some(&*finding.label),
            finding.help.as_deref(),
        ];
        for text in texts.into_iter().flatten() {
            assert!(!text.contains("test"), "{text}");
        }
    }

    insta::assert_snapshot!(short(&outcome));
}

#[test]
fn the_install_sample_and_the_sip_sample_share_dialplan_number_102() {
    let outcome = check(SAMPLES);
    let cross: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| !f.related.is_empty())
        .map(|f| {
            let files: Vec<_> = f.related.iter().map(|r| r.file.name.as_str()).collect();
            (
                f.rule,
                f.record.as_ref().map(|r| r.key.as_str()),
                f.file.name.as_str(),
                files,
            )
        })
        .collect();
    assert_eq!(
        cross,
        [
            (
                "duplicate-dialplan-number",
                Some("gs102@10.10.10.15"),
                "fixtures/vicidial-samples/first_server_install.toml",
                vec!["fixtures/vicidial-samples/sip-iax_phones.json"],
            ),
            (
                "shared-voicemail-mismatch",
                Some("gs102@10.10.10.15"),
                "fixtures/vicidial-samples/first_server_install.toml",
                vec!["fixtures/vicidial-samples/sip-iax_phones.json"],
            ),
            (
                "duplicate-dialplan-number",
                Some("cc102@10.10.10.15"),
                "fixtures/vicidial-samples/sip-iax_phones.json",
                vec!["fixtures/vicidial-samples/first_server_install.toml"],
            ),
            (
                "shared-voicemail-mismatch",
                Some("cc102@10.10.10.15"),
                "fixtures/vicidial-samples/sip-iax_phones.json",
                vec!["fixtures/vicidial-samples/first_server_install.toml"],
            ),
        ],
        "{}",
        short(&outcome)
    );
    // Box 102 is shared with the same pass and no email, but the box line
    // also carries the name: `Test Admin Phone` or cc102's, whichever row
    // MySQL returns first.
    let mismatch = outcome
        .findings
        .iter()
        .find(|f| f.rule == "shared-voicemail-mismatch")
        .expect("box 102 is reported");
    assert!(
        mismatch.message.ends_with("with a different fullname"),
        "{}",
        mismatch.message
    );
}

/// A rule, a severity and how many findings of them.
type Count = (&'static str, Severity, usize);

/// VICIdial's own SQL (the real dump and the three sample files), imported
/// and checked: every finding, counted by rule and severity, is one an
/// administrator would agree with. The `-5` local_gmt works (a warning with
/// its exact string as fix), the `test` passwords and omitted conf_secrets
/// are the shipped defaults, the install server keeps its default IAX and
/// manager secrets, and the install's gs102 and the sample cc102 share number
/// and voicemail box 102.
#[test]
fn vicidial_sql_imported_and_checked_gives_these_findings() {
    let expected: [(&str, &[Count]); 4] = [
        (
            "mysqldump-phones.sql",
            &[
                ("default-credential", Severity::Error, 255),
                ("server-default-secret", Severity::Error, 2),
                ("invalid-local-gmt", Severity::Warning, 150),
                ("duplicate-dialplan-number", Severity::Warning, 2),
                ("shared-voicemail-mismatch", Severity::Warning, 2),
            ],
        ),
        (
            "first_server_install.sql",
            &[
                ("default-credential", Severity::Error, 3),
                ("server-default-secret", Severity::Error, 2),
            ],
        ),
        (
            "single_channelbank_phones.sql",
            &[
                ("default-credential", Severity::Error, 48),
                ("invalid-local-gmt", Severity::Warning, 48),
            ],
        ),
        (
            "sip-iax_phones.sql",
            &[
                ("default-credential", Severity::Error, 204),
                ("invalid-local-gmt", Severity::Warning, 102),
            ],
        ),
    ];
    for (dump, counts) in expected {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("imported");
        common::phonelint()
            .arg("import")
            .arg(common::root().join("fixtures/vicidial-data").join(dump))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        // The imported directory is a repository of its own.
        std::fs::write(out.join("phonelint.toml"), "").unwrap();
        let outcome = check(&out);
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        let mut found: std::collections::BTreeMap<(&str, Severity), usize> = Default::default();
        for finding in &outcome.findings {
            *found.entry((finding.rule, finding.severity)).or_default() += 1;
        }
        let wanted: std::collections::BTreeMap<(&str, Severity), usize> = counts
            .iter()
            .map(|(rule, severity, n)| ((*rule, *severity), *n))
            .collect();
        assert_eq!(found, wanted, "{dump}:\n{}", short(&outcome));
    }
}
