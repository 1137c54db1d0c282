//! `phonelint drift --format sql`: the statements that would make the
//! database hold what the repository says. A plan for a human to review and
//! run; phonelint itself never writes to a database.
//!
//! Values are written so that no sql_mode or connection character set can
//! change them: printable ASCII without a backslash as a plain `'...'`
//! literal (quotes doubled), anything else as a hex literal with a
//! character set (`_utf8mb4 X'...'`); ENUM values are always quoted (a bare
//! number would be taken as the member's index).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::compare::{
    ColumnDifference, Compared, Difference, Found, Held, Row, Stated, display_key, key_columns,
    owned_by_vicidial,
};
use super::database::Database;
use crate::load::Value;
use crate::model::written::stored_text;
use crate::vicidial::RecordKind;
use crate::vicidial::{Column, ColumnType, column, columns};

/// How the plan is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write credential values; without it, a statement that sets one is
    /// written commented out, with the value masked.
    pub show_secrets: bool,
}

const MASK: &str = "'****'";

/// One statement of the plan and the comment above it.
struct Statement {
    comment: String,
    sql: String,
    /// Sets a credential: masked unless `--show-secrets`.
    masked: bool,
}

/// The plan for the differences of a comparison.
pub fn render(compared: &Compared<'_>, database: &Database, options: Options) -> String {
    let mut updates = Vec::new();
    let mut inserts = Vec::new();
    let mut deletes = Vec::new();
    // Servers whose Asterisk configuration VICIdial should rebuild.
    let mut rebuild: BTreeSet<String> = BTreeSet::new();
    for difference in &compared.differences {
        match difference {
            Difference::Columns { held, row, columns } => {
                updates.extend(update(held, *row, columns, options));
                if held.record.kind == RecordKind::Phone {
                    rebuild.insert(held.text("server_ip"));
                    rebuild.extend(row.value("server_ip"));
                }
            }
            Difference::OnlyInRepository(held) => {
                if let Some(table) = database.table(held.record.kind) {
                    inserts.push(insert(held, table, options));
                }
                if held.record.kind == RecordKind::Phone {
                    rebuild.insert(held.text("server_ip"));
                }
            }
            Difference::OnlyInDatabase(row) => {
                deletes.push(delete(*row));
                if row.table.kind == RecordKind::Phone {
                    rebuild.extend(row.value("server_ip"));
                }
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "-- phonelint drift: SQL that makes {} hold what the repository says.",
        comment_text(&database.name)
    );
    if updates.is_empty() && inserts.is_empty() && deletes.is_empty() {
        out.push_str("-- No drift: nothing to do.\n");
        return out;
    }
    out.push_str(
        "-- A plan to review, then run (e.g. `mysql asterisk < plan.sql`); phonelint never runs it.\n\
         -- VICIdial's tables are MyISAM: no transaction undoes a partial run, so each\n\
         -- statement stands alone, and DELETEs come last.\n",
    );
    let all = || updates.iter().chain(&inserts).chain(&deletes);
    let masked = all().filter(|s| s.masked && !options.show_secrets).count();
    let count = |statements: &[Statement]| {
        statements
            .iter()
            .filter(|s| !s.sql.starts_with("--"))
            .count()
    };
    let _ = writeln!(
        out,
        "-- {} UPDATE, {} INSERT, {} DELETE.",
        count(&updates),
        count(&inserts),
        count(&deletes)
    );
    if masked > 0 {
        let _ = writeln!(
            out,
            "-- {masked} statement(s) set credentials and are commented out with the values masked:\n\
             -- `phonelint drift --format sql --show-secrets` writes them."
        );
    }
    for (title, statements) in [
        ("Columns that differ", &updates),
        ("Records only the repository holds", &inserts),
        ("Rows only the database holds", &deletes),
    ] {
        if statements.is_empty() {
            continue;
        }
        let _ = write!(out, "\n-- {title}\n");
        for statement in statements {
            out.push('\n');
            out.push_str(&statement.comment);
            if statement.masked && !options.show_secrets {
                out.push_str("-- masked: sets a credential\n-- ");
            }
            out.push_str(&statement.sql);
            out.push('\n');
        }
    }
    rebuild.retain(|ip| !ip.is_empty());
    if !rebuild.is_empty() {
        let ips: Vec<String> = rebuild.iter().map(|ip| string_literal(ip)).collect();
        let _ = write!(
            out,
            "\n-- As the admin UI does after changing phones (admin.php 19748): have keepalive\n\
             -- rebuild the Asterisk configuration of their servers.\n\
             UPDATE `servers` SET `rebuild_conf_files` = 'Y' WHERE `generate_vicidial_conf` = 'Y' AND `active_asterisk_server` = 'Y' AND `server_ip` IN ({});\n",
            ips.join(", ")
        );
    }
    out
}

/// `-- FILE:LINE: kind KEY` above a statement about a repository record,
/// and the columns it sets that the database's table lacks.
fn located(held: &Held<'_>, absent: &[&str]) -> String {
    let kind = held.record.kind;
    let at = held.file.line_column(held.record.span.start);
    let mut comment = format!(
        "-- {}:{}: {} `{}`\n",
        comment_text(&held.file.name),
        at.line,
        kind.singular(),
        comment_text(&display_key(kind, |name| held.text(name)))
    );
    if !absent.is_empty() {
        let _ = writeln!(
            comment,
            "-- not in the database's `{}` table, left out: {}",
            kind.table(),
            comment_text(&absent.join(", "))
        );
    }
    comment
}

fn update(
    held: &Held<'_>,
    row: Row<'_>,
    differences: &[ColumnDifference<'_>],
    options: Options,
) -> Vec<Statement> {
    let kind = held.record.kind;
    let mut plain = Vec::new();
    let mut secret = Vec::new();
    let mut absent = Vec::new();
    for difference in differences {
        if difference.database == Found::NoColumn {
            absent.push(difference.name.as_str());
            continue;
        }
        let value = stated_literal(difference.column, &difference.repository);
        let target = if difference.is_secret() {
            &mut secret
        } else {
            &mut plain
        };
        target.push((difference.name.as_str(), value));
    }
    let mut comment = located(held, &absent);
    let statement = |assignments: &[(&str, String)], masked: bool| {
        let set: Vec<String> = assignments
            .iter()
            .map(|(name, value)| {
                let value = if masked && !options.show_secrets {
                    MASK.to_owned()
                } else {
                    value.clone()
                };
                format!("{} = {value}", identifier(name))
            })
            .collect();
        format!(
            "UPDATE {} SET {} WHERE {} LIMIT 1;",
            identifier(kind.table()),
            set.join(", "),
            where_key(row)
        )
    };
    let mut out = Vec::new();
    if !plain.is_empty() {
        out.push(Statement {
            comment: comment.clone(),
            sql: statement(&plain, false),
            masked: false,
        });
        comment.clear();
    }
    if !secret.is_empty() {
        out.push(Statement {
            comment,
            sql: statement(&secret, true),
            masked: true,
        });
    } else if out.is_empty() {
        out.push(Statement {
            comment,
            sql: "-- nothing to update: the database's table lacks these columns".to_owned(),
            masked: false,
        });
    }
    out
}

fn insert(held: &Held<'_>, table: &super::database::Table, options: Options) -> Statement {
    let kind = held.record.kind;
    let mut names: Vec<&str> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut masked = false;
    let mut absent: Vec<&str> = Vec::new();
    for column in columns(kind) {
        if owned_by_vicidial(kind, column) {
            continue;
        }
        let written = held.record.field(column.name);
        // An omitted column takes the table's default, except one that is
        // NOT NULL without a default (`template_id`): VICIdial's own INSERT
        // gives it '' (admin.php 15021).
        let value = match written {
            Some(entry) => match &entry.value.value {
                Value::Null => "NULL".to_owned(),
                other => match stored_text(column, other) {
                    Some(text) => literal(Some(column), Some(&text)),
                    None => continue,
                },
            },
            None if column.not_null && column.default.is_none() => "''".to_owned(),
            None => continue,
        };
        if table.column(column.name).is_none() {
            if written.is_some() {
                absent.push(column.name);
            }
            continue;
        }
        masked |= column.secret;
        names.push(column.name);
        values.push(if column.secret && !options.show_secrets {
            MASK.to_owned()
        } else {
            value
        });
    }
    for entry in &held.record.fields {
        let known = columns(kind)
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(&entry.key));
        if known || table.column(&entry.key).is_none() {
            continue;
        }
        let value = match &entry.value.value {
            Value::Null => "NULL".to_owned(),
            Value::String(s) => string_literal(s),
            Value::Integer(i) => i.to_string(),
            Value::Float(f) | Value::Datetime(f) => string_literal(f),
            Value::Bool(b) => string_literal(&b.to_string()),
            Value::Array(_) | Value::Table(_) => continue,
        };
        names.push(&entry.key);
        values.push(value);
    }
    let comment = located(held, &absent);
    let names: Vec<String> = names.iter().map(|name| identifier(name)).collect();
    Statement {
        comment,
        sql: format!(
            "INSERT INTO {} ({}) VALUES ({});",
            identifier(kind.table()),
            names.join(", "),
            values.join(", ")
        ),
        masked,
    }
}

fn delete(row: Row<'_>) -> Statement {
    let kind = row.table.kind;
    Statement {
        comment: format!(
            "-- {} `{}`, only in the database\n",
            kind.singular(),
            comment_text(&display_key(kind, |name| row
                .value(name)
                .unwrap_or_default()))
        ),
        sql: format!(
            "DELETE FROM {} WHERE {} LIMIT 1;",
            identifier(kind.table()),
            where_key(row)
        ),
        masked: false,
    }
}

/// `extension = '...' AND server_ip = '...'`, with the values the database
/// holds (which its collation matches exactly one row with).
fn where_key(row: Row<'_>) -> String {
    key_columns(row.table.kind)
        .iter()
        .map(|name| match row.value(name) {
            Some(value) => format!(
                "{} = {}",
                identifier(name),
                literal(column(row.table.kind, name), Some(&value))
            ),
            None => format!("{} IS NULL", identifier(name)),
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The literal that stores what the repository states: its value, or for an
/// omitted column the default (NULL, or '' where NULL is not allowed).
fn stated_literal(column: Option<&Column>, stated: &Stated<'_>) -> String {
    match (stated.value(), column) {
        (None, Some(column)) if column.not_null => "''".to_owned(),
        (value, column) => literal(column, value),
    }
}

/// A value as SQL: NULL, an integer for an integer column, else a string.
fn literal(column: Option<&Column>, value: Option<&str>) -> String {
    let Some(text) = value else {
        return "NULL".to_owned();
    };
    let integer = column.is_some_and(|c| matches!(c.ty, ColumnType::Integer { .. }));
    match text.parse::<i64>() {
        Ok(number) if integer => number.to_string(),
        _ => string_literal(text),
    }
}

/// A string literal that means the same under every sql_mode and
/// connection character set.
pub fn string_literal(text: &str) -> String {
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
    {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        let hex: String = text.bytes().map(|b| format!("{b:02X}")).collect();
        format!("_utf8mb4 X'{hex}'")
    }
}

/// A back-quoted identifier.
fn identifier(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Text for a `--` comment: one line, control characters escaped.
fn comment_text(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() || crate::text::escape::must_escape(c) {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_survive_any_sql_mode_and_character_set() {
        assert_eq!(string_literal("cc100"), "'cc100'");
        assert_eq!(string_literal("O'Brien"), "'O''Brien'");
        assert_eq!(string_literal("a\\b"), "_utf8mb4 X'615C62'");
        assert_eq!(string_literal("é"), "_utf8mb4 X'C3A9'");
        assert_eq!(string_literal("a\nb"), "_utf8mb4 X'610A62'");
        assert_eq!(string_literal(""), "''");
        let timeout = column(RecordKind::Phone, "phone_ring_timeout");
        assert_eq!(literal(timeout, Some("060")), "60");
        assert_eq!(literal(timeout, Some("x")), "'x'");
        let flag = column(RecordKind::Phone, "admin_hangup_enabled");
        assert_eq!(literal(flag, Some("1")), "'1'");
        assert_eq!(literal(flag, None), "NULL");
        assert_eq!(identifier("a`b"), "`a``b`");
        assert_eq!(comment_text("a\nb\u{2028}"), "a\\u{a}b\\u{2028}");
    }
}
