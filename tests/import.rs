//! `phonelint import`: real dumps, round trips, hostile names, malformed input.

mod common;

use std::path::{Path, PathBuf};

use common::{phonelint, root};
use phonelint::load::{Format, Value, load_str};
use phonelint::model::RecordView;
use predicates::prelude::*;

const SHARED: &str = "fixtures/vicidial-data";

fn shared(name: &str) -> PathBuf {
    root().join(SHARED).join(name)
}

/// `phonelint import DUMP --out OUT`, run from the crate root.
fn import(dump: impl AsRef<Path>, out: impl AsRef<Path>) -> assert_cmd::Command {
    let mut cmd = phonelint();
    cmd.arg("import")
        .arg(dump.as_ref())
        .arg("--out")
        .arg(out.as_ref());
    cmd
}

/// Every file under `dir`, relative, with `/` separators, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Every record in the definition files under `dir`: (kind, field -> value).
fn records_under(dir: &Path) -> Vec<(String, Vec<(String, Value)>)> {
    let mut out = Vec::new();
    for name in files_under(dir) {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let format = Format::from_path(Path::new(&name)).unwrap();
        let document = load_str(&text, format);
        assert!(
            document.problems.is_empty(),
            "{name}: {:?}",
            document.problems
        );
        for record in &document.records {
            let fields = record
                .fields
                .iter()
                .map(|e| (e.key.to_string(), e.value.value.clone()))
                .collect();
            out.push((RecordView::new(record).kind().section().to_owned(), fields));
        }
    }
    out
}

fn field<'a>(record: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    record.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn string(s: &str) -> Value {
    Value::String(s.into())
}

/// Rows of `INSERT INTO phones` in VICIdial's sample files: one per statement.
fn sample_phone_inserts(name: &str) -> usize {
    let text = std::fs::read_to_string(shared(name)).unwrap();
    text.lines()
        .filter(|l| l.starts_with("INSERT INTO phones "))
        .count()
}

#[test]
fn the_shared_dump_imports_every_row_and_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("imported");
    let assert = import(shared("mysqldump-phones.sql"), &out)
        .assert()
        // The files are written: exit 0, though the check that follows
        // reports what the data really holds: `-5` local_gmt, `test` passwords.
        .code(0)
        .stdout(predicate::str::contains("invalid-local-gmt"))
        .stdout(predicate::str::contains("default-credential"))
        .stdout(predicate::str::contains(
            "imported 152 phones, 0 aliases, 1 server",
        ))
        .stdout(predicate::str::contains("Checked 2 files (153 records)"));
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("servers.toml (0 phones, 0 aliases, 1 server)"),
        "{stdout}"
    );

    // The dump is VICIdial's three sample files loaded into a database.
    let expected = [
        "single_channelbank_phones.sql",
        "sip-iax_phones.sql",
        "first_server_install.sql",
    ]
    .map(sample_phone_inserts)
    .iter()
    .sum::<usize>();
    let records = records_under(&out);
    let phones: Vec<_> = records
        .iter()
        .filter(|(k, _)| k == "phones")
        .map(|(_, f)| f)
        .collect();
    assert_eq!(phones.len(), expected);
    assert_eq!(records.iter().filter(|(k, _)| k == "servers").count(), 1);
    assert_eq!(records.iter().filter(|(k, _)| k == "aliases").count(), 0);

    // What the data really holds: `-5`, not VICIdial's `-5.00`, and `test` passwords.
    let cc100 = phones
        .iter()
        .find(|p| field(p, "extension") == Some(&string("cc100")))
        .unwrap();
    assert_eq!(field(cc100, "local_gmt"), Some(&string("-5")));
    assert_eq!(field(cc100, "pass"), Some(&string("test")));
    // Schema defaults, NULLs and runtime columns are left out.
    assert_eq!(field(cc100, "ASTmgrSECRET"), None);
    assert_eq!(field(cc100, "phone_ip"), None);
    assert_eq!(field(cc100, "login_user"), None);
    let gs102 = phones
        .iter()
        .find(|p| field(p, "extension") == Some(&string("gs102")))
        .unwrap();
    assert_eq!(field(gs102, "status"), Some(&string("ADMIN")));
    // Key fields come first.
    let keys: Vec<&str> = gs102.iter().take(4).map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["extension", "server_ip", "login", "pass"]);
}

