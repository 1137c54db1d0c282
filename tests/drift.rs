//! `phonelint drift` and `phonelint import --db` as a user runs them (the
//! binary, its exit codes, its outputs): against VICIdial's real dump, and
//! (module `live`, with the `db` feature) against a real MariaDB (Debian's
//! mariadb-server, started by the test on a socket in a temporary
//! directory) loaded with VICIdial's own CREATE TABLE and sample data.
//!
//! The database is imported to a repository, then changed behind the
//! repository's back as VICIdial and its users change it; drift must report
//! exactly those changes, with their spans, without a credential; the SQL
//! plan it prints must restore the repository's state.

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// The PIN keepalive writes back: it must never be printed.
const NEW_PIN: &str = "731904";

/// Runs phonelint in `cwd` with no password in its environment but `env`.
fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = common::phonelint();
    command
        .current_dir(cwd)
        .env_remove("PHONELINT_DB_PASSWORD")
        .env_remove("MYSQL_PWD")
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("phonelint runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `phonelint drift --format json` in `repo`: exit code, diagnostics, stderr.
fn drift_json(repo: &Path, source: &[&str], env: &[(&str, &str)]) -> (i32, Vec<Value>, String) {
    let mut args = vec!["drift", "--format", "json"];
    args.extend(source);
    let out = run(repo, &args, env);
    let stderr = text(&out.stderr);
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}{stderr}", text(&out.stdout)));
    let diagnostics = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap_or(-1), diagnostics, stderr)
}

/// `rule path line:column message` of each diagnostic, and the text its
/// span covers in the file.
fn described(repo: &Path, diagnostics: &[Value]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            let summary = format!(
                "{} {} {}:{} {}",
                d["rule"].as_str().unwrap(),
                path,
                d["span"]["start"]["line"],
                d["span"]["start"]["column"],
                d["message"].as_str().unwrap()
            );
            let covered = std::fs::read_to_string(repo.join(path))
                .map(|file| {
                    let offset = d["span"]["offset"].as_u64().unwrap() as usize;
                    let length = d["span"]["length"].as_u64().unwrap() as usize;
                    file[offset..offset + length].to_owned()
                })
                .unwrap_or_default();
            (summary, covered)
        })
        .collect()
}

/// The line of `path` in `repo` where `needle` first appears after the
/// line holding `after`, 1-based.
fn line_of(repo: &Path, path: &str, after: &str, needle: &str) -> usize {
    let file = std::fs::read_to_string(repo.join(path)).unwrap();
    let start = file
        .find(after)
        .unwrap_or_else(|| panic!("{after} in {path}"));
    let at = start + file[start..].find(needle).unwrap();
    file[..at].matches('\n').count() + 1
}

