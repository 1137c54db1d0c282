//! `mysql --batch -e "SELECT * FROM phones"` output: a header row of column
//! names, then one row per line, fields separated by tabs. mysql escapes a tab
//! as `\t`, a newline as `\n`, a NUL as `\0` and a backslash as `\\`, and writes
//! NULL as the bare word `NULL` (so a string "NULL" reads back as NULL: batch
//! output cannot tell them apart).
//!
//! The table is recognised by its header: `alias_id` means phones_alias,
//! `extension` phones, `server_id` servers.

use super::error::ImportError;
use super::table::{RawValue, TableData};
use crate::vicidial::RecordKind;

pub fn parse(text: &str) -> Result<TableData, ImportError> {
    let mut lines = text.split('\n');
    let header = lines.next().unwrap_or_default();
    // A CRLF export: every line ends in \r; strip it only then, since a value
    // may hold a bare \r (mysql does not escape it).
    let crlf = header.ends_with('\r');
    let header = if crlf {
        header.strip_suffix('\r').unwrap_or(header)
    } else {
        header
    };
    let columns: Vec<String> = header.split('\t').map(str::to_owned).collect();
    let has = |name: &str| columns.iter().any(|c| c == name);
    let kind = if has("alias_id") {
        RecordKind::Alias
    } else if has("extension") {
        RecordKind::Phone
    } else if has("server_id") {
        RecordKind::Server
    } else {
        return Err(ImportError::syntax(
            text,
            0,
            "cannot tell which table this tab-separated export holds: its header names none of extension (phones), alias_id (phones_alias), server_id (servers)",
        ));
    };
    let mut rows = Vec::new();
    let mut offset = header.len() + 1 + usize::from(crlf);
    for line in lines {
        let at = offset;
        offset += line.len() + 1;
        let line = if crlf {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        };
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != columns.len() {
            return Err(ImportError::syntax(
                text,
                at,
                format!(
                    "this row has {} fields but the header names {} columns",
                    fields.len(),
                    columns.len()
                ),
            ));
        }
        rows.push(fields.into_iter().map(field).collect());
    }
    Ok(TableData {
        kind,
        columns,
        rows,
    })
}

/// One field, unescaped.
fn field(text: &str) -> RawValue {
    if text == "NULL" {
        return RawValue::Null;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    RawValue::Text(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_rows_escapes_and_null() {
        let text = "extension\tserver_ip\tfullname\tcompany\n\
                    cc100\t10.0.0.1\ta\\tb\\nc\\\\d\tNULL\n\
                    cc101\t10.0.0.1\t\t\n";
        let table = parse(text).unwrap();
        assert_eq!(table.kind, RecordKind::Phone);
        assert_eq!(
            table.columns,
            ["extension", "server_ip", "fullname", "company"]
        );
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0][2], RawValue::Text("a\tb\nc\\d".into()));
        assert_eq!(table.rows[0][3], RawValue::Null);
        assert_eq!(table.rows[1][2], RawValue::Text(String::new()));
    }

    #[test]
    fn crlf_exports_and_tables_by_header() {
        let table = parse("alias_id\talias_name\r\nfront\tFront desk\r\n").unwrap();
        assert_eq!(table.kind, RecordKind::Alias);
        assert_eq!(table.rows[0][1], RawValue::Text("Front desk".into()));
        let table = parse("server_id\tserver_ip\nTESTast\t10.10.10.15\n").unwrap();
        assert_eq!(table.kind, RecordKind::Server);
    }

    #[test]
    fn a_short_row_is_an_error_with_its_line() {
        let error = parse("extension\tserver_ip\ncc100\t10.0.0.1\ncc101\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 3, column 1: this row has 1 fields but the header names 2 columns"
        );
        let error = parse("name\tvalue\na\tb\n").unwrap_err();
        assert!(
            error.to_string().contains("cannot tell which table"),
            "{error}"
        );
    }
}
