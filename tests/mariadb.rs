//! phonelint's verdicts about what a database does with a record, checked
//! against a real MariaDB (Debian's mariadb-server) loaded with VICIdial's own
//! CREATE TABLE (fixtures/vicidial-data/vicidial-create-tables.sql) in a
//! database created as VICIdial's install creates it (`utf8_unicode_ci`,
//! docs/BASE_INSTALL.txt 251).
//!
//! Every record of two corpora, a hand-written one (fixtures/mariadb/) and a
//! generated one, is inserted alone under a strict sql_mode (MariaDB's
//! default) and without one, and read back; then all of them together, for
//! the unique keys and the comparisons VICIdial makes. For each field
//! phonelint predicts, from its own findings, whether the row is refused and
//! what is stored (value-too-long, invalid-value, invalid-protocol,
//! enum-index-number, or no finding: stored as written), and which records
//! clash (duplicate-extension, duplicate-alias, duplicate-server,
//! duplicate-login, login-alias-collision). Every disagreement fails the test
//! with the record and both verdicts.
//!
//! A phone without `template_id` is inserted with `''`, as VICIdial's own
//! INSERT does (admin.php 15021): the column is NOT NULL without a default.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::mariadb::{MariaDb, literal, unhex};
use phonelint::load::{Format, Value, load_str};
use phonelint::model::RecordView;
use phonelint::model::{Finding, Severity};
use phonelint::vicidial::RecordKind;
use phonelint::vicidial::collation::fold_key;
use phonelint::vicidial::{ColumnType, column};

const CREATE_TABLES: &str = include_str!("../fixtures/vicidial-data/vicidial-create-tables.sql");

/// MariaDB 10.11's default sql_mode, strict; and none at all.
const STRICT: &str =
    "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION";

/// The database, its tables, and two procedures that run a statement under
/// their sql_mode (a routine keeps the sql_mode it was created with) and
/// return its errors, warnings and notes as a row: `verdict TAG HEX(LINES)`,
/// one `ERRNO MESSAGE` line each. (Strict mode turns some warnings, such as "Data truncated",
/// into errors that keep a warning's SQLSTATE: whether the row was stored is
/// asked of the table.)
fn setup(db: &MariaDb) {
    let procedure = |name: &str| {
        format!(
            "DELIMITER ;;\n\
             CREATE PROCEDURE {name}(tag VARCHAR(100), stmt LONGTEXT)\n\
             BEGIN\n\
               DECLARE conditions TEXT DEFAULT '';\n\
               DECLARE n, i, e INT DEFAULT 0;\n\
               DECLARE m TEXT;\n\
               DECLARE CONTINUE HANDLER FOR SQLEXCEPTION, SQLWARNING\n\
                 BEGIN\n\
                   GET DIAGNOSTICS n = NUMBER;\n\
                   SET i = 1;\n\
                   WHILE i <= n DO\n\
                     GET DIAGNOSTICS CONDITION i e = MYSQL_ERRNO, m = MESSAGE_TEXT;\n\
                     SET conditions = CONCAT(conditions, e, ' ', m, '\\n');\n\
                     SET i = i + 1;\n\
                   END WHILE;\n\
                 END;\n\
               SET @stmt = stmt;\n\
               PREPARE s FROM @stmt;\n\
               EXECUTE s;\n\
               DEALLOCATE PREPARE s;\n\
               SELECT 'verdict', tag, HEX(conditions);\n\
             END;;\n\
             DELIMITER ;\n"
        )
    };
    let script = format!(
        "CREATE DATABASE asterisk DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci;\n\
         USE asterisk;\n{CREATE_TABLES}\n\
         CREATE TABLE phone_logins AS SELECT login FROM phones WHERE 0;\n\
         SET SESSION sql_mode = '{STRICT}';\n{}\
         SET SESSION sql_mode = '';\n{}",
        procedure("try_strict"),
        procedure("try_lax")
    );
    db.run(None, &script)
        .unwrap_or_else(|error| panic!("setting up the database failed: {error}"));
}

/// A value as it goes into SQL.
#[derive(Debug, Clone, PartialEq)]
enum Sql {
    Text(String),
    Number(i64),
}

impl Sql {
    fn literal(&self) -> String {
        match self {
            Sql::Text(text) => literal(text),
            Sql::Number(n) => n.to_string(),
        }
    }

    fn text(&self) -> String {
        match self {
            Sql::Text(text) => text.clone(),
            Sql::Number(n) => n.to_string(),
        }
    }
}