#[test]
fn each_sample_file_imports_its_row_count() {
    for name in [
        "single_channelbank_phones.sql",
        "sip-iax_phones.sql",
        "first_server_install.sql",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        import(shared(name), tmp.path())
            .arg("--layout")
            .arg("one-file")
            .assert()
            .code(0);
        let records = records_under(tmp.path());
        let phones = records.iter().filter(|(k, _)| k == "phones").count();
        assert_eq!(phones, sample_phone_inserts(name), "{name}");
        assert_eq!(files_under(tmp.path()), ["vicidial.toml"]);
    }
}

#[test]
fn runtime_and_default_columns_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    phonelint()
        .arg("import")
        .arg(shared("first_server_install.sql"))
        .args(["--out"])
        .arg(tmp.path())
        .args(["--runtime-columns", "--all-columns", "--syntax", "json"])
        .assert()
        .code(0);
    let records = records_under(tmp.path());
    let gs102 = &records
        .iter()
        .find(|(_, f)| field(f, "extension") == Some(&string("gs102")))
        .unwrap()
        .1;
    assert_eq!(field(gs102, "phone_ip"), Some(&string("10.10.10.16")));
    assert_eq!(field(gs102, "messages"), Some(&Value::Integer(0)));
    assert_eq!(
        field(gs102, "ASTmgrSECRET"),
        None,
        "not in the INSERT: no value to write"
    );
    assert_eq!(field(gs102, "protocol"), Some(&string("SIP")));
}

fn assert_round_trip(export: &str, format: &str) {
    let tmp = tempfile::tempdir().unwrap();
    import(format!("fixtures/import/{export}"), tmp.path())
        .args(["--syntax", format])
        .assert()
        // The check runs and rightly reports the fields this phone lacks.
        .code(0)
        .stdout(predicate::str::contains("missing-field"));
    let records = records_under(tmp.path());
    assert_eq!(records.len(), 1, "{export} {format}");
    let phone = &records[0].1;
    let expect = |name: &str, value: &str| {
        assert_eq!(
            field(phone, name),
            Some(&string(value)),
            "{export} {format} {name}"
        );
    };
    expect("fullname", "O'Brien \"the\" \\ back");
    expect("company", "");
    assert_eq!(
        field(phone, "picture"),
        None,
        "NULL is left out, empty is kept"
    );
    expect("conf_override", "line1\nline2\ttab ünï 😀 \u{202E}rtl");
    expect("email", "it's");
    // SQL `\\` and `\%` (MySQL keeps the backslash of \%), TSV `\\` twice.
    expect("phone_type", "C:\\path\\%");
}

#[test]
fn values_round_trip_exactly() {
    for export in ["roundtrip.sql", "roundtrip.tsv"] {
        for format in ["toml", "json"] {
            assert_round_trip(export, format);
        }
    }
}

#[test]
fn hostile_names_stay_inside_the_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("deep").join("out");
    import("fixtures/import/hostile-names.sql", &out)
        .args(["--layout", "per-phone"])
        .assert()
        .code(0);
    // Nothing was written beside the output directory.
    assert_eq!(files_under(tmp.path()).len(), files_under(&out).len());
    let files = files_under(&out);
    assert_eq!(files.len(), 13, "{files:#?}");
    for expected in [
        "phones/10.0.0.1/%2E.%2F..%2Fx.toml",
        "phones/10.0.0.1/SIP%2F100.toml",
        "phones/10.0.0.1/a%3Ab.toml",
        "phones/10.0.0.1/_empty.toml",
        "phones/10.0.0.1/%2E.toml",
        "phones/10.0.0.1/%2E%2E.toml",
        "phones/10.0.0.1/_CON.toml",
        "phones/10.0.0.1/%2Fetc%2Fpasswd.toml",
        "phones/10.0.0.1/a%5Cb.toml",
        // Byte order sorts CC100 first; names differing only in case would
        // collide on macOS and Windows, so the second one gets a suffix.
        "phones/10.0.0.1/CC100.toml",
        "phones/10.0.0.1/cc100~2.toml",
        "phones/%2E.%2F..%2F..%2Ftmp/ok.toml",
    ] {
        assert!(
            files.contains(&expected.to_owned()),
            "{expected} not in {files:#?}"
        );
    }
    for name in &files {
        assert!(name.rsplit('/').next().unwrap().len() < 200, "{name}");
    }
    // The data itself is kept as it was.
    let records = records_under(&out);
    assert!(
        records
            .iter()
            .any(|(_, f)| field(f, "extension") == Some(&string("../../x")))
    );
}

