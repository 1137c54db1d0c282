use super::context::{FileContext, RecordContext, mysql_outcome};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::{Entry, Problem, Value};
use crate::model::ValueError;
use crate::model::written;
use crate::model::{Edit, Finding, Fix, Severity};
use crate::text::quote::quoted;
use crate::vicidial::RecordKind;
use crate::vicidial::collation::collation_eq;
use crate::vicidial::{Column, ColumnType};

declare_rule! {
    /// ## What it catches
    /// A value of the wrong type for its column, or outside the column's allowed
    /// values: Y/N columns (`active` among them) take `"Y"`/`"N"` or
    /// `true`/`false`; 0/1 columns take `"0"`/`"1"` or booleans (a bare number
    /// is `enum-index-number`'s); ENUM columns take one of their values;
    /// integer columns take integers within the MySQL type's range; text
    /// columns take strings, without characters beyond the Basic Multilingual
    /// Plane (emoji). Also a `phones`/`aliases`/`servers` key that is
    /// not an array of tables. An ENUM value that differs from an allowed one
    /// only in case, accents or trailing spaces (`"y"`, `"sip"`) is a warning
    /// with a safe fix: MySQL stores the allowed value.
    ///
    /// ## Why it matters
    /// VICIdial's database uses `utf8_unicode_ci` (docs/BASE_INSTALL.txt 251),
    /// and MySQL matches an ENUM value under that collation: `active = "y"` is
    /// stored as `Y`, `protocol = "sip"` as `SIP` (measured on MariaDB 10.11
    /// with VICIdial's own CREATE TABLE; vicidial-phones.md §0). A value
    /// outside the list is refused under a strict sql_mode (MariaDB's
    /// default; "Data truncated", error 1265) and stored as the empty string
    /// without one, and `''` is neither `Y` nor `N`: agent login checks
    /// `active = 'Y'` (vicidial.php 4324). An integer out of the column's
    /// range is refused, or clamped to the limit. Say which mode the site
    /// runs with `[site] strict_sql_mode`. The tables are `utf8`, 3 bytes a
    /// character (MySQL_AST_CREATE_tables.sql 1-112 in a database created
    /// `CHARACTER SET utf8`): a character beyond the Basic Multilingual Plane,
    /// such as an emoji, is refused too, or stored as `?`.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// active = "yes"          # Y or N
    /// is_webphone = "TRUE"    # Y, N or Y_API_LAUNCH
    /// phone_ring_timeout = "60"   # an integer: 60
    /// ```
    ///
    /// ## How to fix
    /// Write one of the allowed values. A case-only difference (`"y"`), a
    /// quoted integer or an unquoted number in a text column has a safe fix; a
    /// word for yes or no in a Y/N column (`"yes"`, `"false"`) has an unsafe one.
    pub struct InvalidValue {
        name: "invalid-value",
        severity: Error,
        scope: Record,
        summary: "A value of the wrong type or outside its column's allowed values",
        catches: "a value of the wrong type, or outside its column's allowed values (Y/N, 0/1, ENUMs, integer ranges), or text with a character beyond the Basic Multilingual Plane (an emoji: VICIdial's utf8 tables hold 3 bytes a character): refused under a strict sql_mode, stored as `''`, clamped or `?` without one; an ENUM value MySQL matches ignoring case and accents (`\"y\"` is stored as `Y`) is a warning with a safe fix",
        also: [Warning],
        fixes: [Safe, Unsafe],
        schema: true,
    }
}

impl Rule for InvalidValue {
    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for problem in &ctx.document.problems {
            let message = match problem {
                Problem::SectionNotArray { kind, span, found } => (
                    *span,
                    format!(
                        "`{}` must be an array of tables, found {found}",
                        kind.section()
                    ),
                    format!(
                        "write each record as `[[{0}]]` in TOML or `\"{0}\": [{{...}}]` in JSON",
                        kind.section()
                    ),
                ),
                Problem::RecordNotTable { kind, span, found } => (
                    *span,
                    format!(
                        "each element of `{}` must be a table, found {found}",
                        kind.section()
                    ),
                    format!("write the {} as a table of its columns", kind.singular()),
                ),
                _ => continue,
            };
            let (span, message, help) = message;
            out.push(
                Finding::new(
                    Self::META.name,
                    Self::META.severity,
                    ctx.file,
                    span,
                    message,
                )
                .with_label("not a record")
                .with_help(help),
            );
        }
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        for (entry, column) in ctx.fields() {
            let Some(column) = column else {
                continue;
            };
            if let Err(error) = written::check(column, &entry.value.value) {
                out.extend(finding(ctx, column, entry, &error));
            }
            unstorable(ctx, column, entry, out);
        }
    }
}