/// One record of a corpus, as inserted.
#[derive(Debug)]
struct Row {
    tag: String,
    /// `file:line key`, for messages.
    place: String,
    file: PathBuf,
    span: (usize, usize),
    kind: RecordKind,
    /// Columns and values, in field order.
    values: Vec<(&'static str, Sql)>,
    /// The record's key fields, as written.
    written: HashMap<&'static str, String>,
}

impl Row {
    fn table(&self) -> &'static str {
        self.kind.table()
    }

    fn insert(&self) -> String {
        let names: Vec<&str> = self.values.iter().map(|(name, _)| *name).collect();
        let values: Vec<String> = self.values.iter().map(|(_, v)| v.literal()).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.table(),
            names.join(","),
            values.join(",")
        )
    }

    fn key(&self, name: &str) -> Option<&str> {
        self.written.get(name).map(String::as_str)
    }
}

/// What phonelint says happens to one field.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// Stored, as this text, in either mode.
    Stored(String),
    /// Refused under a strict sql_mode; stored as this text without one.
    Refused { lax: String },
}

/// Every definition file under `dir`, loaded, as rows.
fn rows(dir: &Path, prefix: &str) -> Vec<Row> {
    let mut files: Vec<PathBuf> = walk(dir);
    files.sort();
    let mut rows = Vec::new();
    for file in files {
        let format = match file.extension().and_then(|e| e.to_str()) {
            Some("toml") => Format::Toml,
            Some("json") => Format::Json,
            _ => continue,
        };
        if file.file_name().is_some_and(|n| n == "phonelint.toml") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let document = load_str(&text, format);
        let file = std::fs::canonicalize(&file).unwrap();
        for record in &document.records {
            let view = RecordView::new(record);
            let mut values = Vec::new();
            let mut written = HashMap::new();
            for entry in &record.fields {
                let Some(col) = column(record.kind, &entry.key) else {
                    continue;
                };
                let sql = match (&entry.value.value, col.ty) {
                    (Value::Integer(_), ColumnType::Integer { .. } | ColumnType::ZeroOne) => {
                        let Value::Integer(n) = entry.value.value else {
                            unreachable!()
                        };
                        Sql::Number(n)
                    }
                    (Value::Integer(_) | Value::Float(_), _) => continue,
                    (_, ColumnType::Integer { .. }) => continue,
                    _ => match phonelint::model::written::stored_text(col, &entry.value.value) {
                        Some(text) => Sql::Text(text.into_owned()),
                        None => continue,
                    },
                };
                written.insert(col.name, sql.text());
                values.retain(|(name, _)| *name != col.name);
                values.push((col.name, sql));
            }
            if record.kind == RecordKind::Phone && !written.contains_key("template_id") {
                values.push(("template_id", Sql::Text(String::new())));
            }
            let line = text[..record.span.start].matches('\n').count() + 1;
            let tag = format!("{prefix}{}", rows.len());
            rows.push(Row {
                place: format!(
                    "{}:{line} {}",
                    file.file_name().unwrap().to_string_lossy(),
                    view.key()
                ),
                tag,
                file: file.clone(),
                span: (record.span.start, record.span.end),
                kind: record.kind,
                values,
                written,
            });
        }
    }
    rows
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The findings of each row (by file and span).
fn findings_of<'f>(rows: &[Row], findings: &'f [Finding]) -> Vec<Vec<&'f Finding>> {
    rows.iter()
        .map(|row| {
            findings
                .iter()
                .filter(|f| {
                    std::fs::canonicalize(&f.file.path).ok().as_deref() == Some(&row.file)
                        && row.span.0 <= f.span.start
                        && f.span.end <= row.span.1
                })
                .collect()
        })
        .collect()
}

fn unquote(replacement: &str) -> String {
    serde_json::from_str(replacement).unwrap_or_else(|_| replacement.to_owned())
}