#[test]
fn never_overwrites_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let again = || import("fixtures/import/old-schema.sql", tmp.path());
    again().assert().code(0);
    let target = tmp.path().join("phones").join("10.0.0.2.toml");
    std::fs::write(&target, "# edited by hand\n").unwrap();
    again()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exist"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "# edited by hand\n"
    );
    again().arg("--force").assert().code(0);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("[[phones]]")
    );
    // Files get the usual permissions (0666 less the umask), not a temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let plain = tmp.path().join("plain");
        std::fs::write(&plain, "").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
        assert_eq!(mode(&target), mode(&plain));
        std::fs::remove_file(plain).unwrap();
    }
    // No temporary files are left behind.
    assert_eq!(
        files_under(tmp.path()),
        ["aliases.toml", "phones/10.0.0.2.toml"]
    );
}

#[test]
fn older_schemas_import() {
    let tmp = tempfile::tempdir().unwrap();
    import("fixtures/import/old-schema.sql", tmp.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "imported 2 phones, 1 alias, 0 servers",
        ));
    let records = records_under(tmp.path());
    let alias = &records.iter().find(|(k, _)| k == "aliases").unwrap().1;
    assert_eq!(field(alias, "logins_list"), Some(&string("cc200,cc201")));
    let cc201 = &records
        .iter()
        .find(|(_, f)| field(f, "extension") == Some(&string("cc201")))
        .unwrap()
        .1;
    assert_eq!(field(cc201, "local_gmt"), Some(&string("-6.00")));
    assert_eq!(field(cc201, "protocol"), None, "SIP is the default");
}

#[test]
fn a_malformed_dump_is_a_clear_error_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    import("fixtures/import/malformed.sql", tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "fixtures/import/malformed.sql: line 4, column 12: unterminated string",
        ))
        .stderr(predicate::str::contains("internal error").not());
    assert!(!tmp.path().join("out").exists(), "nothing written");
}

#[test]
fn bytes_that_are_not_utf8_fail_only_inside_imported_values() {
    let tmp = tempfile::tempdir().unwrap();
    let dump = tmp.path().join("dump.sql");
    let mut bytes = b"INSERT INTO recordings VALUES ('\xff\xfe');\n".to_vec();
    bytes.extend_from_slice(
        b"INSERT INTO phones (extension, server_ip) VALUES ('cc100','10.0.0.1');\n",
    );
    std::fs::write(&dump, &bytes).unwrap();
    let out = tmp.path().join("out");
    import(&dump, &out)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("imported 1 phone"));
    bytes.extend_from_slice(b"INSERT INTO phones (extension) VALUES ('caf\xe9');\n");
    std::fs::write(&dump, &bytes).unwrap();
    import(&dump, tmp.path().join("out2"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 3, column 40: text that is not UTF-8",
        ));
}

#[test]
fn a_missing_dump_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    import(tmp.path().join("nope.sql"), tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot import"))
        .stderr(predicate::str::contains("nope.sql: No such file"));
}

#[test]
fn an_export_without_wanted_rows_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dump = tmp.path().join("dump.sql");
    std::fs::write(
        &dump,
        "INSERT INTO conferences VALUES ('8600001','10.10.10.15','');\n",
    )
    .unwrap();
    import(&dump, tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "found no rows of the tables phones, phones_alias or servers",
        ));
}

#[test]
fn batch_output_imports_like_the_dump() {
    // phones.tsv and servers.tsv hold the dump's rows as `mysql --batch` prints
    // them, made by fixtures/import/make-tsv.py without phonelint's SQL reader.
    let tmp = tempfile::tempdir().unwrap();
    let (sql, tsv) = (tmp.path().join("sql"), tmp.path().join("tsv"));
    import(shared("mysqldump-phones.sql"), &sql)
        .assert()
        .code(0);
    import("fixtures/import/phones.tsv", &tsv)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "imported 152 phones, 0 aliases, 0 servers",
        ));
    import("fixtures/import/servers.tsv", &tsv)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "imported 0 phones, 0 aliases, 1 server",
        ));
    assert_eq!(files_under(&sql), files_under(&tsv));
    for name in files_under(&sql) {
        let read = |dir: &Path| std::fs::read_to_string(dir.join(&name)).unwrap();
        assert_eq!(read(&sql), read(&tsv), "{name}");
    }
}

#[test]
fn per_phone_layout_writes_one_file_per_phone() {
    let tmp = tempfile::tempdir().unwrap();
    import(shared("mysqldump-phones.sql"), tmp.path())
        .args(["--layout", "per-phone", "--syntax", "json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Checked 153 files (153 records)"));
    let files = files_under(tmp.path());
    assert_eq!(files.len(), 153);
    assert!(files.contains(&"servers.json".to_owned()));
    assert!(files.contains(&"phones/10.10.10.15/gs102.json".to_owned()));
    assert!(
        files
            .iter()
            .all(|f| f == "servers.json" || f.starts_with("phones/10.10.10.15/"))
    );
}

