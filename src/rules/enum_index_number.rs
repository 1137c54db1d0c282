use super::context::{RecordContext, mysql_outcome};
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::Value;
use crate::model::{Edit, Finding, Fix};
use crate::text::quote::quoted;
use crate::vicidial::ColumnType;

declare_rule! {
    /// ## What it catches
    /// A bare (unquoted) number in one of VICIdial's ENUM('0','1') columns
    /// (`AGI_call_logging_enabled`, `codecs_with_template`, ...): `1` rather
    /// than `"1"`. `0` and `1` get a safe fix that quotes them.
    ///
    /// ## Why it matters
    /// MySQL takes a number assigned to an ENUM as the value's position in the
    /// list, not as its text: in `ENUM('0','1')` (for example
    /// MySQL_AST_CREATE_tables.sql 40) `1` is the first value, `'0'`, and `2`
    /// is `'1'`; `0` is the empty error value, refused under a strict
    /// sql_mode and stored as `''` without one (measured on MariaDB 10.11 with
    /// VICIdial's own CREATE TABLE; vicidial-phones.md §3). phonelint reads
    /// `1` as `"1"`, but a tool that writes the file's value into SQL as it is
    /// typed switches the setting the other way.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// AGI_call_logging_enabled = 1   # stored as '0' if sent as a number
    /// ```
    ///
    /// ## How to fix
    /// Quote the value: `"0"` or `"1"` (or write `true`/`false`).
    pub struct EnumIndexNumber {
        name: "enum-index-number",
        severity: Warning,
        scope: Record,
        summary: "A bare number in an ENUM('0','1') column: MySQL stores it by position (1 is '0')",
        catches: "a bare number in an ENUM('0','1') column: MySQL takes it as the value's position (`1` is stored as `'0'`)",
        fixes: [Safe],
        schema: true,
    }
}

impl Rule for EnumIndexNumber {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        for (entry, column) in ctx.fields() {
            let (Some(column), Value::Integer(number)) = (column, &entry.value.value) else {
                continue;
            };
            if column.ty != ColumnType::ZeroOne {
                continue;
            }
            let stored = match number {
                1 => "MySQL takes 1 as the first value and stores '0'".to_owned(),
                2 => "MySQL takes 2 as the second value and stores '1'".to_owned(),
                _ => format!(
                    "{number} is no position in the list: {}",
                    mysql_outcome(&ctx.site, "stores ''")
                ),
            };
            let span = entry.value.span;
            let mut finding = ctx
                .finding(
                    &Self::META,
                    span,
                    format!(
                        "`{}` = {number} is a bare number: sent to MySQL as written, it is an ENUM position",
                        column.name
                    ),
                )
                .with_label(stored)
                .with_help(format!(
                    "quote it: `{}` takes \"0\" or \"1\" (or true/false)",
                    column.name
                ));
            if matches!(number, 0 | 1) {
                finding =
                    finding.with_fix(Fix::safe(Edit::replace(span, quoted(&number.to_string()))));
            }
            out.push(finding);
        }
    }
}
