//! The one adapter between phonelint's diagnostics and miette's graphical
//! reports: a message at labelled spans of a file's display copy (secrets
//! masked, control characters escaped), with a code, a severity, help and
//! notes. Findings (human.rs) and configuration errors (config.rs) are both
//! shown through it.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, ThemeCharacters,
    ThemeStyles,
};

use crate::source::Span;
use crate::source::display::{DisplayFile, Shown};
use crate::text::escape::escape_controls;

/// Wide enough that messages are not wrapped in logs.
const WIDTH: usize = 120;

/// How a report is drawn: colours, and Unicode or ASCII.
#[derive(Debug, Clone, Copy)]
pub(super) struct Look {
    pub color: bool,
    pub ascii: bool,
}

/// The handler every graphical report is rendered with.
pub(super) fn handler(look: Look) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme(look))
        .with_width(WIDTH)
        .with_links(false)
}

/// The handler of notes: a report whose severity is advice is drawn as
/// `note: message` rather than with advice's symbol.
pub(super) fn note_handler(look: Look) -> GraphicalReportHandler {
    let mut theme = theme(look);
    theme.characters.advice = "note:".to_owned();
    GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false)
}

fn theme(look: Look) -> GraphicalTheme {
    GraphicalTheme {
        characters: if look.ascii {
            ThemeCharacters::ascii()
        } else {
            ThemeCharacters::unicode()
        },
        styles: if look.color {
            ThemeStyles::ansi()
        } else {
            ThemeStyles::none()
        },
    }
}

/// A label on `span` of the file `display` is a copy of, its text escaped
/// (no text: the span is only underlined).
pub(super) fn label(display: &DisplayFile, span: Span, text: &str, primary: bool) -> LabeledSpan {
    let span = display.map_span(span);
    let text = (!text.is_empty()).then(|| escape_controls(text).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// One report, as miette renders it.
pub(super) struct Report<'a> {
    /// The title, already escaped.
    pub title: String,
    /// The header line above the report (`error[rule]`).
    pub code: Option<String>,
    /// `None` is miette's default, an error.
    pub severity: Option<miette::Severity>,
    pub help: Option<&'a str>,
    /// The snippet's source, with the positions of the file itself; `None`
    /// when there is nothing to show (an empty or binary file).
    pub source: Option<Shown<'a>>,
    pub labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_deref()
            .map(|code| Box::new(code) as Box<dyn fmt::Display + 'a>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .map(|help| Box::new(escape_controls(help)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|shown| shown as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }
}
