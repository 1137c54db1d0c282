//! `--diff`: what the fixes would change, as a unified diff per file. The
//! text is shown as the human report shows it: secrets masked unless asked,
//! control characters escaped.

use similar::TextDiff;

use super::display::DisplayFile;
use crate::fix::{Plan, map_span};
use crate::source::SourceFile;

pub fn render(plan: &Plan, show_secrets: bool) -> String {
    let mut out = String::new();
    for fixed in &plan.files {
        let old = DisplayFile::new(&fixed.file, !show_secrets);
        let secrets = fixed
            .file
            .secrets
            .iter()
            .map(|secret| map_span(&fixed.edits, *secret))
            .collect();
        let new = SourceFile::new(
            fixed.file.path.clone(),
            fixed.file.name.clone(),
            fixed.text.clone(),
        )
        .with_secrets(secrets);
        let new = DisplayFile::new(&new, !show_secrets);
        let name = &fixed.file.name;
        let diff = TextDiff::from_lines(&old.file.text, &new.file.text);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(name, name)
                .to_string(),
        );
    }
    out
}