/// What phonelint's findings on a row say about one of its fields.
fn expect(row: &Row, name: &str, value: &Sql, findings: &[&Finding]) -> Expect {
    let written = value.text();
    let col = column(row.kind, name).unwrap();
    let on_field = |rule: &str| {
        findings
            .iter()
            .find(|f| f.rule == rule && f.field.as_deref() == Some(name))
    };
    // A character utf8mb3 cannot hold: refused, or stored as `?`.
    let unstorable = findings.iter().any(|f| {
        f.rule == "invalid-value"
            && f.field.as_deref() == Some(name)
            && f.message.contains("cannot store")
    });
    let written: String = if unstorable {
        written
            .chars()
            .map(|c| if u32::from(c) > 0xFFFF { '?' } else { c })
            .collect()
    } else {
        written
    };
    if let Some(f) = on_field("value-too-long") {
        let ColumnType::Varchar(max) = col.ty else {
            panic!("value-too-long on {name}")
        };
        let kept: String = written.chars().take(max).collect();
        return if f.severity == Severity::Error || unstorable {
            Expect::Refused { lax: kept }
        } else {
            Expect::Stored(kept)
        };
    }
    if unstorable {
        return Expect::Refused { lax: written };
    }
    if let Some(f) = on_field("enum-index-number") {
        return match value {
            Sql::Number(1) => Expect::Stored("0".into()),
            Sql::Number(2) => Expect::Stored("1".into()),
            _ => {
                let _ = f;
                Expect::Refused { lax: String::new() }
            }
        };
    }
    for rule in ["invalid-value", "invalid-protocol"] {
        let Some(f) = on_field(rule) else { continue };
        if f.severity == Severity::Info {
            continue;
        }
        if f.severity == Severity::Warning {
            let fix = f.fix.as_ref().expect("a stored-as warning has its fix");
            return Expect::Stored(unquote(&fix.edits[0].replacement));
        }
        if f.label.starts_with("out of range") {
            let ColumnType::Integer { min, max } = col.ty else {
                panic!("out of range on {name}")
            };
            let Sql::Number(n) = value else {
                panic!("out of range on a non-number")
            };
            let limit = if *n < min { min } else { max };
            return Expect::Refused {
                lax: limit.to_string(),
            };
        }
        return Expect::Refused { lax: String::new() };
    }
    Expect::Stored(written)
}

/// The column a MariaDB error message names.
fn column_named(message: &str) -> Option<String> {
    if let Some(rest) = message.split("for column '").nth(1) {
        return rest.split('\'').next().map(str::to_owned);
    }
    let rest = message.split("for column `").nth(1)?;
    rest.split('`')
        .filter(|s| !s.is_empty() && *s != ".")
        .nth(2)
        .map(str::to_owned)
}

/// Parses the client's output into `(marker, tag) -> fields`.
fn parse(output: &str) -> HashMap<(String, String), Vec<String>> {
    let mut rows = HashMap::new();
    for line in output.lines() {
        let mut parts = line.split('\t').map(str::to_owned);
        let (Some(marker), Some(tag)) = (parts.next(), parts.next()) else {
            continue;
        };
        rows.insert((marker, tag), parts.collect());
    }
    rows
}

/// Each row alone, under both modes: refusals and what is stored.
fn check_values(db: &MariaDb, rows: &[Row], findings: &[Vec<&Finding>], out: &mut Vec<String>) {
    let mut script = String::from(
        "USE asterisk;\nDELETE FROM phones;\nDELETE FROM phones_alias;\nDELETE FROM servers;\n",
    );
    for row in rows {
        let statement = literal(&row.insert());
        let table = row.table();
        let columns: Vec<String> = row
            .values
            .iter()
            .map(|(name, _)| format!("IFNULL(HEX(CAST({name} AS CHAR)),'~')"))
            .collect();
        let _ = writeln!(
            script,
            "CALL try_strict('{tag}', {statement});\n\
             SELECT 'count', '{tag}', COUNT(*) FROM {table};\nDELETE FROM {table};\n\
             CALL try_lax('{tag}', {statement});\n\
             SELECT 'stored', '{tag}', {cols} FROM {table};\nDELETE FROM {table};",
            tag = row.tag,
            cols = columns.join(", ")
        );
    }
    let output = db.run(None, &script).unwrap_or_else(|e| panic!("{e}"));
    // Both procedures print a verdict with the same tag: the strict one first.
    let mut verdicts: HashMap<String, Vec<String>> = HashMap::new();
    let mut stored: HashMap<String, Vec<String>> = HashMap::new();
    let mut strict_stored: HashMap<String, bool> = HashMap::new();
    for line in output.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        match parts.as_slice() {
            ["count", tag, count] => {
                strict_stored.insert((*tag).to_owned(), *count == "1");
            }
            ["verdict", tag, conditions] => verdicts
                .entry((*tag).to_owned())
                .or_default()
                .push(unhex(conditions)),
            ["stored", tag, values @ ..] => {
                stored.insert(
                    (*tag).to_owned(),
                    values
                        .iter()
                        .map(|v| if *v == "~" { "NULL".into() } else { unhex(v) })
                        .collect(),
                );
            }
            _ => {}
        }
    }
    for (row, findings) in rows.iter().zip(findings) {
        let expected: Vec<(&str, Expect)> = row
            .values
            .iter()
            .map(|(name, value)| (*name, expect(row, name, value, findings)))
            .collect();
        let refused: Vec<&str> = expected
            .iter()
            .filter(|(_, e)| matches!(e, Expect::Refused { .. }))
            .map(|(name, _)| *name)
            .collect();
        let (Some([strict_message, lax_message]), Some(&strict_stored)) = (
            verdicts.get(&row.tag).map(Vec::as_slice),
            strict_stored.get(&row.tag),
        ) else {
            out.push(format!("{}: no verdict from MariaDB", row.place));
            continue;
        };
        // Strict: refused exactly when phonelint says a field is refused, on
        // one of those fields.
        match (refused.is_empty(), strict_stored) {
            (true, true) => {}
            (true, false) => out.push(format!(
                "{}: phonelint: stored in strict mode; MariaDB (strict) refuses it: {strict_message}",
                row.place
            )),
            (false, true) => out.push(format!(
                "{}: phonelint: refused in strict mode ({}); MariaDB (strict) stores it",
                row.place,
                refused.join(", ")
            )),
            (false, false) => {
                let named: Vec<String> = strict_message.lines().filter_map(column_named).collect();
                if !named.iter().any(|n| refused.contains(&n.as_str())) {
                    out.push(format!(
                        "{}: phonelint: refused for {}; MariaDB (strict): {strict_message}",
                        row.place,
                        refused.join(", ")
                    ));
                }
            }
        }
        let Some(values) = stored.get(&row.tag) else {
            out.push(format!(
                "{}: MariaDB (not strict) stored no row: {lax_message}",
                row.place
            ));
            continue;
        };
        for ((name, expect), actual) in expected.iter().zip(values) {
            let predicted = match expect {
                Expect::Stored(text) | Expect::Refused { lax: text } => text,
            };
            if predicted != actual {
                out.push(format!(
                    "{} `{name}`: phonelint: stored as {predicted:?}; MariaDB (not strict) stores {actual:?}",
                    row.place
                ));
            }
        }
    }
}

