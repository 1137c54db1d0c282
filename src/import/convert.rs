//! Table rows -> records in the definition format: typed values, key fields
//! first, NULL, schema defaults and runtime columns left out unless asked.

use std::cmp::Ordering;

use super::{RawValue, TableData};
use crate::load::RecordKind;
use crate::model::{ColumnType, column};

/// A value as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    String(String),
    Integer(i64),
}

impl Field {
    /// The text VICIdial stores.
    pub fn text(&self) -> String {
        match self {
            Field::String(s) => s.clone(),
            Field::Integer(i) => i.to_string(),
        }
    }
}

/// One imported record: its kind and its fields in writing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRecord {
    pub kind: RecordKind,
    pub fields: Vec<(String, Field)>,
}

impl ImportedRecord {
    /// The text of a field, or "" when it was left out.
    pub fn text(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.text())
            .unwrap_or_default()
    }

    fn sort_key(&self) -> Vec<String> {
        let names: &[&str] = match self.kind {
            RecordKind::Phone => &["server_ip", "extension"],
            RecordKind::Alias => &["alias_id"],
            RecordKind::Server => &["server_id"],
        };
        names.iter().map(|name| self.text(name)).collect()
    }
}

/// The fields a reader looks for first, in this order; the rest follow in
/// schema order, then columns phonelint does not know, in export order.
fn key_columns(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Phone => &[
            "extension",
            "server_ip",
            "login",
            "pass",
            "status",
            "active",
            "protocol",
            "dialplan_number",
            "voicemail_id",
            "fullname",
        ],
        RecordKind::Alias => &["alias_id", "alias_name", "logins_list"],
        RecordKind::Server => &["server_id", "server_ip", "server_description", "active"],
    }
}

/// The records of every table, sorted: servers by server_id, aliases by
/// alias_id, phones by server_ip then extension (byte order; rows with equal
/// keys keep their export order).
pub fn records(
    tables: &[TableData],
    all_columns: bool,
    runtime_columns: bool,
) -> Vec<ImportedRecord> {
    let mut records: Vec<ImportedRecord> = tables
        .iter()
        .flat_map(|table| {
            table.rows.iter().map(move |row| ImportedRecord {
                kind: table.kind,
                fields: fields(
                    table.kind,
                    &table.columns,
                    row,
                    all_columns,
                    runtime_columns,
                ),
            })
        })
        .collect();
    records.sort_by(|a, b| match kind_order(a.kind).cmp(&kind_order(b.kind)) {
        Ordering::Equal => a.sort_key().cmp(&b.sort_key()),
        other => other,
    });
    records
}

fn kind_order(kind: RecordKind) -> u8 {
    match kind {
        RecordKind::Server => 0,
        RecordKind::Alias => 1,
        RecordKind::Phone => 2,
    }
}

fn fields(
    kind: RecordKind,
    names: &[String],
    row: &[RawValue],
    all_columns: bool,
    runtime_columns: bool,
) -> Vec<(String, Field)> {
    let mut out: Vec<(usize, String, Field)> = Vec::new();
    let schema = crate::model::columns(kind);
    for (name, raw) in names.iter().zip(row) {
        let known = column(kind, name);
        if known.is_some_and(|c| c.runtime) && !runtime_columns {
            continue;
        }
        let (text, unquoted) = match raw {
            RawValue::Null | RawValue::Default => continue,
            RawValue::Text(text) => (text, false),
            RawValue::Number(text) => (text, true),
        };
        let integer_column = known.is_some_and(|c| matches!(c.ty, ColumnType::Integer { .. }));
        let value = match text.parse::<i64>() {
            Ok(i) if integer_column || (known.is_none() && unquoted) => Field::Integer(i),
            _ => Field::String(text.clone()),
        };
        if !all_columns && known.and_then(|c| c.default) == Some(value.text().as_str()) {
            continue;
        }
        // Writing order: key columns, then schema order, then unknown columns.
        let keys = key_columns(kind);
        let rank = match keys.iter().position(|k| k == name) {
            Some(i) => i,
            None => match schema.iter().position(|c| c.name == name) {
                Some(i) => keys.len() + i,
                None => keys.len() + schema.len() + out.len(),
            },
        };
        if out.iter().any(|(_, existing, _)| existing == name) {
            // A column named twice in one INSERT: MySQL refuses it; keep the first.
            continue;
        }
        out.push((rank, name.clone(), value));
    }
    out.sort_by_key(|(rank, _, _)| *rank);
    out.into_iter()
        .map(|(_, name, value)| (name, value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> RawValue {
        RawValue::Text(s.to_owned())
    }

    fn table(kind: RecordKind, columns: &[&str], rows: Vec<Vec<RawValue>>) -> TableData {
        TableData {
            kind,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
            at: 0,
        }
    }

    #[test]
    fn defaults_nulls_and_runtime_columns_are_left_out() {
        let t = table(
            RecordKind::Phone,
            &[
                "protocol",
                "extension",
                "company",
                "messages",
                "local_gmt",
                "fast_refresh_rate",
                "phone_ring_timeout",
                "x_new",
            ],
            vec![vec![
                text("SIP"),
                text("cc100"),
                RawValue::Null,
                RawValue::Number("3".into()),
                text("-5"),
                RawValue::Number("1000".into()),
                text("30"),
                RawValue::Number("7".into()),
            ]],
        );
        let some = records(std::slice::from_ref(&t), false, false);
        assert_eq!(
            some[0].fields,
            [
                ("extension".to_owned(), Field::String("cc100".into())),
                ("local_gmt".to_owned(), Field::String("-5".into())),
                ("phone_ring_timeout".to_owned(), Field::Integer(30)),
                ("x_new".to_owned(), Field::Integer(7)),
            ]
        );
        let all = records(std::slice::from_ref(&t), true, true);
        let names: Vec<&str> = all[0].fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "extension",
                "protocol",
                "messages",
                "local_gmt",
                "fast_refresh_rate",
                "phone_ring_timeout",
                "x_new"
            ]
        );
    }

    #[test]
    fn empty_is_kept_and_differs_from_null() {
        let t = table(
            RecordKind::Phone,
            &["extension", "company", "picture"],
            vec![vec![text("a"), text(""), RawValue::Null]],
        );
        let got = records(&[t], false, false);
        assert_eq!(got[0].text("company"), "");
        assert!(got[0].fields.iter().any(|(n, _)| n == "company"));
        assert!(!got[0].fields.iter().any(|(n, _)| n == "picture"));
    }

    #[test]
    fn records_are_sorted_by_kind_and_key() {
        let phones = table(
            RecordKind::Phone,
            &["extension", "server_ip"],
            vec![
                vec![text("b"), text("10.0.0.2")],
                vec![text("c"), text("10.0.0.1")],
                vec![text("a"), text("10.0.0.2")],
            ],
        );
        let servers = table(RecordKind::Server, &["server_id"], vec![vec![text("S1")]]);
        let got = records(&[phones, servers], false, false);
        let keys: Vec<String> = got
            .iter()
            .map(|r| format!("{}{}", r.text("server_id"), r.text("extension")))
            .collect();
        assert_eq!(keys, ["S1", "c", "a", "b"]);
    }
}
