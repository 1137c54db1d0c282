use super::{FileContext, RecordContext, Rule, RuleMeta, declare_rule, quoted};
use crate::finding::{Edit, Finding, Fix};
use crate::load::{Entry, Problem, RecordKind, Value};
use crate::model::{Column, ColumnType, ValueError};

declare_rule! {
    /// ## What it catches
    /// A value of the wrong type for its column, or outside the column's allowed
    /// values: Y/N columns (`active` among them) take `"Y"`/`"N"` or
    /// `true`/`false`; 0/1 columns take `"0"`/`"1"`, `0`/`1` or booleans; ENUM
    /// columns take exactly one of their values; integer columns take integers
    /// within the MySQL type's range; text columns take strings. Also a
    /// `phones`/`aliases`/`servers` key that is not an array of tables.
    ///
    /// ## Why it matters
    /// MySQL stores an ENUM value it does not know as the empty string, and
    /// VICIdial compares `active='Y'` exactly (vicidial-phones.md §1, §3 and the
    /// column table in §7): `active = "y"` is not an active phone. A value the
    /// column cannot hold never reaches VICIdial as written.
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
        summary: "A value of the wrong type or outside its column's allowed values",
    }
}

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

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
            if let Err(error) = column.check(&entry.value.value) {
                out.extend(finding(ctx, column, entry, &error));
            }
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
    let mut finding = ctx
        .finding(&InvalidValue::META, entry.value.span, message)
        .with_label(label)
        .with_help(help(column));
    if let Some(replacement) = fix(column, value) {
        finding = finding.with_fix(Fix::safe(Edit::replace(entry.value.span, replacement)));
    } else if let Some(replacement) = yes_no(column, value) {
        finding = finding.with_fix(Fix::unsafe_(Edit::replace(entry.value.span, replacement)));
    }
    Some(finding)
}

/// Values a rule of their own judges with a sharper message: a protocol
/// outside the ENUM (invalid-protocol) and a local_gmt written as a number
/// (invalid-local-gmt, whose fix also quotes it). Both judge phones only: a
/// server's local_gmt written as a number stays invalid-value's.
fn owned_by_a_dedicated_rule(
    kind: RecordKind,
    column: &Column,
    value: &Value,
    error: &ValueError,
) -> bool {
    if kind != RecordKind::Phone {
        return false;
    }
    match (column.name, error) {
        ("protocol", ValueError::NotAllowed { .. }) => true,
        ("local_gmt", ValueError::WrongType { .. }) => {
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
        ColumnType::ZeroOne => format!(
            "`{}` takes \"0\" or \"1\" (or 0/1, true/false)",
            column.name
        ),
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