/// Every row inserted together (not strict): the unique keys, and the
/// comparisons VICIdial makes for logins and alias ids.
fn check_keys(db: &MariaDb, rows: &[Row], findings: &[Vec<&Finding>], out: &mut Vec<String>) {
    let flagged = |i: usize, rule: &str| findings[i].iter().any(|f| f.rule == rule);
    // duplicate-server also reports a shared server_ip, which no index has.
    let flagged_key = |i: usize, rule: &str| {
        findings[i].iter().any(|f| {
            f.rule == rule
                && (rule != "duplicate-server" || f.field.as_deref() == Some("server_id"))
        })
    };
    let fits = |row: &Row, name: &str| {
        let max = match column(row.kind, name).map(|c| c.ty) {
            Some(ColumnType::Varchar(max)) => max,
            _ => usize::MAX,
        };
        row.key(name)
            .is_some_and(|v| v.chars().count() <= max && fold_key(v).is_some())
    };
    // The unique key of each table, and the rule that reports clashes of it.
    let uniques: [(RecordKind, &[&str], &str); 3] = [
        (
            RecordKind::Phone,
            &["extension", "server_ip"],
            "duplicate-extension",
        ),
        (RecordKind::Alias, &["alias_id"], "duplicate-alias"),
        (RecordKind::Server, &["server_id"], "duplicate-server"),
    ];
    let judged = |row: &Row| {
        uniques
            .iter()
            .find(|(kind, ..)| *kind == row.kind)
            .is_some_and(|(_, key, _)| key.iter().all(|name| fits(row, name)))
    };
    let mut script = String::from(
        "USE asterisk;\nDELETE FROM phones;\nDELETE FROM phones_alias;\nDELETE FROM servers;\nDELETE FROM phone_logins;\n",
    );
    for row in rows.iter().filter(|row| judged(row)) {
        let _ = writeln!(
            script,
            "CALL try_lax('{}', {});",
            row.tag,
            literal(&row.insert())
        );
        if row.kind == RecordKind::Phone && fits(row, "login") {
            let login = literal(row.key("login").unwrap_or_default());
            let _ = writeln!(script, "INSERT INTO phone_logins VALUES ({login});");
        }
    }
    for row in rows.iter().filter(|row| judged(row)) {
        let (_, key, _) = uniques.iter().find(|(kind, ..)| *kind == row.kind).unwrap();
        let condition: Vec<String> = key
            .iter()
            .map(|name| format!("{name} = {}", literal(row.key(name).unwrap())))
            .collect();
        let selected: Vec<String> = key.iter().map(|name| format!("HEX({name})")).collect();
        let _ = writeln!(
            script,
            "SELECT 'stored', '{}', {} FROM {} WHERE {};",
            row.tag,
            selected.join(", "),
            row.table(),
            condition.join(" AND ")
        );
        if row.kind == RecordKind::Phone && fits(row, "login") {
            let login = literal(row.key("login").unwrap_or_default());
            let _ = writeln!(
                script,
                "SELECT 'logins', '{tag}', COUNT(*) FROM phone_logins WHERE login = {login};\n\
                 SELECT 'aliases', '{tag}', COUNT(*) FROM phones_alias WHERE alias_id = {login};",
                tag = row.tag
            );
        }
    }
    let output = db.run(None, &script).unwrap_or_else(|e| panic!("{e}"));
    let parsed = parse(&output);
    // The row each judged row's key is stored as: itself, or the row it
    // clashed with (found by the stored key's exact text).
    let by_stored: HashMap<(RecordKind, Vec<String>), usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| judged(row))
        .filter(|(_, row)| {
            // Refused only by a unique key (1062, "Duplicate entry").
            parsed
                .get(&("verdict".into(), row.tag.clone()))
                .and_then(|v| v.first())
                .is_some_and(|conditions| {
                    !unhex(conditions)
                        .lines()
                        .any(|line| line.starts_with("1062 "))
                })
        })
        .map(|(i, row)| {
            let (_, key, _) = uniques.iter().find(|(kind, ..)| *kind == row.kind).unwrap();
            let values = key.iter().map(|n| row.key(n).unwrap().to_owned()).collect();
            ((row.kind, values), i)
        })
        .collect();
    let mut class: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate().filter(|(_, row)| judged(row)) {
        let Some(stored) = parsed.get(&("stored".into(), row.tag.clone())) else {
            out.push(format!(
                "{}: MariaDB finds no stored row for its key",
                row.place
            ));
            continue;
        };
        let values: Vec<String> = stored.iter().map(|h| unhex(h)).collect();
        match by_stored.get(&(row.kind, values.clone())) {
            Some(first) => {
                class.insert(i, *first);
            }
            None => out.push(format!(
                "{}: its key is stored as {values:?}, which no row wrote",
                row.place
            )),
        }
    }
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for first in class.values() {
        *sizes.entry(*first).or_default() += 1;
    }
    for (i, first) in &class {
        let row = &rows[*i];
        let (_, key, rule) = uniques.iter().find(|(kind, ..)| *kind == row.kind).unwrap();
        let clashes = sizes[first] > 1;
        if clashes != flagged_key(*i, rule) {
            out.push(format!(
                "{}: phonelint {} {rule}; MariaDB's unique key on ({}) {}",
                row.place,
                if flagged_key(*i, rule) {
                    "reports"
                } else {
                    "does not report"
                },
                key.join(", "),
                if clashes {
                    format!("refuses one of them (same as {})", rows[*first].place)
                } else {
                    "takes it".to_owned()
                }
            ));
        }
        // The same classes as phonelint's folded keys.
        let folded = |row: &Row| -> Vec<Option<String>> {
            key.iter()
                .map(|n| fold_key(row.key(n).unwrap()).map(|k| k.to_string()))
                .collect()
        };
        if folded(row) != folded(&rows[*first]) {
            out.push(format!(
                "{}: MariaDB's unique key takes it as {}; phonelint's keys differ",
                row.place, rows[*first].place
            ));
        }
    }
    // Accepted rows are distinct for MariaDB: phonelint must fold them apart.
    let mut seen: HashMap<(RecordKind, Vec<Option<String>>), usize> = HashMap::new();
    for (_, i) in by_stored.iter().collect::<BTreeMap<_, _>>() {
        let row = &rows[*i];
        let (_, key, _) = uniques.iter().find(|(kind, ..)| *kind == row.kind).unwrap();
        let folded: Vec<Option<String>> = key
            .iter()
            .map(|n| fold_key(row.key(n).unwrap()).map(|k| k.to_string()))
            .collect();
        if let Some(other) = seen.insert((row.kind, folded), *i) {
            out.push(format!(
                "{} and {}: MariaDB stores both under its unique key; phonelint folds them together",
                rows[other].place, row.place
            ));
        }
    }
    // Logins (admin.php 14918 counts them) and alias ids (15068).
    for (i, row) in rows.iter().enumerate() {
        let count = |marker: &str| {
            parsed
                .get(&(marker.to_owned(), row.tag.clone()))
                .and_then(|v| v.first())
                .and_then(|n| n.parse::<usize>().ok())
        };
        if let Some(logins) = count("logins")
            && (logins > 1) != flagged(i, "duplicate-login")
        {
            out.push(format!(
                "{}: MariaDB counts {logins} phones with its login; phonelint {} duplicate-login",
                row.place,
                if flagged(i, "duplicate-login") {
                    "reports"
                } else {
                    "does not report"
                }
            ));
        }
        if let Some(aliases) = count("aliases")
            && (aliases > 0) != flagged(i, "login-alias-collision")
        {
            out.push(format!(
                "{}: MariaDB counts {aliases} aliases with its login as alias_id; phonelint {} login-alias-collision",
                row.place,
                if flagged(i, "login-alias-collision") { "reports" } else { "does not report" }
            ));
        }
    }
}

