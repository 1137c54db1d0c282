//! A configuration that cannot be used, for stderr: miette reports pointing
//! into the file, or one line when it could not be read.

use super::miette::{Look, Report, handler, label};
use crate::config::ConfigError;
use crate::source::display::{DisplayFile, Shown};

/// The text for stderr (exit code 2), in colour or not, drawn in Unicode or
/// ASCII only.
pub fn render(error: &ConfigError, color: bool, ascii: bool) -> String {
    let ConfigError::Invalid(diagnostics) = error else {
        return format!("phonelint: error: {error}\n");
    };
    let handler = handler(Look { color, ascii });
    let mut out = String::new();
    for diagnostic in diagnostics {
        // Snippets from a display copy: control characters in the file are
        // shown escaped, never sent to the terminal.
        let display = DisplayFile::new(&diagnostic.file, false);
        let report = Report {
            title: crate::text::escape::escape_controls(&diagnostic.message).into_owned(),
            code: Some("error[config]".to_owned()),
            severity: None,
            help: diagnostic.help.as_deref(),
            source: Some(Shown {
                display: &display,
                original: &diagnostic.file,
                labels: vec![(
                    display.map_span(diagnostic.span).start,
                    diagnostic.span.start,
                )],
            }),
            labels: vec![label(&display, diagnostic.span, &diagnostic.label, true)],
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!(
                "{}: {}\n",
                diagnostic.file.name, diagnostic.message
            ));
        }
        out.push('\n');
    }
    let (n, name) = (
        diagnostics.len(),
        diagnostics.first().map_or("", |d| d.file.name.as_str()),
    );
    let s = if n == 1 { "" } else { "s" };
    out.push_str(&format!(
        "phonelint: error: {n} problem{s} in {name}; nothing was checked\n"
    ));
    out
}
