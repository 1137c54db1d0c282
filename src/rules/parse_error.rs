use super::context::FileContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::Problem;
use crate::model::Finding;
use crate::source::Span;

declare_rule! {
    /// ## What it catches
    /// A `.toml` or `.json` file that cannot be read as a definition: invalid
    /// TOML, invalid JSON (comments, trailing commas and other JSON5 leniencies
    /// included), text that is not UTF-8, binary content (a file git-crypt
    /// encrypted, in a checkout that is not unlocked, is named as such), a
    /// file over the size limit (32 MiB, not read at all), or arrays and
    /// tables nested more than 128 levels deep (not parsed).
    ///
    /// ## Why it matters
    /// A file phonelint cannot read is a file nobody checked, and whatever
    /// turns the repository into `phones` rows will fail on it or, worse, skip
    /// it. In TOML the other records of the file are still checked; a record
    /// the error falls in is not judged further (see vicidial-phones.md §7 for
    /// the columns a record holds).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100
    /// ```
    ///
    /// ## How to fix
    /// Correct the syntax at the position shown. JSON files must be strict
    /// JSON: no comments, no trailing commas, double-quoted keys and strings.
    /// Split a file over the size limit; flatten needless nesting.
    pub struct ParseError {
        name: "parse-error",
        severity: Error,
        scope: File,
        summary: "The file is not valid TOML/JSON, not UTF-8, binary, too large or nested too deep",
        catches: "invalid TOML/JSON, text that is not UTF-8, binary content, a file over 32 MiB (not read), nesting deeper than 128 levels (not parsed)",
    }
}

impl Rule for ParseError {
    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for problem in &ctx.document.problems {
            let (span, message, label) = match problem {
                Problem::Syntax { message, span } => (
                    *span,
                    format!("invalid {}: {message}", syntax_name(ctx)),
                    message.clone(),
                ),
                Problem::NotUtf8 { offset } => (
                    Span::new(
                        *offset,
                        ctx.file.floor_char_boundary(*offset + 1).max(*offset),
                    ),
                    format!("the file is not UTF-8 text (invalid byte at offset {offset})"),
                    "not UTF-8".to_owned(),
                ),
                Problem::Binary { offset } => (
                    Span::new(0, 0),
                    format!("the file holds binary content (NUL byte at offset {offset})"),
                    "binary content".to_owned(),
                ),
                Problem::GitCrypt => (
                    Span::new(0, 0),
                    "the file is encrypted with git-crypt and this checkout is locked: phonelint cannot read it".to_owned(),
                    "encrypted".to_owned(),
                ),
                Problem::TooLarge { size, limit } => (
                    Span::new(0, 0),
                    format!(
                        "the file is too large to check ({size} bytes; the limit is {limit} bytes), so it was not read"
                    ),
                    "too large".to_owned(),
                ),
                Problem::TooDeep { offset, limit } => (
                    Span::new(
                        *offset,
                        ctx.file.floor_char_boundary(*offset + 1).max(*offset),
                    ),
                    format!(
                        "arrays or tables nest more than {limit} levels deep here, so the file was not parsed"
                    ),
                    "nested too deep".to_owned(),
                ),
                // Wrong shapes are values of the wrong type: invalid-value reports them.
                Problem::SectionNotArray { .. } | Problem::RecordNotTable { .. } => continue,
                // duplicate-key reports them.
                Problem::DuplicateKey { .. } => continue,
            };
            let span = Span::new(
                ctx.file.floor_char_boundary(span.start),
                ctx.file.floor_char_boundary(span.end),
            );
            let finding = Finding::new(
                Self::META.name,
                Self::META.severity,
                ctx.file,
                span,
                message,
            )
            .with_label(label);
            out.push(if matches!(problem, Problem::GitCrypt) {
                finding.with_help("run `git-crypt unlock` before phonelint (in CI, with the key from a secret), or list the file under `exclude` in phonelint.toml")
            } else {
                finding
            });
        }
    }
}

fn syntax_name(ctx: &FileContext<'_>) -> &'static str {
    match crate::load::Format::from_path(&ctx.file.path) {
        Some(crate::load::Format::Json) => "JSON",
        _ => "TOML",
    }
}