/// The finding for a value error; `None` for lengths, which value-too-long owns.
fn finding(
    ctx: &RecordContext<'_>,
    column: &Column,
    entry: &Entry,
    error: &ValueError,
) -> Option<Finding> {
    let name = column.name;
    let value = &entry.value.value;
    let shown = if column.secret {
        "a secret value".to_owned()
    } else {
        match value {
            Value::String(s) => format!("`{s}`"),
            Value::Integer(i) => format!("`{i}`"),
            Value::Float(f) => format!("`{f}`"),
            Value::Bool(b) => format!("`{b}`"),
            other => other.type_name().to_owned(),
        }
    };
    let (message, label) = match error {
        ValueError::WrongType { expected, found } => (
            format!("`{name}` must be {expected}, found {found}"),
            format!("{found}, expected {expected}"),
        ),
        ValueError::NotAllowed { allowed } => (
            format!("`{name}` does not accept {shown}"),
            format!("not one of {}", list(allowed)),
        ),
        ValueError::OutOfRange { min, max, found } => (
            format!("`{name}` must be between {min} and {max}, found {found}"),
            "out of range".to_owned(),
        ),
        ValueError::TooLong { .. } => return None,
    };
    if owned_by_a_dedicated_rule(ctx.record.kind, column, value, error) {
        return None;
    }
    if let (ValueError::NotAllowed { allowed }, Value::String(text)) = (error, value)
        && let Some(stored) = allowed.iter().find(|a| collation_eq(a, text))
    {
        return Some(
            ctx.finding(
                &InvalidValue::META,
                entry.value.span,
                format!("`{name}` {shown} is stored as `{stored}`: MySQL matches ENUM values ignoring case and accents"),
            )
            .with_severity(Severity::Warning)
            .with_label(format!("stored as `{stored}`"))
            .with_help(format!("write `{stored}`, as VICIdial stores it"))
            .with_fix(Fix::safe(Edit::replace(entry.value.span, quoted(stored)))),
        );
    }
    let help = match error {
        ValueError::NotAllowed { .. } if value.as_str().is_some() => {
            format!(
                "{}; {}",
                help(column),
                mysql_outcome(&ctx.site, "stores ''")
            )
        }
        ValueError::OutOfRange { min, max, found } => {
            let limit = if found < min { min } else { max };
            format!(
                "{}; {}",
                help(column),
                mysql_outcome(&ctx.site, &format!("stores {limit}"))
            )
        }
        _ => help(column),
    };
    let mut finding = ctx
        .finding(&InvalidValue::META, entry.value.span, message)
        .with_label(label)
        .with_help(help);
    if let Some(replacement) = fix(column, value) {
        finding = finding.with_fix(Fix::safe(Edit::replace(entry.value.span, replacement)));
    } else if let Some(replacement) = yes_no(column, value) {
        finding = finding.with_fix(Fix::unsafe_(Edit::replace(entry.value.span, replacement)));
    }
    Some(finding)
}