/// Checks the corpus at `dir` against `db`; the disagreements.
fn compare(db: &MariaDb, dir: &Path, prefix: &str) -> (Vec<Row>, Vec<String>) {
    let outcome = common::check(dir);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let rows = rows(dir, prefix);
    assert!(!rows.is_empty(), "no records in {}", dir.display());
    let findings = findings_of(&rows, &outcome.findings);
    let mut out = Vec::new();
    check_values(db, &rows, &findings, &mut out);
    check_keys(db, &rows, &findings, &mut out);
    (rows, out)
}

#[test]
fn phonelint_agrees_with_mariadb() {
    let Some(db) = MariaDb::start() else { return };
    setup(&db);
    let mut disagreements = Vec::new();

    // The hand-written corpus, and the values the issue names.
    let hand = common::root().join("fixtures/mariadb");
    let (rows, found) = compare(&db, &hand, "h");
    disagreements.extend(found);
    let stored = stored_as(&db, &rows);
    for (field, written, expected) in [
        ("active", "y", "Y"),
        ("protocol", "sip", "SIP"),
        ("local_gmt", "-5", "-5"),
    ] {
        assert!(
            stored.contains(&(field.to_owned(), written.to_owned(), expected.to_owned())),
            "the hand-written corpus stores {field} {written:?} as {expected:?}: {stored:?}"
        );
    }

    // A generated corpus.
    let generated = tempfile::tempdir().unwrap();
    generate(generated.path(), 7, 160, 30, 16);
    let (_, found) = compare(&db, generated.path(), "g");
    disagreements.extend(found);

    // The collation table phonelint folds keys with is MariaDB's.
    disagreements.extend(check_collation_table(&db));

    assert!(
        disagreements.is_empty(),
        "{} disagreements between phonelint and MariaDB {}:\n{}",
        disagreements.len(),
        db.run(None, "SELECT VERSION();").unwrap_or_default().trim(),
        disagreements.join("\n")
    );
}

