use super::context::{FileContext, RecordContext};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::Holds;
use crate::model::{Edit, Finding, Fix};
use crate::source::{SourceFile, Span};
use crate::text::suggest::closest;
use crate::vicidial::RecordKind;
use crate::vicidial::closest_column;

declare_rule! {
    /// ## What it catches
    /// A key that is not a column of its record's VICIdial table (`phones`,
    /// `phones_alias`, `servers`), and a top-level key that is not one of the
    /// record arrays `phones`, `aliases`, `servers` (besides `$schema`, for
    /// editors, and `sops`, the metadata of a file sops encrypted). A
    /// `.toml`/`.json` file with
    /// none of those arrays is not a definition and is skipped, unless it is
    /// one with a typo: a top-level key close to a record array (`phone`,
    /// `Phones`, `alias`) is reported, never skipped silently, when its value
    /// holds records (an array of tables, or one table, whose keys are
    /// mostly VICIdial columns, among them `extension`, `server_ip`,
    /// `alias_id` or `server_id`, or three at least), or when `include` in
    /// phonelint.toml names the file's place. So `[[phone]]` with a phone's
    /// columns is reported; an app's `config/app.json` with `"server":
    /// "db1"` and `"alias": "prod"`, or a `deploy.toml` with `[server]` and
    /// `host`, `port`, is not ours and is skipped.
    ///
    /// ## Why it matters
    /// Column names are spelled exactly as VICIdial's schema spells them
    /// (MySQL_AST_CREATE_tables.sql 1-112 for phones, 115-175 for servers,
    /// 2219-2224 for phones_alias; vicidial-phones.md §7), case included: `ASTmgrSECRET`, not
    /// `astmgrsecret`. A misspelt key is not loaded into VICIdial, so the column
    /// keeps its default while the reviewer believes it was set. A misspelt
    /// `[[phone]]` would hide every record in the file from phonelint.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// Server_IP = "10.10.10.15"   # should be server_ip
    /// ```
    ///
    /// ## How to fix
    /// Use the suggested column name (an unsafe fix renames the key: confirm it
    /// is what you meant), or remove the key.
    pub struct UnknownField {
        name: "unknown-field",
        severity: Warning,
        scope: Record,
        summary: "A key that is not a VICIdial column of its record, or a misspelt top-level array",
        catches: "a key that is not a column of its record kind (closest column suggested, case differences named); a misspelt top-level array",
        fixes: [Unsafe],
        schema: true,
    }
}

/// Top-level keys that may sit beside the record arrays: editors read
/// `$schema`; sops keeps its metadata (keys, MAC) in `sops`.
const ALLOWED_TOP_LEVEL: [&str; 2] = ["$schema", "sops"];

impl Rule for UnknownField {
    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let sections = RecordKind::ALL.map(RecordKind::section);
        for key in &ctx.document.other_keys {
            if ALLOWED_TOP_LEVEL.contains(&&*key.key) {
                continue;
            }
            let suggestion = closest(&key.key, sections);
            // A file that is no definition (Cargo.toml, package.json, an
            // app's config.json with a `server` key) is not ours, unless a
            // key close to a record array holds records, or the
            // configuration says definitions live there.
            let attempt = suggestion.is_some()
                && (key.holds.records() || ctx.meant_as_definition);
            if !ctx.document.is_definition && !attempt {
                continue;
            }
            let mut finding = Finding::new(
                Self::META.name,
                Self::META.severity,
                ctx.file,
                key.span,
                format!(
                    "top-level key `{}` is not `phones`, `aliases` or `servers`",
                    key.key
                ),
            );
            if let Some(section) = suggestion {
                let help = if key.holds == Holds::Record {
                    format!(
                        "records are an array of tables: `[[{section}]]` in TOML, `\"{section}\": [{{...}}]` in JSON"
                    )
                } else if ctx.document.is_definition {
                    format!("rename it to `{section}`, or remove it")
                } else if key.holds.records() {
                    format!(
                        "this file is skipped as not a definition; rename the key to `{section}` if it holds {section}"
                    )
                } else {
                    format!(
                        "this file is skipped as not a definition, though `include` in phonelint.toml names its place; rename the key to `{section}` if it holds {section}, or leave the file out with `exclude`"
                    )
                };
                finding = finding
                    .with_label(format!("did you mean `{section}`?"))
                    .with_help(help);
                // Renaming onto an existing key would duplicate it, except for
                // a TOML `[[header]]`, which only adds to the array; and
                // only an array renamed is a record array.
                let exists = ctx
                    .document
                    .records
                    .iter()
                    .any(|record| record.kind.section() == section);
                let array = key.holds.is_array() || is_array_header(ctx.file, key.span);
                if array && (!exists || is_array_header(ctx.file, key.span)) {
                    finding = finding.with_fix(rename(ctx.file, key.span, section));
                }
            } else {
                finding = finding.with_label("not a record array");
            }
            out.push(finding);
        }
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        let kind = ctx.record.kind;
        for (entry, column) in ctx.fields() {
            if column.is_some() {
                continue;
            }
            // No rename onto a column the record already sets: the key would
            // then be duplicated, which neither TOML nor strict JSON allows.
            let suggestion = closest_column(kind, &entry.key);
            let fix = suggestion
                .filter(|name| ctx.record.field(name).is_none())
                .map(|name| rename(ctx.file, entry.key_span, name));
            let mut finding = ctx.finding(
                &Self::META,
                entry.key_span,
                format!(
                    "`{}` is not a column of VICIdial's `{}` table",
                    entry.key,
                    kind.table()
                ),
            );
            finding = match suggestion {
                Some(name) if name.eq_ignore_ascii_case(&entry.key) => finding
                    .with_label(format!("differs from `{name}` only in case"))
                    .with_help(format!("column names are case-sensitive: write `{name}`")),
                Some(name) => finding
                    .with_label(format!("did you mean `{name}`?"))
                    .with_help(format!("rename it to `{name}`, or remove it")),
                None => finding.with_label("unknown column").with_help(format!(
                    "remove it; `phonelint schema` lists the columns of `{}`",
                    kind.table()
                )),
            };
            if let Some(fix) = fix {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

/// The key is the name of a TOML `[[header]]`.
fn is_array_header(file: &SourceFile, span: Span) -> bool {
    let before = file.text.get(..span.start).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    line.trim_end().ends_with("[[")
}

/// Renames a key, keeping its quoting style.
fn rename(file: &SourceFile, span: Span, name: &str) -> Fix {
    let written = file.slice(span);
    let replacement = if written.starts_with('"') || written.starts_with('\'') {
        crate::text::quote::quoted(name)
    } else {
        name.to_owned()
    };
    Fix::unsafe_(Edit::replace(span, replacement))
}