/// A text with characters beyond the Basic Multilingual Plane (emoji and
/// the like, 4 bytes in UTF-8), which VICIdial's `utf8` (utf8mb3) tables
/// cannot store.
///
/// Pushed onto `out` rather than returned: a returned `Option<Finding>` is
/// copied for every field, and nearly every field has none.
fn unstorable(ctx: &RecordContext<'_>, column: &Column, entry: &Entry, out: &mut Vec<Finding>) {
    if !matches!(column.ty, ColumnType::Varchar(_) | ColumnType::Text) {
        return;
    }
    let Some(text) = written::stored_text(column, &entry.value.value) else {
        return;
    };
    // Only a character beyond U+FFFF takes four bytes, led by 0xF0 or more.
    if !text.bytes().any(|byte| byte >= 0xF0) {
        return;
    }
    let mut astral: Vec<char> = text.chars().filter(|c| u32::from(*c) > 0xFFFF).collect();
    if astral.is_empty() {
        return;
    }
    astral.dedup();
    let shown = if column.secret {
        match astral.len() {
            1 => "a character".to_owned(),
            n => format!("{n} characters"),
        }
    } else {
        astral
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push(
        ctx.finding(
            &InvalidValue::META,
            entry.value.span,
            format!(
                "`{}` holds {shown} that VICIdial's utf8 tables cannot store",
                column.name
            ),
        )
        .with_label("beyond the Basic Multilingual Plane: 4 bytes in UTF-8, utf8 holds 3")
        .with_help(format!(
            "remove it; {}",
            mysql_outcome(&ctx.site, "stores `?` in its place")
        )),
    );
}

/// Values a rule of their own judges with a sharper message: a phone's
/// protocol outside the ENUM (invalid-protocol), a local_gmt written as a
/// number (invalid-local-gmt, whose fix also quotes it) and a bare number in
/// a 0/1 column (enum-index-number).
fn owned_by_a_dedicated_rule(
    kind: RecordKind,
    column: &Column,
    value: &Value,
    error: &ValueError,
) -> bool {
    if column.ty == ColumnType::ZeroOne && matches!(value, Value::Integer(_)) {
        return true;
    }
    match (kind, column.name, error) {
        (RecordKind::Phone, "protocol", ValueError::NotAllowed { .. }) => true,
        (RecordKind::Phone | RecordKind::Server, "local_gmt", ValueError::WrongType { .. }) => {
            matches!(value, Value::Integer(_) | Value::Float(_))
        }
        _ => false,
    }
}

fn list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn help(column: &Column) -> String {
    match column.ty {
        ColumnType::YesNo => format!("`{}` takes \"Y\" or \"N\" (or true/false)", column.name),
        ColumnType::ZeroOne => format!("`{}` takes \"0\" or \"1\" (or true/false)", column.name),
        ColumnType::Enum(values) => format!("`{}` takes one of {}", column.name, list(values)),
        ColumnType::Integer { .. } => format!("`{}` takes an integer, unquoted", column.name),
        ColumnType::Varchar(_) | ColumnType::Text => {
            format!(
                "`{}` is text: write the value as a quoted string",
                column.name
            )
        }
    }
}

/// A replacement that keeps the evident meaning: a case or whitespace slip in
/// an enumerated value, a quoted integer, an unquoted number in a text column.
fn fix(column: &Column, value: &Value) -> Option<String> {
    match (column.ty, value) {
        (_, Value::String(s)) if column.ty.allowed_values().is_some() => column
            .ty
            .allowed_values()?
            .iter()
            .find(|allowed| allowed.eq_ignore_ascii_case(s.trim()))
            .map(|allowed| quoted(allowed)),
        (ColumnType::Integer { min, max }, Value::String(s)) => {
            let i: i64 = s.trim().parse().ok()?;
            (min..=max).contains(&i).then(|| i.to_string())
        }
        (ColumnType::Varchar(_) | ColumnType::Text, Value::Integer(i)) if !column.secret => {
            Some(quoted(&i.to_string()))
        }
        _ => None,
    }
}

/// A word for yes or no in a Y/N column (`"yes"`, `"false"`): probably `"Y"`
/// or `"N"`, but an unsafe fix, since it may switch a phone on or off.
fn yes_no(column: &Column, value: &Value) -> Option<String> {
    let (ColumnType::YesNo, Value::String(s)) = (column.ty, value) else {
        return None;
    };
    let word = s.trim().to_ascii_lowercase();
    match word.as_str() {
        "yes" | "true" | "on" => Some(quoted("Y")),
        "no" | "false" | "off" => Some(quoted("N")),
        _ => None,
    }
}