/// Drift's database tests need the `db` feature (CI enables it): without
/// it they are skipped loudly, or fail where MariaDB is required.
#[cfg(not(feature = "db"))]
#[test]
fn database_tests_need_the_db_feature() {
    let message = "phonelint was built without the db feature: drift's tests against a real \
                   database did NOT run (cargo test --all-features)";
    if std::env::var(common::mariadb::REQUIRED_ENV).as_deref() == Ok("required") {
        panic!("{message}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {message}\n");
    let out = run(
        &common::root(),
        &["drift", "--db", "mysql://u:secret-pw@localhost/asterisk"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("built without database support"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret-pw"), "{stderr}");
}

const DUMP: &str = include_str!("../fixtures/vicidial-data/mysqldump-phones.sql");

/// VICIdial's dump imported into `dir/repo`, a repository of its own.
fn imported_dump(dir: &Path) -> std::path::PathBuf {
    let dump = common::root().join("fixtures/vicidial-data/mysqldump-phones.sql");
    let out = run(
        dir,
        &["import", dump.to_str().unwrap(), "--out", "repo"],
        &[],
    );
    assert!(
        text(&out.stdout).contains("imported 152 phones, 0 aliases, 1 server"),
        "{}",
        text(&out.stderr)
    );
    let repo = dir.join("repo");
    std::fs::write(repo.join("phonelint.toml"), "").unwrap();
    repo
}

#[test]
fn drift_against_a_dump_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let repo = imported_dump(dir.path());
    std::fs::write(dir.path().join("same.sql"), DUMP).unwrap();
    let out = run(&repo, &["drift", "--dump", "../same.sql"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Checked 2 files (153 records): no problems found.\n"
    );

    // The dump of a database changed since: a dialplan number, a PIN, a
    // phone renamed (one only in the database, one only in the repository).
    let changed = DUMP
        .replacen("('cc100','100'", "('cc100','199'", 1)
        .replacen("('cc101','101'", "('cc1O1','101'", 1)
        .replacen(
            "'10.10.10.15','102','test'",
            &format!("'10.10.10.15','102','{NEW_PIN}'"),
            1,
        );
    assert_ne!(changed, DUMP);
    std::fs::write(dir.path().join("nightly.sql"), &changed).unwrap();
    let dump = ["--dump", "../nightly.sql"];
    let human = run(&repo, &["drift", "--color", "never", dump[0], dump[1]], &[]);
    assert_eq!(human.status.code(), Some(1));
    insta::assert_snapshot!("drift_human", text(&human.stdout));
    let plan = run(&repo, &["drift", "--format", "sql", dump[0], dump[1]], &[]);
    assert_eq!(plan.status.code(), Some(1));
    insta::assert_snapshot!("drift_sql", text(&plan.stdout));
    for format in ["short", "json", "github", "sarif"] {
        let out = run(&repo, &["drift", "--format", format, dump[0], dump[1]], &[]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = text(&out.stdout);
        assert!(!stdout.contains(NEW_PIN), "{format}: {stdout}");
        for rule in phonelint::drift::RULES {
            assert!(stdout.contains(rule.name), "{format}: {stdout}");
        }
    }
    let (code, diagnostics, _) = drift_json(&repo, &dump, &[]);
    assert_eq!(code, 1);
    let found = described(&repo, &diagnostics);
    let phones = "phones/10.10.10.15.toml";
    assert_eq!(
        found,
        [
            (
                "drift-only-in-database ../nightly.sql#phones 1:1 phone `cc1O1@10.10.10.15` is in the database but not in the repository".to_owned(),
                String::new()
            ),
            (
                format!(
                    "drift-column-differs {phones} {}:19 `dialplan_number` of phone `cc100@10.10.10.15` differs: the database has \"199\", the repository \"100\"",
                    line_of(&repo, phones, "extension = \"cc100\"", "dialplan_number")
                ),
                "\"100\"".to_owned()
            ),
            (
                format!(
                    "drift-only-in-repository {phones} {}:13 phone `cc101@10.10.10.15` is not in the database",
                    line_of(&repo, phones, "extension = \"cc101\"", "extension")
                ),
                "\"cc101\"".to_owned()
            ),
            (
                format!(
                    "drift-column-differs {phones} {}:8 `pass` of phone `cc102@10.10.10.15` differs from the database",
                    line_of(&repo, phones, "extension = \"cc102\"", "pass")
                ),
                "\"test\"".to_owned()
            ),
        ]
    );
    // SARIF describes the drift rules its results name.
    let sarif: Value = serde_json::from_slice(
        &run(
            &repo,
            &["drift", "--format", "sarif", dump[0], dump[1]],
            &[],
        )
        .stdout,
    )
    .unwrap();
    let run0 = &sarif["runs"][0];
    for result in run0["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            run0["tool"]["driver"]["rules"][index]["id"],
            result["ruleId"]
        );
    }
}

#[test]
fn the_drift_rules_are_listed_and_explained() {
    let root = common::root();
    let rules = text(&run(&root, &["rules"], &[]).stdout);
    let explain = |name: &str| text(&run(&root, &["explain", name], &[]).stdout);
    for meta in phonelint::drift::RULES {
        let line = rules
            .lines()
            .find(|line| line.split_whitespace().next() == Some(meta.name))
            .unwrap_or_else(|| panic!("{} not listed:\n{rules}", meta.name));
        assert!(line.contains("error"), "{line}");
        let docs = explain(meta.name);
        assert!(
            docs.starts_with(&format!("# {} (error)", meta.name)),
            "{docs}"
        );
        assert!(docs.contains("## How to fix"), "{docs}");
    }
    let out = run(&root, &["explain", "drift-column-differ"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `drift-column-differs`?"));
}

#[test]
fn a_dump_that_cannot_be_read_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let repo = imported_dump(dir.path());
    std::fs::write(
        dir.path().join("broken.sql"),
        "INSERT INTO phones VALUES ('a",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("other.sql"),
        "INSERT INTO vicidial_users VALUES ('a');",
    )
    .unwrap();
    let cases = [
        (
            "../missing.sql",
            "phonelint: cannot read ../missing.sql: No such file or directory (os error 2)\n",
        ),
        (
            "../broken.sql",
            "phonelint: cannot read ../broken.sql: line 1, column 28: unterminated string\n",
        ),
        (
            "../other.sql",
            "phonelint: ../other.sql holds none of the tables phones, phones_alias and servers\n",
        ),
    ];
    for (dump, expected) in cases {
        let out = run(&repo, &["drift", "--dump", dump], &[]);
        assert_eq!(out.status.code(), Some(2), "{dump}");
        assert_eq!(text(&out.stderr), expected);
        assert!(out.stdout.is_empty());
    }
    // And the command line says what it needs.
    let out = run(&repo, &["drift"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--db <URL>|--dump <FILE>"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(feature = "db")]
mod live {
    use super::*;
    use common::mariadb::MariaDb;
    use std::path::PathBuf;

    const CREATE_TABLES: &str =
        include_str!("../fixtures/vicidial-data/vicidial-create-tables.sql");
    const SAMPLES: [&str; 3] = [
        include_str!("../fixtures/vicidial-data/first_server_install.sql"),
        include_str!("../fixtures/vicidial-data/sip-iax_phones.sql"),
        include_str!("../fixtures/vicidial-data/single_channelbank_phones.sql"),
    ];

    /// The new phone's password and the drift user's password: never printed.
    const NEW_PHONE_PASS: &str = "Zq8pLm3xRw";
    const DRIFT_USER_PASS: &str = "Kx7-drift-pw";

    /// VICIdial's database as its install creates it (utf8_unicode_ci,
    /// docs/BASE_INSTALL.txt 251) with the phones and servers of VICIdial's
    /// sample SQL (inserted without a strict sql_mode, as their INSERTs leave
    /// out `template_id`), an alias, and a user that may only read.
    fn load_vicidial(db: &MariaDb) {
        let inserts: Vec<&str> = SAMPLES
            .iter()
            .flat_map(|sql| sql.lines())
            .filter(|line| {
                line.starts_with("INSERT INTO phones") || line.starts_with("INSERT INTO servers")
            })
            .collect();
        let script = format!(
            "CREATE DATABASE asterisk DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci;\n\
             USE asterisk;\n{CREATE_TABLES}\n\
             SET SESSION sql_mode = '';\n{}\n\
             INSERT INTO phones_alias (alias_id, alias_name, logins_list) VALUES ('front', 'Front desk', '100,101');\n\
             CREATE USER 'drift'@'localhost' IDENTIFIED BY '{DRIFT_USER_PASS}';\n\
             GRANT SELECT ON asterisk.* TO 'drift'@'localhost';\n\
             CREATE DATABASE empty;\n\
             GRANT SELECT ON empty.* TO 'drift'@'localhost';\n",
            inserts.join("\n")
        );
        db.run(None, &script)
            .unwrap_or_else(|error| panic!("loading VICIdial's SQL failed: {error}"));
    }

    fn url(db: &MariaDb, user: &str, database: &str) -> String {
        format!(
            "mysql://{user}@localhost/{database}?socket={}",
            db.socket().display()
        )
    }

    /// A repository imported from the database (`phonelint import --db`).
    fn import(db: &MariaDb, dir: &Path) -> PathBuf {
        let repo = dir.join("repo");
        let out = run(
            dir,
            &[
                "import",
                "--db",
                &url(db, "root", "asterisk"),
                "--out",
                "repo",
            ],
            &[],
        );
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(
                "imported 152 phones, 1 alias, 1 server from mysql://root@localhost/asterisk?socket="
            ),
            "{stdout}{}",
            text(&out.stderr)
        );
        // The check that follows the import finds the samples' `test`
        // passwords; the files are written, so the import exits 0.
        assert!(stdout.contains("default-credential"), "{stdout}");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        std::fs::write(repo.join("phonelint.toml"), "").unwrap();
        repo
    }

    #[test]
    fn drift_reports_what_changed_behind_the_repositorys_back_and_the_plan_restores_it() {
        let Some(db) = MariaDb::start() else { return };
        load_vicidial(&db);
        let dir = tempfile::tempdir().unwrap();
        let repo = import(&db, dir.path());
        let url = url(&db, "root", "asterisk");
        let source = ["--db", url.as_str()];

        let (code, diagnostics, stderr) = drift_json(&repo, &source, &[]);
        assert_eq!((code, diagnostics.len()), (0, 0), "{diagnostics:?}{stderr}");

        db.run(
            Some("asterisk"),
            &format!(
                // keepalive copies a PIN changed on a handset into the first
                // active phone of the box (ADMIN_keepalive_ALL.pl 2752): cc102,
                // before the install's gs102, which shares box 102.
                "UPDATE phones SET pass='{NEW_PIN}',email='',delete_vm_after_email='N',voicemail_timezone='eastern',voicemail_options='' where voicemail_id='102' and active='Y' order by extension limit 1;\n\
                 UPDATE servers SET rebuild_conf_files='Y' where server_ip='10.10.10.15';\n\
                 -- An edit in the admin UI, which does not re-check login uniqueness.\n\
                 UPDATE phones SET login='101' WHERE extension='cc103' AND server_ip='10.10.10.15';\n\
                 DELETE FROM phones WHERE extension='cc104' AND server_ip='10.10.10.15';\n\
                 INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login, pass, status, active, protocol, fullname, template_id) \
                   VALUES ('cc200', '200', '200', '10.10.10.15', '200', '{NEW_PHONE_PASS}', 'ACTIVE', 'Y', 'SIP', 'new desk', '');\n\
                 -- What VICIdial writes at run time is not drift.\n\
                 UPDATE phones SET phone_ip='10.10.10.99', computer_ip='10.10.10.98', peer_status='REGISTERED', ping_time=12, messages=3, old_messages=1 WHERE extension='cc105';\n\
                 UPDATE servers SET sysload=250, channels_total=12, cpu_idle_percent=80, system_uptime='up 3 days', rebuild_conf_files='N', sounds_update='Y';\n"
            ),
        )
        .unwrap();

        let (code, diagnostics, stderr) = drift_json(&repo, &source, &[]);
        assert_eq!(code, 1, "{stderr}");
        let phones = "phones/10.10.10.15.toml";
        let found = described(&repo, &diagnostics);
        let database = format!("{url}#phones");
        let expected = vec![
            (
                format!(
                    "drift-only-in-database {database} 1:1 phone `cc200@10.10.10.15` is in the database but not in the repository"
                ),
                String::new(),
            ),
            (
                format!(
                    "drift-column-differs {phones} {}:8 `pass` of phone `cc102@10.10.10.15` differs from the database",
                    line_of(&repo, phones, "extension = \"cc102\"", "pass = ")
                ),
                "\"test\"".to_owned(),
            ),
            (
                format!(
                    "drift-column-differs {phones} {}:9 `login` of phone `cc103@10.10.10.15` differs: the database has \"101\", the repository \"103\"; in the database, phone `cc101@10.10.10.15` has the same login",
                    line_of(&repo, phones, "extension = \"cc103\"", "login = ")
                ),
                "\"103\"".to_owned(),
            ),
            (
                format!(
                    "drift-only-in-repository {phones} {}:13 phone `cc104@10.10.10.15` is not in the database",
                    line_of(&repo, phones, "extension = \"cc104\"", "extension = ")
                ),
                "\"cc104\"".to_owned(),
            ),
        ];
        assert_eq!(found, expected, "{stderr}");
        // The login taken from another phone points at that phone.
        let related = &diagnostics[2]["related"][0];
        assert_eq!(related["path"], phones);
        assert_eq!(
            related["message"],
            "phone `cc101@10.10.10.15` has this login in the repository"
        );

        // No output format shows a credential: not the new PIN, not the new
        // phone's password, not the repository's.
        for format in ["human", "short", "json", "github", "sarif", "sql"] {
            let out = run(&repo, &["drift", "--format", format, "--db", &url], &[]);
            assert_eq!(out.status.code(), Some(1), "{format}");
            let all = text(&out.stdout) + &text(&out.stderr);
            for secret in [NEW_PIN, NEW_PHONE_PASS, "repository \"test\"", "'test'"] {
                assert!(!all.contains(secret), "{format} shows {secret}:\n{all}");
            }
        }
        // Unless asked to, in human output.
        let out = run(
            &repo,
            &["drift", "--show-secrets", "--color", "never", "--db", &url],
            &[],
        );
        let human = text(&out.stdout);
        assert!(
            human.contains(&format!("`pass` of phone `cc102@10.10.10.15` differs: the database has \"{NEW_PIN}\", the repository \"test\"")),
            "{human}"
        );
        assert!(
            human.contains(&format!("pass = \"{NEW_PHONE_PASS}\"")),
            "{human}"
        );

        // The plan: without --show-secrets, what sets a credential is commented
        // out; with it, running the plan restores the repository's state.
        let masked = text(&run(&repo, &["drift", "--format", "sql", "--db", &url], &[]).stdout);
        assert!(
            masked.contains("-- 2 statement(s) set credentials"),
            "{masked}"
        );
        let plan = text(
            &run(
                &repo,
                &["drift", "--format", "sql", "--show-secrets", "--db", &url],
                &[],
            )
            .stdout,
        );
        assert!(plan.contains("DELETE FROM `phones` WHERE `extension` = 'cc200' AND `server_ip` = '10.10.10.15' LIMIT 1;"), "{plan}");
        assert!(
            plan.contains("UPDATE `phones` SET `login` = '103' WHERE `extension` = 'cc103'"),
            "{plan}"
        );
        db.run(Some("asterisk"), &plan)
            .unwrap_or_else(|error| panic!("the plan failed: {error}\n{plan}"));
        let (code, diagnostics, stderr) = drift_json(&repo, &source, &[]);
        assert_eq!((code, diagnostics.len()), (0, 0), "{diagnostics:?}{stderr}");
        let clean = text(&run(&repo, &["drift", "--format", "sql", "--db", &url], &[]).stdout);
        assert!(clean.contains("-- No drift: nothing to do."), "{clean}");
    }

    /// The statements one `phonelint drift` run sends, from the server's
    /// general log.
    fn statements_of_a_drift(db: &MariaDb, repo: &Path) -> Vec<String> {
        db.run(
            None,
            "SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log; SET GLOBAL general_log = 1;",
        )
        .unwrap();
        let out = run(repo, &["drift", "--db", &url(db, "root", "asterisk")], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        db.run(None, "SET GLOBAL general_log = 0;").unwrap();
        let log = db
            .run(
                None,
                "SELECT HEX(argument) FROM mysql.general_log WHERE command_type = 'Query' \
                 AND argument NOT LIKE 'SET GLOBAL%' ORDER BY event_time;",
            )
            .unwrap();
        log.lines().map(common::mariadb::unhex).collect()
    }

    #[test]
    fn drift_reads_in_one_read_only_session_and_never_writes() {
        let Some(db) = MariaDb::start() else { return };
        load_vicidial(&db);
        let dir = tempfile::tempdir().unwrap();
        let repo = import(&db, dir.path());
        let session = [
            // The client library's own question.
            "SELECT @@max_allowed_packet",
            "SET NAMES utf8mb4",
            "SET SESSION TRANSACTION READ ONLY",
            "SET SESSION lock_wait_timeout = 9",
            "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME IN ('phones', 'phones_alias', 'servers')",
        ];
        let selects = [
            "SELECT * FROM `phones`",
            "SELECT * FROM `phones_alias`",
            "SELECT * FROM `servers`",
        ];
        // VICIdial's tables are MyISAM, which no transaction isolates: a shared
        // lock on the three is the consistent view (as mysqldump takes it).
        let mut expected: Vec<&str> = session.to_vec();
        expected.push("LOCK TABLES `phones` READ, `phones_alias` READ, `servers` READ");
        expected.extend(selects);
        expected.push("UNLOCK TABLES");
        assert_eq!(statements_of_a_drift(&db, &repo), expected);
        // On InnoDB tables, a read-only transaction with a consistent snapshot.
        db.run(
            Some("asterisk"),
            "ALTER TABLE phones ENGINE=InnoDB; ALTER TABLE phones_alias ENGINE=InnoDB; \
             ALTER TABLE servers ENGINE=InnoDB;",
        )
        .unwrap();
        let mut expected: Vec<&str> = session.to_vec();
        expected.push("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        expected.extend(selects);
        expected.push("COMMIT");
        assert_eq!(statements_of_a_drift(&db, &repo), expected);
    }

    #[test]
    fn passwords_come_from_the_environment_or_an_option_file_and_are_never_shown() {
        let Some(db) = MariaDb::start() else { return };
        load_vicidial(&db);
        let dir = tempfile::tempdir().unwrap();
        let repo = import(&db, dir.path());
        let drift_user = url(&db, "drift", "asterisk");

        // A wrong password: one line, exit 2, the password nowhere.
        let out = run(
            &repo,
            &["drift", "--db", &drift_user],
            &[("PHONELINT_DB_PASSWORD", "wrong-pw-1234")],
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "phonelint: cannot connect to {drift_user}: Access denied for user 'drift'@'localhost' (using password: YES)\n"
            )
        );
        assert!(out.stdout.is_empty());

        // The right one, from each source. This user may not LOCK TABLES: the
        // tables are read one by one, and the user is told.
        let options = dir.path().join("drift.cnf");
        std::fs::write(
            &options,
            format!("[client]\nuser = drift\npassword = \"{DRIFT_USER_PASS}\"\n"),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&options, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let without_user = format!(
            "mysql://localhost/asterisk?socket={}",
            db.socket().display()
        );
        type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);
        let cases: [Case<'_>; 3] = [
            (
                vec!["--db", &drift_user],
                vec![("PHONELINT_DB_PASSWORD", DRIFT_USER_PASS)],
            ),
            (
                vec!["--db", &drift_user],
                vec![("MYSQL_PWD", DRIFT_USER_PASS)],
            ),
            (
                vec![
                    "--db",
                    &without_user,
                    "--defaults-file",
                    options.to_str().unwrap(),
                ],
                vec![("MYSQL_PWD", "not-this-one")],
            ),
        ];
        for (args, env) in cases {
            let mut all = vec!["drift"];
            all.extend(args);
            let out = run(&repo, &all, &env);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{all:?}: {stderr}");
            assert!(
                stderr.contains(
                    "this user may not LOCK TABLES: each table is read at its own moment"
                ),
                "{stderr}"
            );
            assert!(
                !stderr.contains(DRIFT_USER_PASS) && !text(&out.stdout).contains(DRIFT_USER_PASS)
            );
        }

        // A password in the URL works, with a warning, and is never echoed.
        let with_password = drift_user.replace("drift@", &format!("drift:{DRIFT_USER_PASS}@"));
        let out = run(&repo, &["drift", "--db", &with_password], &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(
            stderr.contains("warning: the URL holds a password"),
            "{stderr}"
        );
        assert!(!stderr.contains(DRIFT_USER_PASS) && !text(&out.stdout).contains(DRIFT_USER_PASS));
        let wrong = with_password.replace(DRIFT_USER_PASS, "wrong-pw-1234");
        let out = run(&repo, &["drift", "--db", &wrong], &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2));
        assert!(!stderr.contains("wrong-pw-1234"), "{stderr}");
        assert!(
            stderr.contains(&format!("cannot connect to {drift_user}:")),
            "{stderr}"
        );
    }

    #[test]
    fn a_server_that_accepts_and_stays_silent_is_given_up_after_the_timeout() {
        // Accepts connections (the kernel does, from the backlog) and never
        // sends MySQL's greeting.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("mysql://root@127.0.0.1:{port}/asterisk");
        // Killed after a minute, should the timeout not work.
        let out = common::phonelint()
            .current_dir(dir.path())
            .env_remove("PHONELINT_DB_PASSWORD")
            .env_remove("MYSQL_PWD")
            .args(["drift", "--db", &url, "--connect-timeout", "1"])
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            text(&out.stderr),
            format!("phonelint: cannot connect to {url}: no answer within 1 s\n")
        );
        drop(listener);
    }

    #[test]
    fn an_unreachable_server_and_a_database_without_phones_are_one_clear_error() {
        let Some(db) = MariaDb::start() else { return };
        load_vicidial(&db);
        let dir = tempfile::tempdir().unwrap();
        let repo = import(&db, dir.path());
        let missing_socket = dir.path().join("no-such.sock");
        // A TCP port nothing listens on: the listener is bound, then dropped.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cases = [
            (
                format!(
                    "mysql://root@localhost/asterisk?socket={}",
                    missing_socket.display()
                ),
                format!(
                    "phonelint: cannot connect to mysql://root@localhost/asterisk?socket={}: No such file or directory (os error 2)\n",
                    missing_socket.display()
                ),
            ),
            (
                format!("mysql://root@127.0.0.1:{port}/asterisk"),
                format!(
                    "phonelint: cannot connect to mysql://root@127.0.0.1:{port}/asterisk: Connection refused (os error 111)\n"
                ),
            ),
            (
                url(&db, "root", "empty"),
                format!(
                    "phonelint: {} has no table `phones` (is it VICIdial's database, and may this user read it?)\n",
                    url(&db, "root", "empty")
                ),
            ),
            (
                url(&db, "root", "nowhere"),
                format!(
                    "phonelint: cannot connect to {}: Unknown database 'nowhere'\n",
                    url(&db, "root", "nowhere")
                ),
            ),
        ];
        for (target, expected) in cases {
            for command in [
                vec!["drift", "--db", &target],
                vec!["import", "--db", &target, "--out", "x"],
            ] {
                let out = run(&repo, &command, &[]);
                assert_eq!(out.status.code(), Some(2), "{command:?}");
                assert_eq!(text(&out.stderr), expected, "{command:?}");
                assert!(out.stdout.is_empty(), "{command:?}");
            }
        }
        assert!(!repo.join("x").exists());
    }

    #[test]
    fn a_dump_of_an_older_schema_with_fewer_columns() {
        let Some(db) = MariaDb::start() else { return };
        load_vicidial(&db);
        let dir = tempfile::tempdir().unwrap();
        let repo = import(&db, dir.path());
        // An older VICIdial: phones without the columns of later schemas.
        db.run(
            Some("asterisk"),
            "ALTER TABLE phones DROP COLUMN webphone_settings, DROP COLUMN mohsuggest, DROP COLUMN conf_qualify, DROP COLUMN peer_status, DROP COLUMN ping_time;",
        )
        .unwrap();
        let dump = db
            .dump("asterisk", &["phones", "phones_alias", "servers"])
            .unwrap();
        std::fs::write(dir.path().join("nightly.sql"), &dump).unwrap();
        let nightly = dir.path().join("nightly.sql");
        let nightly = nightly.to_str().unwrap();
        let (code, diagnostics, stderr) = drift_json(&repo, &["--dump", nightly], &[]);
        assert_eq!((code, diagnostics.len()), (0, 0), "{diagnostics:?}{stderr}");

        // A value for a column that schema lacks is drift; its default is not.
        let phones = repo.join("phones/10.10.10.15.toml");
        let text_before = std::fs::read_to_string(&phones).unwrap();
        let edited = text_before.replacen(
            "extension = \"cc100\"\n",
            "extension = \"cc100\"\nmohsuggest = \"jazz\"\nconf_qualify = \"Y\"\n",
            1,
        );
        std::fs::write(&phones, edited).unwrap();
        let (code, diagnostics, _) = drift_json(&repo, &["--dump", nightly], &[]);
        assert_eq!(code, 1);
        let found = described(&repo, &diagnostics);
        assert_eq!(
            found,
            [(
                format!(
                    "drift-column-differs phones/10.10.10.15.toml {}:14 `mohsuggest` of phone `cc100@10.10.10.15` is \"jazz\" in the repository, but the database's `phones` table has no such column",
                    line_of(
                        &repo,
                        "phones/10.10.10.15.toml",
                        "extension = \"cc100\"",
                        "mohsuggest"
                    )
                ),
                "\"jazz\"".to_owned()
            )]
        );
        let plan = text(&run(&repo, &["drift", "--format", "sql", "--dump", nightly], &[]).stdout);
        assert!(
            plan.contains(
                "-- not in the database's `phones` table, left out: mohsuggest\n\
                 -- nothing to update: the database's table lacks these columns\n"
            ) && plan.contains("-- 0 UPDATE, 0 INSERT, 0 DELETE."),
            "{plan}"
        );

        // `mysql --batch` output holds one table: the others are not compared.
        let batch = db.batch("asterisk", "SELECT * FROM servers").unwrap();
        std::fs::write(dir.path().join("servers.tsv"), batch).unwrap();
        let tsv = dir.path().join("servers.tsv");
        let (code, diagnostics, stderr) =
            drift_json(&repo, &["--dump", tsv.to_str().unwrap()], &[]);
        assert_eq!((code, diagnostics.len()), (0, 0), "{diagnostics:?}{stderr}");
        assert!(
            stderr.contains("holds no `phones` table: the repository's phones are not compared"),
            "{stderr}"
        );
    }

    /// A port on 127.0.0.1 that nothing listens on now.
    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap()
    }

    #[test]
    fn tls_when_the_url_asks_for_it() {
        let tls = common::root().join("fixtures/tls");
        let port = free_port();
        let Some(db) = MariaDb::start_with(&[
            "--bind-address=127.0.0.1,127.0.0.2".to_owned(),
            format!("--port={port}"),
            format!("--ssl-ca={}", tls.join("ca.pem").display()),
            format!("--ssl-cert={}", tls.join("server.pem").display()),
            format!("--ssl-key={}", tls.join("server.key").display()),
        ]) else {
            return;
        };
        load_vicidial(&db);
        // This user may only connect over TLS: a connection that works is
        // encrypted.
        db.run(
            None,
            "CREATE USER 'tls'@'%' IDENTIFIED BY 'Tls-pw-5521' REQUIRE SSL;\n\
             GRANT SELECT ON asterisk.* TO 'tls'@'%';",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let repo = import(&db, dir.path());
        let env = [("PHONELINT_DB_PASSWORD", "Tls-pw-5521")];
        let ca = tls.join("ca.pem");
        let other = tls.join("other-ca.pem");
        let target = |host: &str, query: &str| format!("mysql://tls@{host}:{port}/asterisk{query}");
        // The certificate names 127.0.0.1, not 127.0.0.2.
        let works = [
            target(
                "127.0.0.1",
                &format!("?ssl-mode=VERIFY_IDENTITY&ssl-ca={}", ca.display()),
            ),
            target(
                "127.0.0.1",
                &format!("?ssl-mode=VERIFY_CA&ssl-ca={}", ca.display()),
            ),
            target(
                "127.0.0.2",
                &format!("?ssl-mode=VERIFY_CA&ssl-ca={}", ca.display()),
            ),
            // Encrypted, the certificate not verified (as the mysql client).
            target("127.0.0.2", "?ssl-mode=REQUIRED"),
        ];
        for url in works {
            let out = run(&repo, &["drift", "--db", &url], &env);
            assert_eq!(out.status.code(), Some(0), "{url}: {}", text(&out.stderr));
        }
        let fails = [
            (target("127.0.0.1", ""), "Access denied for user 'tls'"),
            (
                target(
                    "127.0.0.2",
                    &format!("?ssl-mode=VERIFY_IDENTITY&ssl-ca={}", ca.display()),
                ),
                "TLS: invalid peer certificate: certificate not valid for name \"127.0.0.2\"",
            ),
            (
                target(
                    "127.0.0.1",
                    &format!("?ssl-mode=VERIFY_CA&ssl-ca={}", other.display()),
                ),
                "TLS: invalid peer certificate: UnknownIssuer",
            ),
            // Without ssl-ca, only the public roots are trusted.
            (
                target("127.0.0.1", "?ssl-mode=VERIFY_CA"),
                "TLS: invalid peer certificate: UnknownIssuer",
            ),
        ];
        for (url, why) in fails {
            let out = run(&repo, &["drift", "--db", &url], &env);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
            assert!(
                stderr.starts_with("phonelint: cannot connect to mysql://tls@"),
                "{stderr}"
            );
            assert!(stderr.contains(why), "{url}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
    }

    #[test]
    fn tls_asked_of_a_server_without_it_is_refused() {
        let port = free_port();
        let Some(db) = MariaDb::start_with(&[
            "--bind-address=127.0.0.1".to_owned(),
            format!("--port={port}"),
        ]) else {
            return;
        };
        db.run(
            None,
            "CREATE DATABASE asterisk;\n\
             CREATE USER 'plain'@'%' IDENTIFIED BY 'Plain-pw-1';\n\
             GRANT SELECT ON asterisk.* TO 'plain'@'%';",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let env = [("MYSQL_PWD", "Plain-pw-1")];
        let plain = format!("mysql://plain@127.0.0.1:{port}/asterisk");
        let out = run(
            dir.path(),
            &["drift", "--db", &format!("{plain}?ssl-mode=REQUIRED")],
            &env,
        );
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            text(&out.stderr),
            format!(
                "phonelint: cannot connect to {plain}?ssl-mode=REQUIRED: the server does not offer TLS, which ssl-mode=REQUIRED requires\n"
            )
        );
        // Over TCP without TLS it connects (and finds no VICIdial tables).
        let out = run(dir.path(), &["drift", "--db", &plain], &env);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("has no table `phones`"),
            "{}",
            text(&out.stderr)
        );
    }

    #[test]
    fn the_plans_literals_mean_the_same_under_every_sql_mode_and_character_set() {
        let Some(db) = MariaDb::start() else { return };
        let values = [
            "cc100",
            "",
            "O'Brien",
            "a\\'; DROP TABLE phones; -- ",
            "back\\slash\\",
            "\\'",
            "''",
            "new\nline\r\0nul\u{1a}",
            "*/ -- # \"double\"",
            "José Ñandú ß",
            "漢字 \u{202e}bidi",
            "emoji \u{1F600}",
            "\u{bf}'",
        ];
        let mut script = String::new();
        for (mode, charset) in [
            ("", "utf8mb4"),
            ("NO_BACKSLASH_ESCAPES", "utf8mb4"),
            ("ANSI_QUOTES,NO_BACKSLASH_ESCAPES", "latin1"),
            ("STRICT_ALL_TABLES", "gbk"),
            ("", "sjis"),
        ] {
            script.push_str(&format!(
                "SET NAMES {charset}; SET SESSION sql_mode = '{mode}';\n"
            ));
            for value in values {
                script.push_str(&format!(
                    "SELECT HEX({});\n",
                    phonelint::drift::plan::string_literal(value)
                ));
            }
        }
        let out = db.run(None, &script).unwrap();
        let got: Vec<String> = out.lines().map(common::mariadb::unhex).collect();
        let expected: Vec<String> = (0..5)
            .flat_map(|_| values.iter().map(|value| (*value).to_owned()))
            .collect();
        assert_eq!(got, expected);
    }
}
