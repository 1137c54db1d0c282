//! Table rows -> records in the definition format: typed values, key fields
//! first, NULL, schema defaults and runtime columns left out unless asked.

use std::cmp::Ordering;

use super::table::{RawValue, TableData};
use crate::vicidial::RecordKind;
use crate::vicidial::{Column, ColumnType, column};

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
/// alias_id, phones by server_ip then extension (digits compared as numbers;
/// rows with equal keys keep their export order).
pub fn records(
    tables: &[TableData],
    all_columns: bool,
    runtime_columns: bool,
) -> Vec<ImportedRecord> {
    let mut records: Vec<ImportedRecord> = tables
        .iter()
        .flat_map(|table| {
            let slots = slots(table.kind, &table.columns, runtime_columns);
            table.rows.iter().map(move |row| ImportedRecord {
                kind: table.kind,
                fields: fields(&slots, row, all_columns),
            })
        })
        .collect();
    records.sort_by(|a, b| match kind_order(a.kind).cmp(&kind_order(b.kind)) {
        Ordering::Equal => {
            let (ka, kb) = (a.sort_key(), b.sort_key());
            let natural = ka.iter().zip(&kb).map(|(x, y)| natural_cmp(x, y));
            natural
                .fold(Ordering::Equal, Ordering::then)
                .then_with(|| ka.cmp(&kb))
        }
        other => other,
    });
    records
}

/// Compares with runs of digits as numbers, so that `cc9` < `cc10` and
/// `10.0.0.2` < `10.0.0.15`; ties (`07` and `7`) are broken by byte order.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (digits(a), digits(b));
                let (na, nb) = (a.split_at(da), b.split_at(db));
                let trim = |s: &'_ [u8]| -> Vec<u8> {
                    let zeros = s.iter().take_while(|&&c| c == b'0').count();
                    s.get(zeros..).unwrap_or_default().to_vec()
                };
                let (ta, tb) = (trim(na.0), trim(nb.0));
                let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(&tb));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (na.1, nb.1);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                (a, b) = (
                    a.get(1..).unwrap_or_default(),
                    b.get(1..).unwrap_or_default(),
                );
            }
        }
    }
}

fn kind_order(kind: RecordKind) -> u8 {
    match kind {
        RecordKind::Server => 0,
        RecordKind::Alias => 1,
        RecordKind::Phone => 2,
    }
}

/// How one column of an export is written: its name (VICIdial's spelling when
/// phonelint knows the column), its model column and its writing rank.
struct Slot {
    name: String,
    known: Option<&'static Column>,
    rank: usize,
}

/// Works out, once per table, where each exported column goes; `None` for a
/// column that is not written (runtime columns unless asked, repeated names).
fn slots(kind: RecordKind, names: &[String], runtime_columns: bool) -> Vec<Option<Slot>> {
    let schema = crate::vicidial::columns(kind);
    let keys = key_columns(kind);
    let mut seen: Vec<String> = Vec::new();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            // MySQL column names are case-insensitive: use VICIdial's spelling.
            let known = column(kind, name)
                .or_else(|| schema.iter().find(|c| c.name.eq_ignore_ascii_case(name)));
            let name = known.map_or_else(|| name.clone(), |c| c.name.to_owned());
            if known.is_some_and(|c| c.runtime) && !runtime_columns || seen.contains(&name) {
                return None;
            }
            seen.push(name.clone());
            // Writing order: key columns, then schema order, then unknown columns.
            let rank = match keys.iter().position(|k| *k == name) {
                Some(r) => r,
                None => match schema.iter().position(|c| c.name == name) {
                    Some(r) => keys.len() + r,
                    None => keys.len() + schema.len() + i,
                },
            };
            Some(Slot { name, known, rank })
        })
        .collect()
}

fn fields(slots: &[Option<Slot>], row: &[RawValue], all_columns: bool) -> Vec<(String, Field)> {
    let mut out: Vec<(usize, String, Field)> = Vec::new();
    for (slot, raw) in slots.iter().zip(row) {
        let Some(slot) = slot else { continue };
        let (text, unquoted) = match raw {
            RawValue::Null | RawValue::Default => continue,
            RawValue::Text(text) => (text, false),
            RawValue::Number(text) => (text, true),
        };
        let integer_column = slot
            .known
            .is_some_and(|c| matches!(c.ty, ColumnType::Integer { .. }));
        let value = match text.parse::<i64>() {
            Ok(i) if integer_column || (slot.known.is_none() && unquoted) => Field::Integer(i),
            _ => Field::String(text.clone()),
        };
        if !all_columns && slot.known.and_then(|c| c.default) == Some(value.text().as_str()) {
            continue;
        }
        out.push((slot.rank, slot.name.clone(), value));
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
    fn natural_order_compares_numbers_as_numbers() {
        let mut names = [
            "cc10",
            "cc9",
            "10-1",
            "2-1",
            "1-1",
            "10.0.0.15",
            "10.0.0.2",
            "a",
            "",
            "007",
            "7",
        ];
        names.sort_by(|a, b| natural_cmp(a, b).then_with(|| a.cmp(b)));
        assert_eq!(
            names,
            [
                "",
                "1-1",
                "2-1",
                "007",
                "7",
                "10-1",
                "10.0.0.2",
                "10.0.0.15",
                "a",
                "cc9",
                "cc10"
            ]
        );
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
