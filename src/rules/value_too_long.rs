use super::context::{RecordContext, mysql_outcome};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::Value;
use crate::model::ValueError;
use crate::model::written;
use crate::model::{Finding, Severity};
use crate::vicidial::ColumnType;
use crate::vicidial::values::is_placeholder;

declare_rule! {
    /// ## What it catches
    /// A value longer than its VICIdial column: VARCHAR(n) columns hold n
    /// characters, TEXT columns 65,535 bytes. When only spaces pass the
    /// limit, MySQL drops them with a note in any sql_mode: that is reported
    /// too, as a warning. A credential written as a placeholder for a secret
    /// kept elsewhere (`${NAME}`, `{{ name }}`, sops's `ENC[...]`;
    /// SECURITY.md) is not judged: the secret's length is not known here.
    ///
    /// ## Why it matters
    /// Under a strict sql_mode, MariaDB's default since 10.2.4, the row is
    /// refused ("Data too long", error 1406); without one MySQL truncates the
    /// value and saves the rest (measured on MariaDB 10.11 with VICIdial's own
    /// CREATE TABLE, vicidial-phones.md §0; tests/mariadb.rs). VICIdial's
    /// admin UI prints "PHONE ADDED" (admin.php 14949) before its INSERT runs
    /// (admin.php 15021), so a refused row goes unnoticed there. `login` is
    /// VARCHAR(15) although the API documentation says 1-20 characters
    /// (MySQL_AST_CREATE_tables.sql 8; vicidial-phones.md §2), `company` 10,
    /// `status` 10. Say which mode the site runs with `[site] strict_sql_mode`.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "frontdesk-reception-01"   # 21 characters; the column holds 15
    /// ```
    ///
    /// ## How to fix
    /// Shorten the value to the column's length (the message gives it).
    pub struct ValueTooLong {
        name: "value-too-long",
        severity: Error,
        scope: Record,
        summary: "A value longer than its VICIdial column (refused under a strict sql_mode, truncated without one)",
        catches: "longer than the VICIdial column: refused under a strict sql_mode, truncated without one (trailing spaces past the limit are only dropped: a warning)",
        also: [Warning],
        schema: true,
    }
}

impl Rule for ValueTooLong {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        for (entry, column) in ctx.fields() {
            // Only a text column's value can be too long: the others are
            // not checked here at all.
            let Some(column) = column.filter(|column| {
                matches!(column.ty, ColumnType::Varchar(_) | ColumnType::Text)
            }) else {
                continue;
            };
            if column.secret && entry.value.value.as_str().is_some_and(is_placeholder) {
                continue;
            }
            let Err(ValueError::TooLong { max, length, unit }) =
                written::check(column, &entry.value.value)
            else {
                continue;
            };
            let finding = ctx
                .finding(
                    &Self::META,
                    entry.value.span,
                    format!(
                        "`{}` is {length} {unit} long; VICIdial's column holds {max}",
                        column.name
                    ),
                )
                .with_label(format!("{length} {unit}, at most {max}"));
            let only_spaces_past_the_limit = match (&entry.value.value, column.ty) {
                (Value::String(text), ColumnType::Varchar(_)) => {
                    text.chars().skip(max).all(|c| c == ' ')
                }
                _ => false,
            };
            out.push(if only_spaces_past_the_limit {
                finding
                    .with_severity(Severity::Warning)
                    .with_label(format!("only spaces past {max} {unit}"))
                    .with_help("MySQL drops the trailing spaces past the column's length (a note, in any sql_mode): remove them")
            } else {
                finding.with_help(format!(
                    "shorten it to at most {max} {unit}: {}",
                    mysql_outcome(&ctx.site, &format!("truncates it to {max} {unit}"))
                ))
            });
        }
    }
}