#[cfg(unix)]
#[test]
fn a_failing_write_is_reported_and_leaves_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("imported");
    let dump = shared("mysqldump-phones.sql");
    let output = common::phonelint_on_a_full_disk(
        &root(),
        &[
            "import",
            dump.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("phonelint: cannot import"), "{stderr}");
    // Neither a partial definition file nor a temporary file is left behind.
    let left: Vec<_> = walk(&out);
    assert!(left.is_empty(), "{left:?}");
}

/// Every file under `dir` (none if it does not exist).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|entry| entry.unwrap().path())
        .flat_map(|path| {
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

/// Records as `records_under` reads them: (kind, field -> value).
type Records = Vec<(String, Vec<(String, Value)>)>;

/// Imports the SQL `dump` (written to a file) into a fresh directory:
/// (exit code, stderr, records written).
fn import_sql(dump: &str) -> (Option<i32>, String, Records) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("dump.sql");
    std::fs::write(&path, dump).unwrap();
    let out = tmp.path().join("out");
    let output = import(&path, &out).output().unwrap();
    let records = if out.is_dir() {
        records_under(&out)
    } else {
        Vec::new()
    };
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        records,
    )
}

#[test]
fn hex_and_bit_literals_are_read_as_mysql_reads_them() {
    // As MariaDB stores them (checked against mariadb 10.11): a hex or bit
    // literal is a string of its bytes in a text column and a number in an
    // integer column; X'..' is always a string; an unquoted number is stored
    // in a text column as its canonical digits.
    let (code, stderr, records) = import_sql(
        "INSERT INTO phones (extension, server_ip, fullname, company, dialplan_number, voicemail_id, phone_ring_timeout, login, email) VALUES \
         ('cc100', '10.0.0.1', 0x41424344, 0b1000001, 0x38333030, 007, 0x2D, X'6363313030', b'1000010');",
    );
    assert_ne!(code, Some(2), "{stderr}");
    let phone = &records[0].1;
    assert_eq!(field(phone, "fullname"), Some(&string("ABCD")));
    assert_eq!(field(phone, "company"), Some(&string("A")));
    assert_eq!(field(phone, "dialplan_number"), Some(&string("8300")));
    assert_eq!(field(phone, "voicemail_id"), Some(&string("7")));
    assert_eq!(
        field(phone, "phone_ring_timeout"),
        Some(&Value::Integer(45))
    );
    assert_eq!(field(phone, "login"), Some(&string("cc100")));
    assert_eq!(field(phone, "email"), Some(&string("B")));
}

#[test]
fn what_mysql_would_not_read_as_a_value_is_refused_with_its_position() {
    for (value, column) in [
        ("12abc", 59),
        ("0x", 59),
        ("0xZZ", 59),
        ("0X41", 59),
        ("0b102", 59),
        ("1.2.3", 59),
        ("x'414'", 59),
    ] {
        let (code, stderr, _) = import_sql(&format!(
            "INSERT INTO phones (extension, fullname) VALUES ('cc100', {value});"
        ));
        assert_eq!(code, Some(2), "{value}: {stderr}");
        assert!(
            stderr.contains(&format!("line 1, column {column}:")),
            "{value}: {stderr}"
        );
    }
}

