//! A real MariaDB for tests: Debian's `mariadb-server`, started by the test
//! itself in a temporary directory, on a socket there, with no network and no
//! system service. One server per [`MariaDb`]; it is stopped when dropped.
//!
//! When MariaDB is not installed the tests that need it are skipped with a
//! loud message, unless `PHONELINT_MARIADB=required` (set by .ci/run), which
//! makes a missing server a failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Set to `required` to fail, rather than skip, when MariaDB is missing.
pub const REQUIRED_ENV: &str = "PHONELINT_MARIADB";

/// A running MariaDB server of this test run.
pub struct MariaDb {
    dir: tempfile::TempDir,
    socket: PathBuf,
    client: PathBuf,
    server: Child,
}

/// The path of a MariaDB program: on PATH, or where Debian puts the server.
fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/bin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Whether this process runs as root: mariadbd then needs `--user=root`.
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

impl MariaDb {
    /// Starts a fresh server, or returns `None` after saying loudly why the
    /// caller's test is skipped (MariaDB is not installed and not required).
    pub fn start() -> Option<MariaDb> {
        Self::start_with(&["--skip-networking".to_owned()])
    }

    /// [`MariaDb::start`] with these options of the server instead of
    /// `--skip-networking` (e.g. a port on 127.0.0.1 and TLS).
    pub fn start_with(server_options: &[String]) -> Option<MariaDb> {
        let programs = (
            program("mariadb-install-db"),
            program("mariadbd"),
            program("mariadb"),
        );
        let (Some(install), Some(server), Some(client)) = programs else {
            let message = "MariaDB is not installed (mariadb-install-db, mariadbd and mariadb \
                           from Debian's mariadb-server): the differential tests against a real \
                           database did NOT run";
            if std::env::var(REQUIRED_ENV).as_deref() == Ok("required") {
                panic!("{message}, and {REQUIRED_ENV}=required");
            }
            eprintln!(
                "\n!!!!!!!! SKIPPED: {message}. Install it (apt-get install mariadb-server) or run .ci/run.\n"
            );
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("phonelint-mariadb")
            .tempdir()
            .expect("a temporary directory");
        let data = dir.path().join("data");
        let socket = dir.path().join("mysqld.sock");
        // A temporary directory of its own: servers installed side by side
        // (tests run in parallel) that share /tmp clash on their temporary
        // tables ("Unknown table 'mysql.tmp_user_sys'", measured: 2 to 5
        // of 10 parallel installs failed, none with a directory each).
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).expect("a temporary directory for the server");
        let root = running_as_root();
        let mut init = Command::new(&install);
        init.arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--tmpdir={}", tmp.display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"]);
        if root {
            init.arg("--user=root");
        }
        let out = init.output().expect("mariadb-install-db runs");
        assert!(
            out.status.success(),
            "mariadb-install-db failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let log = dir.path().join("error.log");
        let mut start = Command::new(&server);
        start
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", socket.display()))
            .arg(format!("--tmpdir={}", tmp.display()))
            .arg(format!(
                "--pid-file={}",
                dir.path().join("mysqld.pid").display()
            ))
            .arg(format!("--log-error={}", log.display()))
            .args(server_options)
            .args(["--innodb-buffer-pool-size=16M", "--skip-log-bin"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if root {
            start.arg("--user=root");
        }
        let child = start.spawn().expect("mariadbd starts");
        let mut db = MariaDb {
            dir,
            socket,
            client,
            server: child,
        };
        db.wait_until_ready(&log);
        Some(db)
    }

    fn wait_until_ready(&mut self, log: &Path) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if self.socket.exists() && self.run(None, "SELECT 1;").is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.server.try_wait() {
                panic!(
                    "mariadbd exited ({status}) before it was ready:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "mariadbd was not ready within 60 s:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs `script` with the `mariadb` client, connected as root over the
    /// socket in utf8mb4, in `database` if given: its tab-separated output
    /// (`--batch`, no column names), or the client's error.
    pub fn run(&self, database: Option<&str>, script: &str) -> Result<String, String> {
        let mut command = self.as_root(&self.client);
        command
            .args(["--batch", "--skip-column-names"])
            .args(database)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|error| error.to_string())?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let script = script.to_owned();
        // Written from another thread: a large script and its output would
        // otherwise fill both pipes.
        let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
        let output = child
            .wait_with_output()
            .map_err(|error| error.to_string())?;
        writer
            .join()
            .map_err(|_| "the writer panicked".to_owned())?
            .map_err(|error| error.to_string())?;
        stdout_or_stderr(Ok(output))
    }

    /// A client program of the server's, connected as root over the socket
    /// in utf8mb4.
    fn as_root(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .args(["--user=root", "--default-character-set=utf8mb4"]);
        command
    }

    /// The temporary directory the server lives in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server's socket.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// `mysql --batch` output of `query` in `database`, with its header row,
    /// as a user exports a table with the client.
    pub fn batch(&self, database: &str, query: &str) -> Result<String, String> {
        let output = self
            .as_root(&self.client)
            .args(["--batch", "-e", query])
            .arg(database)
            .output();
        stdout_or_stderr(output)
    }

    /// `mariadb-dump` of `tables` of `database`, as root over the socket.
    pub fn dump(&self, database: &str, tables: &[&str]) -> Result<String, String> {
        let output = self
            .as_root(&self.client.with_file_name("mariadb-dump"))
            .arg(database)
            .args(tables)
            .output();
        stdout_or_stderr(output)
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        // Our own child, by its handle: stopped and reaped.
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// A client's stdout when it succeeded, else its stderr.
fn stdout_or_stderr(output: std::io::Result<std::process::Output>) -> Result<String, String> {
    let output = output.map_err(|error| error.to_string())?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// A SQL string literal for any text: its UTF-8 bytes in hex, so that no
/// quoting or escaping can go wrong (`_utf8mb4 X'...'`).
pub fn literal(text: &str) -> String {
    let hex: String = text.bytes().map(|b| format!("{b:02X}")).collect();
    format!("_utf8mb4 X'{hex}'")
}

/// Decodes what `HEX(...)` printed.
pub fn unhex(hex: &str) -> String {
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| hex.get(2 * i..2 * i + 2))
        .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}