/// `(field, written, stored without strict mode)` for the hand-written rows.
fn stored_as(db: &MariaDb, rows: &[Row]) -> BTreeSet<(String, String, String)> {
    let mut script =
        String::from("USE asterisk;\nDELETE FROM phones;\nSET SESSION sql_mode = '';\n");
    let mut asked = Vec::new();
    for row in rows.iter().filter(|r| r.kind == RecordKind::Phone) {
        for (name, value) in &row.values {
            if matches!(*name, "active" | "protocol" | "local_gmt") {
                let _ = writeln!(
                    script,
                    "INSERT INTO phones (extension, server_ip, template_id, {name}) VALUES ('x', '1', '', {});\n\
                     SELECT 'stored', '{}', HEX({name}) FROM phones;\nDELETE FROM phones;",
                    value.literal(),
                    asked.len()
                );
                asked.push((name.to_string(), value.text()));
            }
        }
    }
    let parsed = parse(&db.run(None, &script).unwrap_or_else(|e| panic!("{e}")));
    asked
        .into_iter()
        .enumerate()
        .filter_map(|(i, (name, written))| {
            let hex = parsed
                .get(&("stored".into(), i.to_string()))?
                .first()?
                .clone();
            Some((name, written, unhex(&hex)))
        })
        .collect()
}

/// A small deterministic generator (a linear congruential one: the corpus is
/// the same on every run, so a failure can be reproduced).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() % items.len()]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.next() % 100 < percent
    }
}

/// A key as users write it: some case, accent, expansion or spacing slip.
fn variant(rng: &mut Lcg, base: &str) -> String {
    match rng.next() % 9 {
        0 => base.to_uppercase(),
        1 => format!("{base} "),
        2 => format!("{base}  "),
        3 => base.replace('e', "é").replace('a', "à"),
        4 => base.replace("ss", "ß"),
        5 => format!(" {base}"),
        6 => base.replace('c', "Ç"),
        _ => base.to_owned(),
    }
}

