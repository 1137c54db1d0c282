//! VICIdial's own sample rows, loaded together: the clashes across files they
//! really contain.

mod common;

use common::{check, short};

#[test]
fn the_install_sample_and_the_sip_sample_share_dialplan_number_102() {
    let outcome = check("fixtures/vicidial-samples");
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
                "duplicate-dialplan-number",
                Some("cc102@10.10.10.15"),
                "fixtures/vicidial-samples/sip-iax_phones.json",
                vec!["fixtures/vicidial-samples/first_server_install.toml"],
            ),
        ],
        "{}",
        short(&outcome)
    );
    // Box 102 is shared too, but with the same pass and no email: no mismatch.
    assert!(
        outcome
            .findings
            .iter()
            .all(|f| f.rule != "shared-voicemail-mismatch")
    );
}