#[test]
fn an_import_error_never_quotes_a_credential() {
    for (row, secret) in [
        ("'cc100', ImpSecret3", "ImpSecret3"),
        ("'cc100', 9ImpSecret", "9ImpSecret"),
        ("'cc100', 'x' ImpSecret4", "ImpSecret4"),
        ("'cc100', - ImpSecret5", "ImpSecret5"),
        ("'cc100', _utf8mb4 ImpSecret6", "ImpSecret6"),
    ] {
        let (code, stderr, _) = import_sql(&format!(
            "INSERT INTO phones (extension, pass) VALUES ({row});"
        ));
        assert_eq!(code, Some(2), "{row}: {stderr}");
        assert!(stderr.contains("line 1, column"), "{row}: {stderr}");
        assert!(!stderr.contains(secret), "{row}: {stderr}");
    }
    // Outside a credential column the word is named, which helps.
    let (_, stderr, _) =
        import_sql("INSERT INTO phones (extension, fullname) VALUES ('cc100', now());");
    assert!(stderr.contains("`now`"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn import_creates_nothing_before_refusing_a_link_in_the_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("phones")).unwrap();
    let dump = tmp.path().join("dump.sql");
    std::fs::write(
        &dump,
        "INSERT INTO phones (extension, server_ip) VALUES ('cc100', '10.0.0.1');",
    )
    .unwrap();
    let output = import(&dump, &out)
        .args(["--layout", "per-phone"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "a directory was created through the link"
    );
}

#[test]
fn the_check_exit_code_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    // The shared dump has errors (the samples' `test` passwords): 1.
    import(shared("mysqldump-phones.sql"), tmp.path().join("a"))
        .arg("--check-exit-code")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("257 errors"));
    // fail-on decides, as in a check: a repository that fails on nothing
    // but errors, its errors turned off, passes.
    let repo = tmp.path().join("b");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(
        repo.join("phonelint.toml"),
        "[rules]\ndefault-credential = \"off\"\nserver-default-secret = \"off\"\n",
    )
    .unwrap();
    import(shared("mysqldump-phones.sql"), repo.join("phones"))
        .arg("--check-exit-code")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 154 warnings"));
    // A check that cannot run: 2 with the flag, 0 without (the files are
    // written; the error is said).
    std::fs::write(repo.join("phonelint.toml"), "fail-on = \"never\"\n").unwrap();
    for (flag, code) in [(true, 2), (false, 0)] {
        let out = repo.join(format!("c{flag}"));
        let mut cmd = import(shared("mysqldump-phones.sql"), &out);
        if flag {
            cmd.arg("--check-exit-code");
        }
        cmd.assert()
            .code(code)
            .stdout(predicate::str::contains("imported 152 phones"))
            .stderr(predicate::str::contains("nothing was checked"));
        assert_eq!(files_under(&out).len(), 2);
    }
}

#[test]
fn a_dash_reads_the_dump_from_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let (from_file, from_stdin) = (tmp.path().join("file"), tmp.path().join("stdin"));
    import(shared("mysqldump-phones.sql"), &from_file)
        .assert()
        .code(0);
    phonelint()
        .args(["import", "-", "--out"])
        .arg(&from_stdin)
        .pipe_stdin(shared("mysqldump-phones.sql"))
        .unwrap()
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "imported 152 phones, 0 aliases, 1 server from standard input",
        ));
    assert_eq!(files_under(&from_file), files_under(&from_stdin));
    for name in files_under(&from_file) {
        let read = |dir: &Path| std::fs::read_to_string(dir.join(&name)).unwrap();
        assert_eq!(read(&from_file), read(&from_stdin), "{name}");
    }
    // The batch format too, and a malformed dump names its line.
    phonelint()
        .args(["import", "-", "--out"])
        .arg(tmp.path().join("tsv"))
        .pipe_stdin(root().join("fixtures/import/phones.tsv"))
        .unwrap()
        .assert()
        .code(0)
        .stdout(predicate::str::contains("imported 152 phones"));
    phonelint()
        .args(["import", "-", "--out"])
        .arg(tmp.path().join("bad"))
        .write_stdin("INSERT INTO phones VALUES ('cc100',\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "phonelint: cannot import standard input: line ",
        ));
    assert!(!tmp.path().join("bad").exists());
    // Nothing on standard input: said, exit 2.
    phonelint()
        .args(["import", "-", "--out"])
        .arg(tmp.path().join("empty"))
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("found no rows"));
}

#[test]
fn syntax_names_the_files_syntax_and_the_old_format_still_works_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let (syntax, format) = (tmp.path().join("syntax"), tmp.path().join("format"));
    import(shared("mysqldump-phones.sql"), &syntax)
        .args(["--syntax", "json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("deprecated").not());
    import(shared("mysqldump-phones.sql"), &format)
        .args(["--format", "json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "phonelint: warning: `import --format` is deprecated: use `--syntax`",
        ));
    assert_eq!(
        files_under(&syntax),
        ["phones/10.10.10.15.json", "servers.json"]
    );
    assert_eq!(files_under(&syntax), files_under(&format));
    // Both at once is a usage error; the old name is not in the help.
    import(shared("mysqldump-phones.sql"), tmp.path().join("both"))
        .args(["--format", "json", "--syntax", "toml"])
        .assert()
        .code(2);
    phonelint()
        .args(["import", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--syntax <SYNTAX>"))
        .stdout(predicate::str::contains("--check-exit-code"))
        .stdout(predicate::str::contains("--format").not());
}