/// Writes a generated corpus of phones, aliases and servers into `dir`, in
/// TOML and JSON files.
fn generate(dir: &Path, seed: u64, phones: usize, aliases: usize, servers: usize) {
    use serde_json::{Value as J, json};
    let mut rng = Lcg(seed);
    let keys = [
        "cc100", "cc101", "desk", "emile", "strasse", "zz9", "acme", "cc10",
    ];
    let ips = ["10.10.10.15", "10.10.10.16", "10.10.10.15 "];
    let text = |rng: &mut Lcg, max: usize| -> String {
        let length = max - 2 + rng.next() % 4;
        let alphabet = ['a', 'B', 'é', ' ', '-', '7', 'ß', 'Ž', '😀'];
        let mut s: String = (0..length).map(|_| *rng.pick(&alphabet)).collect();
        if rng.chance(20) {
            s = format!(
                "{}   ",
                s.chars().take(max.saturating_sub(1)).collect::<String>()
            );
        }
        s
    };
    let mut records: Vec<(&str, serde_json::Map<String, J>)> = Vec::new();
    for _ in 0..phones {
        let mut p = serde_json::Map::new();
        let base = rng.pick(&keys).to_string();
        p.insert("extension".into(), json!(variant(&mut rng, &base)));
        p.insert("server_ip".into(), json!(rng.pick(&ips)));
        let login = rng.pick(&keys).to_string();
        p.insert("login".into(), json!(variant(&mut rng, &login)));
        p.insert(
            "dialplan_number".into(),
            json!(format!("83{:02}", rng.next() % 100)),
        );
        p.insert("voicemail_id".into(), json!("8300"));
        p.insert("pass".into(), json!("Rr8xkq2Lw"));
        let active = ["Y", "N", "y", "n", "Ý", " Y", "Y ", "yes", ""];
        p.insert("active".into(), json!(rng.pick(&active)));
        let protocols = [
            "SIP", "sip", "Sip ", "IAX2", "iax2", "Zap", "ZAP", "DAHDI", "PJSIP", "EXTERNAL",
            "external", "SIPS",
        ];
        p.insert("protocol".into(), json!(rng.pick(&protocols)));
        let webphone = ["Y", "N", "Y_API_LAUNCH", "y_api_launch", "TRUE"];
        p.insert("is_webphone".into(), json!(rng.pick(&webphone)));
        let dialpad = ["TOGGLE", "toggle_off", "Toggle", "OFF"];
        p.insert("webphone_dialpad".into(), json!(rng.pick(&dialpad)));
        let flags = [
            json!("0"),
            json!("1"),
            json!(0),
            json!(1),
            json!(2),
            json!(3),
            json!(true),
            json!(false),
        ];
        p.insert("AGI_call_logging_enabled".into(), rng.pick(&flags).clone());
        p.insert("company".into(), json!(text(&mut rng, 10)));
        p.insert("fullname".into(), json!(text(&mut rng, 50)));
        let statuses = ["ACTIVE", "Admin", "SUSPENDED  ", "suspended", "DISABLED"];
        p.insert("status".into(), json!(rng.pick(&statuses)));
        let gmt = ["-5", "-5.00", "+1.00", "-10.00", "-10.000", "EST", "9.5"];
        p.insert("local_gmt".into(), json!(rng.pick(&gmt)));
        let timeouts = [60, 32767, 32768, -32768, -32769];
        p.insert("phone_ring_timeout".into(), json!(rng.pick(&timeouts)));
        let lists = [995_i64, 0, -1];
        p.insert("nva_new_list_id".into(), json!(rng.pick(&lists)));
        let rates = [1000_i64, 2147483647, 2147483648];
        p.insert("fast_refresh_rate".into(), json!(rng.pick(&rates)));
        if rng.chance(30) {
            p.insert("template_id".into(), json!(text(&mut rng, 15)));
        }
        records.push(("phones", p));
    }
    for _ in 0..aliases {
        let mut a = serde_json::Map::new();
        let base = rng.pick(&keys).to_string();
        a.insert("alias_id".into(), json!(variant(&mut rng, &base)));
        a.insert("alias_name".into(), json!(text(&mut rng, 50)));
        if rng.chance(50) {
            a.insert(
                "logins_list".into(),
                json!([rng.pick(&keys), rng.pick(&keys)]),
            );
        } else {
            a.insert(
                "logins_list".into(),
                json!(format!("{},{}", rng.pick(&keys), rng.pick(&keys))),
            );
        }
        records.push(("aliases", a));
    }
    let server_ids = ["TESTast", "DIALER2", "dialer3", "Straße"];
    for _ in 0..servers {
        let mut s = serde_json::Map::new();
        let base = rng.pick(&server_ids).to_string();
        s.insert("server_id".into(), json!(variant(&mut rng, &base)));
        s.insert("server_ip".into(), json!(rng.pick(&ips)));
        s.insert("active".into(), json!(rng.pick(&["Y", "N", "n"])));
        s.insert("local_gmt".into(), json!(rng.pick(&["-5.00", "-5", "GMT"])));
        records.push(("servers", s));
    }
    // Alternate files of each format, a few records each.
    for (n, chunk) in records.chunks(12).enumerate() {
        let mut by_kind: BTreeMap<&str, Vec<J>> = BTreeMap::new();
        for (kind, record) in chunk {
            by_kind
                .entry(kind)
                .or_default()
                .push(J::Object(record.clone()));
        }
        if n % 2 == 0 {
            let doc = J::Object(
                by_kind
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), J::Array(v)))
                    .collect(),
            );
            std::fs::write(
                dir.join(format!("g{n}.json")),
                serde_json::to_string_pretty(&doc).unwrap(),
            )
            .unwrap();
        } else {
            let mut toml = String::new();
            for (kind, records) in by_kind {
                for record in records {
                    let _ = writeln!(toml, "[[{kind}]]");
                    for (key, value) in record.as_object().unwrap() {
                        let _ = writeln!(toml, "{key} = {value}");
                    }
                }
            }
            std::fs::write(dir.join(format!("g{n}.toml")), toml).unwrap();
        }
    }
}

