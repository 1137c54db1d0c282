//! Between the rules and the report: keep only the findings located in the
//! files the user asked about. The rules saw the whole repository, so a
//! cross-file finding between an asked-about file and an untouched one is kept
//! on the asked-about side (each side of a cross-file finding is its own
//! finding, located in its own file, with the other side as related).

use crate::model::Finding;

/// Keeps the findings located in a file reported on (see
/// [`SourceFile::reported`](crate::source::SourceFile::reported)): the files
/// asked about, and the files that are not definitions (the baseline file,
/// phonelint.toml), whose findings are about the run itself.
pub fn only_reported(findings: &mut Vec<Finding>) {
    findings.retain(|finding| finding.file.reported);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Severity;
    use crate::source::{SourceFile, Span};

    #[test]
    fn a_cross_file_finding_stays_on_the_side_asked_about() {
        let file = |name: &str, reported: bool| {
            Arc::new(
                SourceFile::new(name.into(), name.into(), "login = \"a\"\n".into())
                    .with_reported(reported),
            )
        };
        let (changed, untouched) = (file("changed.toml", true), file("untouched.toml", false));
        let span = Span::new(8, 11);
        // A duplicate reported once per record, each side pointing at the other.
        let on_changed = Finding::new("dup", Severity::Error, &changed, span, "dup").with_related(
            &untouched,
            span,
            "also here",
        );
        let on_untouched = Finding::new("dup", Severity::Error, &untouched, span, "dup")
            .with_related(&changed, span, "also here");
        let baseline = Arc::new(SourceFile::new(
            "phonelint-baseline.json".into(),
            "phonelint-baseline.json".into(),
            "[]".into(),
        ));
        let stale = Finding::new("stale", Severity::Info, &baseline, span, "stale");
        let mut findings = vec![on_untouched, on_changed, stale];
        only_reported(&mut findings);
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].file.name, "changed.toml");
        assert_eq!(findings[0].related[0].file.name, "untouched.toml");
        // Not a file of the repository: about the run, kept.
        assert_eq!(findings[1].file.name, "phonelint-baseline.json");
    }
}