/// Rebuilds src/vicidial/unicode_ci.txt from MariaDB's own weights and compares
/// it with the file phonelint folds keys with.
fn check_collation_table(db: &MariaDb) -> Vec<String> {
    let output = db
        .run(
            Some("asterisk"),
            "SELECT seq, HEX(WEIGHT_STRING(CONVERT(CHAR(seq USING utf32) USING utf8mb3) COLLATE utf8mb3_unicode_ci)) \
             FROM seq_0_to_65535 WHERE seq < 55296 OR seq > 57343;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let mut weights: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for line in output.lines() {
        let (cp, hex) = line.split_once('\t').unwrap_or((line, ""));
        let ws = (0..hex.len() / 4)
            .map(|i| u32::from_str_radix(&hex[4 * i..4 * i + 4], 16).unwrap())
            .collect();
        weights.insert(cp.parse().unwrap(), ws);
    }
    assert!(
        weights.len() > 60_000,
        "MariaDB gave {} weights",
        weights.len()
    );
    // The character each single weight is represented by: an ASCII lower
    // case letter if one has it, else a lower case letter, else the lowest.
    let mut candidates: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (cp, ws) in &weights {
        if let [w] = ws.as_slice() {
            candidates.entry(*w).or_default().push(*cp);
        }
    }
    let is_lower = |cp: u32| {
        char::from_u32(cp).is_some_and(|c| {
            c.to_lowercase().eq(std::iter::once(c)) && !c.to_uppercase().eq(std::iter::once(c))
        })
    };
    let representative: HashMap<u32, u32> = candidates
        .into_iter()
        .map(|(w, cps)| {
            let pick = cps
                .iter()
                .find(|&&c| (u32::from(b'a')..=u32::from(b'z')).contains(&c))
                .or_else(|| cps.iter().find(|&&c| is_lower(c)))
                .or_else(|| cps.iter().min())
                .copied()
                .unwrap();
            (w, pick)
        })
        .collect();
    // UCA's implicit weights name a code point themselves.
    let implicit = |a: u32, b: u32| -> Option<u32> {
        ((0xFB40..=0xFBFF).contains(&a) && b & 0x8000 != 0 && !representative.contains_key(&a))
            .then(|| {
                let base = if a < 0xFB80 {
                    0xFB40
                } else if a < 0xFBC0 {
                    0xFB80
                } else {
                    0xFBC0
                };
                ((a - base) << 15) | (b & 0x7FFF)
            })
    };
    let mut expected = String::new();
    for (cp, ws) in &weights {
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if let Some(c) = ws.get(i + 1).and_then(|b| implicit(ws[i], *b)) {
                tokens.push(c);
                i += 2;
                continue;
            }
            match representative.get(&ws[i]) {
                Some(c) => tokens.push(*c),
                None => {
                    return vec![format!(
                        "U+{cp:04X}: weight {:04X} has no representative",
                        ws[i]
                    )];
                }
            }
            i += 1;
        }
        if tokens != [*cp] {
            let _ = write!(expected, "{cp:04X}");
            for t in tokens {
                let _ = write!(expected, " {t:04X}");
            }
            expected.push('\n');
        }
    }
    let committed: String =
        std::fs::read_to_string(common::root().join("src/vicidial/unicode_ci.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
    if committed == expected {
        return Vec::new();
    }
    let committed: BTreeSet<&str> = committed.lines().collect();
    let expected: BTreeSet<&str> = expected.lines().collect();
    let mut out: Vec<String> = expected
        .difference(&committed)
        .take(20)
        .map(|l| format!("unicode_ci.txt lacks `{l}` (MariaDB's weights)"))
        .collect();
    out.extend(
        committed
            .difference(&expected)
            .take(20)
            .map(|l| format!("unicode_ci.txt has `{l}`, which MariaDB's weights do not give")),
    );
    out
}
