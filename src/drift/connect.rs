//! A live MySQL/MariaDB database (the `db` feature): where it is and who
//! connects ([`Settings`]: a URL, a MySQL option file, the environment),
//! and one consistent, read-only read of VICIdial's three tables
//! ([`read_tables`]).
//!
//! A password never has to be on the command line, and is never shown:
//! [`Settings`] prints as its URL without one, and every error is written
//! without it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use mysql::prelude::Queryable;

use crate::import::{RawValue, TableData};
use crate::vicidial::RecordKind;

/// The environment variables a password is read from, in order.
pub const PASSWORD_VARIABLES: [&str; 2] = ["PHONELINT_DB_PASSWORD", "MYSQL_PWD"];

/// Why a database could not be read. Each is one line, without a password.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL `{url}`: {message}")]
    Url { url: String, message: String },
    #[error("{path}: {message}")]
    OptionFile { path: String, message: String },
    #[error("cannot connect to {target}: {message}")]
    Connect { target: String, message: String },
    #[error(
        "{target} has no table `{table}` (is it VICIdial's database, and may this user read it?)"
    )]
    MissingTable { target: String, table: &'static str },
    #[error("cannot read {target}: {message}")]
    Query { target: String, message: String },
}

/// TLS, as the URL's `ssl-mode` asks (the mysql client's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// No TLS (the default; a socket is local anyway).
    #[default]
    Disabled,
    /// Encrypted; the certificate is not verified.
    Required,
    /// Encrypted; the certificate is verified against `ssl-ca` (and the
    /// usual public roots), not the host name.
    VerifyCa,
    /// Encrypted; the certificate and the host name are verified.
    VerifyIdentity,
}

impl SslMode {
    fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_uppercase().replace('-', "_").as_str() {
            "DISABLED" => Some(SslMode::Disabled),
            "REQUIRED" => Some(SslMode::Required),
            "VERIFY_CA" => Some(SslMode::VerifyCa),
            "VERIFY_IDENTITY" => Some(SslMode::VerifyIdentity),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            SslMode::Disabled => "DISABLED",
            SslMode::Required => "REQUIRED",
            SslMode::VerifyCa => "VERIFY_CA",
            SslMode::VerifyIdentity => "VERIFY_IDENTITY",
        }
    }
}

/// Where the database is and how to log in.
#[derive(Clone)]
pub struct Settings {
    pub user: String,
    password: Option<String>,
    pub host: String,
    pub port: u16,
    pub socket: Option<PathBuf>,
    pub database: String,
    pub ssl_mode: SslMode,
    pub ssl_ca: Option<PathBuf>,
    /// The URL itself held the password (visible in the process list).
    pub password_from_url: bool,
}

/// Never the password.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("target", &self.to_string())
            .field("password", &self.password.as_ref().map(|_| "****"))
            .finish()
    }
}

/// The URL without the password: `mysql://cron@db:3306/asterisk`.
impl fmt::Display for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(f, "mysql://")?;
        if !self.user.is_empty() {
            write!(f, "{}@", self.user)?;
        }
        match &self.socket {
            Some(socket) => write!(f, "{host}/{}?socket={}", self.database, socket.display())?,
            None => write!(f, "{host}:{}/{}", self.port, self.database)?,
        }
        if self.ssl_mode != SslMode::Disabled {
            let joiner = if self.socket.is_some() { '&' } else { '?' };
            write!(f, "{joiner}ssl-mode={}", self.ssl_mode.as_str())?;
        }
        Ok(())
    }
}

/// What an option file's `[client]` and `[phonelint]` sections say.
#[derive(Debug, Default)]
struct OptionFile {
    user: Option<String>,
    password: Option<String>,
    host: Option<String>,
    port: Option<String>,
    socket: Option<String>,
    database: Option<String>,
    ssl_mode: Option<String>,
    ssl_ca: Option<String>,
}

impl Settings {
    /// The settings of `url`, completed from the option file and the
    /// environment (`env` looks a variable up). The URL wins, then the
    /// option file, then `PHONELINT_DB_PASSWORD`, then `MYSQL_PWD`.
    pub fn resolve(
        url: &str,
        defaults_file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, DbError> {
        let invalid = |message: String| DbError::Url {
            url: redact(url),
            message,
        };
        let parsed = url::Url::parse(url).map_err(|error| invalid(error.to_string()))?;
        if !matches!(parsed.scheme(), "mysql" | "mariadb") {
            return Err(invalid(format!(
                "the scheme is `{}`; phonelint reads mysql:// (or mariadb://) URLs",
                parsed.scheme()
            )));
        }
        let file = match defaults_file {
            Some(path) => read_option_file(path)?,
            None => OptionFile::default(),
        };
        let mut socket = None;
        let mut ssl_mode = None;
        let mut ssl_ca = None;
        for (key, value) in parsed.query_pairs() {
            match key.replace('_', "-").as_str() {
                "socket" => socket = Some(value.into_owned()),
                "ssl-mode" => ssl_mode = Some(value.into_owned()),
                "ssl-ca" => ssl_ca = Some(value.into_owned()),
                other => {
                    return Err(invalid(format!(
                        "unknown parameter `{other}` (phonelint knows socket, ssl-mode and ssl-ca)"
                    )));
                }
            }
        }
        let url_password = parsed.password().map(percent_decode);
        let password_from_url = url_password.is_some();
        let password = url_password
            .or(file.password)
            .or_else(|| PASSWORD_VARIABLES.iter().find_map(|name| env(name)));
        let user = Some(percent_decode(parsed.username()))
            .filter(|user| !user.is_empty())
            .or(file.user)
            .or_else(|| env("USER"))
            .unwrap_or_default();
        let host = match parsed.host() {
            Some(url::Host::Domain(domain)) if !domain.is_empty() => percent_decode(domain),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => file.host.unwrap_or_else(|| "localhost".to_owned()),
        };
        let port = match (parsed.port(), file.port) {
            (Some(port), _) => port,
            (None, Some(port)) => port
                .parse()
                .map_err(|_| invalid(format!("port `{port}` of the option file is not a port")))?,
            (None, None) => 3306,
        };
        let database = parsed
            .path_segments()
            .and_then(|mut segments| segments.next().map(percent_decode))
            .filter(|name| !name.is_empty())
            .or(file.database)
            .ok_or_else(|| {
                invalid("it names no database (mysql://USER@HOST/DATABASE)".to_owned())
            })?;
        let ssl_mode = match ssl_mode.or(file.ssl_mode) {
            Some(mode) => SslMode::parse(&mode).ok_or_else(|| {
                invalid(format!(
                    "ssl-mode `{mode}` is none of DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY"
                ))
            })?,
            None => SslMode::Disabled,
        };
        Ok(Settings {
            user,
            password,
            host,
            port,
            socket: socket.or(file.socket).map(PathBuf::from),
            database,
            ssl_mode,
            ssl_ca: ssl_ca.or(file.ssl_ca).map(PathBuf::from),
            password_from_url,
        })
    }

    fn options(&self, timeout: Duration) -> mysql::Opts {
        let ssl = match self.ssl_mode {
            SslMode::Disabled => None,
            mode => Some(
                mysql::SslOpts::default()
                    .with_root_cert_path(self.ssl_ca.clone())
                    .with_danger_accept_invalid_certs(mode == SslMode::Required)
                    .with_danger_skip_domain_validation(mode != SslMode::VerifyIdentity),
            ),
        };
        // The server may stay silent no longer than it may take to accept
        // the connection (reading three tables of a few thousand rows takes
        // well under a second); waiting for a lock held elsewhere gives up a
        // second earlier, with the server's own message.
        let lock_wait = timeout.as_secs().saturating_sub(1).max(1);
        mysql::OptsBuilder::new()
            .ip_or_hostname(Some(self.host.clone()))
            .tcp_port(self.port)
            .socket(self.socket.as_ref().map(|s| s.display().to_string()))
            // Never switch from TCP to a socket behind the user's back.
            .prefer_socket(false)
            .user(Some(self.user.clone()))
            .pass(self.password.clone())
            .db_name(Some(self.database.clone()))
            .tcp_connect_timeout(Some(timeout))
            .read_timeout(Some(timeout))
            .write_timeout(Some(timeout))
            .ssl_opts(ssl)
            .init(vec![
                "SET NAMES utf8mb4".to_owned(),
                // The server itself refuses any write in this session.
                "SET SESSION TRANSACTION READ ONLY".to_owned(),
                format!("SET SESSION lock_wait_timeout = {lock_wait}"),
            ])
            .into()
    }
}

/// `url` with the password of its user part replaced by `****`, for an
/// error about a URL that could not be parsed.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let authority_start = scheme_end + 3;
    let rest = url.get(authority_start..).unwrap_or_default();
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or_default();
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let user_info = authority.get(..at).unwrap_or_default();
    let Some(colon) = user_info.find(':') else {
        return url.to_owned();
    };
    format!(
        "{}{}:****{}",
        url.get(..authority_start).unwrap_or_default(),
        user_info.get(..colon).unwrap_or_default(),
        url.get(authority_start + at..).unwrap_or_default()
    )
}

/// `%XX` sequences decoded (lossily, for bytes that are not UTF-8).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a MySQL option file (`--defaults-file`): the `[client]` and
/// `[phonelint]` sections, the latter winning; `key = value`, values
/// optionally quoted, with MySQL's escapes; `#` and `;` comments.
fn read_option_file(path: &Path) -> Result<OptionFile, DbError> {
    let fail = |message: String| DbError::OptionFile {
        path: path.display().to_string(),
        message,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|error| fail(error.to_string()))?;
        if meta.permissions().mode() & 0o002 != 0 {
            return Err(fail(
                "every user may write to it, so phonelint does not take credentials from it \
                 (the mysql client ignores such a file too): chmod o-w it"
                    .to_owned(),
            ));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|error| fail(error.to_string()))?;
    parse_option_file(&text).map_err(fail)
}

fn parse_option_file(text: &str) -> Result<OptionFile, String> {
    let mut file = OptionFile::default();
    let mut wanted = false;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with('!') {
            return Err(format!(
                "line {}: {} is not supported: put the settings in this file",
                number + 1,
                line.split_whitespace().next().unwrap_or(line)
            ));
        }
        if let Some(section) = line.strip_prefix('[') {
            let name = section.trim_end_matches(']').trim();
            wanted = name.eq_ignore_ascii_case("client") || name.eq_ignore_ascii_case("phonelint");
            continue;
        }
        if !wanted {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((key, value)) => (key.trim(), option_value(value.trim())),
            None => (line, String::new()),
        };
        let slot = match key.replace('_', "-").to_ascii_lowercase().as_str() {
            "user" => &mut file.user,
            "password" => &mut file.password,
            "host" => &mut file.host,
            "port" => &mut file.port,
            "socket" => &mut file.socket,
            "database" => &mut file.database,
            "ssl-mode" => &mut file.ssl_mode,
            "ssl-ca" => &mut file.ssl_ca,
            _ => continue,
        };
        *slot = Some(value);
    }
    Ok(file)
}

/// An option's value: a quoted value to its closing quote, an unquoted one
/// to a `#` comment; MySQL's escapes (`\n`, `\t`, `\s` for a space, `\\`, ...).
fn option_value(raw: &str) -> String {
    let (body, quoted) = match raw.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = raw.get(1..).unwrap_or_default();
            let end = inner.rfind(quote).unwrap_or(inner.len());
            (inner.get(..end).unwrap_or_default(), true)
        }
        _ => (raw, false),
    };
    let body = if quoted {
        body
    } else {
        body.split('#').next().unwrap_or_default().trim_end()
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('s') => out.push(' '),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The tables read, and what the reader wants the user to know.
#[derive(Debug, Default)]
pub struct Read {
    /// One per table: phones, phones_alias, servers.
    pub tables: Vec<TableData>,
    pub notes: Vec<String>,
}

/// Reads `phones`, `phones_alias` and `servers` whole, in one consistent
/// view, in a session that may not write: a read-only transaction with a
/// consistent snapshot when all three are transactional (InnoDB); for
/// VICIdial's MyISAM tables, which no transaction isolates, a shared read
/// lock on the three for the moment of reading (as mysqldump takes), or,
/// when the user may not lock tables, each table read on its own.
pub fn read_tables(settings: &Settings, timeout: Duration) -> Result<Read, DbError> {
    let target = settings.to_string();
    let connect_error = |error: mysql::Error| DbError::Connect {
        target: target.clone(),
        message: describe(&error, settings, timeout),
    };
    let query_error = |error: mysql::Error| DbError::Query {
        target: target.clone(),
        message: describe(&error, settings, timeout),
    };
    let mut conn = mysql::Conn::new(settings.options(timeout)).map_err(connect_error)?;
    let engines: Vec<(String, Option<String>)> = conn
        .query(
            "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('phones', 'phones_alias', 'servers')",
        )
        .map_err(query_error)?;
    let mut transactional = true;
    for kind in RecordKind::ALL {
        let table = kind.table();
        let Some((_, engine)) = engines.iter().find(|(name, _)| name == table) else {
            return Err(DbError::MissingTable {
                target: target.clone(),
                table,
            });
        };
        transactional &= engine
            .as_deref()
            .is_some_and(|engine| engine.eq_ignore_ascii_case("InnoDB"));
    }
    let mut read = Read::default();
    let locked = !transactional
        && match conn.query_drop("LOCK TABLES `phones` READ, `phones_alias` READ, `servers` READ") {
            Ok(()) => true,
            Err(mysql::Error::MySqlError(error)) if matches!(error.code, 1044 | 1142 | 1227) => {
                read.notes.push(format!(
                    "{target}: the tables are not transactional and this user may not LOCK TABLES: \
                     each table is read at its own moment (grant LOCK TABLES for one consistent view)"
                ));
                false
            }
            Err(error) => return Err(query_error(error)),
        };
    if !locked {
        conn.query_drop("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
            .map_err(query_error)?;
    }
    for kind in RecordKind::ALL {
        read.tables
            .push(select_all(&mut conn, kind).map_err(query_error)?);
    }
    let end = if locked { "UNLOCK TABLES" } else { "COMMIT" };
    conn.query_drop(end).map_err(query_error)?;
    Ok(read)
}

/// `SELECT *` of a table, every value as an export would hold it.
fn select_all(conn: &mut mysql::Conn, kind: RecordKind) -> Result<TableData, mysql::Error> {
    let mut result = conn.query_iter(format!("SELECT * FROM `{}`", kind.table()))?;
    let (columns, numeric): (Vec<String>, Vec<bool>) = result
        .columns()
        .as_ref()
        .iter()
        .map(|column| {
            (
                column.name_str().into_owned(),
                is_numeric(column.column_type()),
            )
        })
        .unzip();
    let mut rows = Vec::new();
    for row in result.by_ref() {
        let values = row?.unwrap();
        rows.push(
            values
                .into_iter()
                .zip(&numeric)
                .map(|(value, &numeric)| raw_value(value, numeric))
                .collect(),
        );
    }
    Ok(TableData {
        kind,
        columns,
        rows,
    })
}

fn is_numeric(column_type: mysql::consts::ColumnType) -> bool {
    use mysql::consts::ColumnType as T;
    matches!(
        column_type,
        T::MYSQL_TYPE_TINY
            | T::MYSQL_TYPE_SHORT
            | T::MYSQL_TYPE_LONG
            | T::MYSQL_TYPE_INT24
            | T::MYSQL_TYPE_LONGLONG
            | T::MYSQL_TYPE_YEAR
            | T::MYSQL_TYPE_DECIMAL
            | T::MYSQL_TYPE_NEWDECIMAL
            | T::MYSQL_TYPE_FLOAT
            | T::MYSQL_TYPE_DOUBLE
    )
}

/// A value of the text protocol (bytes, or NULL) as an export holds it.
/// The connection's character set is utf8mb4, so text is UTF-8; anything
/// else (a binary column phonelint does not compare) is kept lossily.
fn raw_value(value: mysql::Value, numeric: bool) -> RawValue {
    let text = match value {
        mysql::Value::NULL => return RawValue::Null,
        mysql::Value::Bytes(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        mysql::Value::Int(i) => i.to_string(),
        mysql::Value::UInt(u) => u.to_string(),
        mysql::Value::Float(f) => f.to_string(),
        mysql::Value::Double(d) => d.to_string(),
        other => other.as_sql(true).trim_matches('\'').to_owned(),
    };
    if numeric {
        RawValue::Number(text)
    } else {
        RawValue::Text(text)
    }
}

/// One line about what went wrong, without the password.
fn describe(error: &mysql::Error, settings: &Settings, timeout: Duration) -> String {
    use mysql::DriverError;
    let message = match error {
        mysql::Error::MySqlError(error) => error.message.clone(),
        mysql::Error::DriverError(DriverError::ConnectTimeout | DriverError::Timeout) => {
            format!("no answer within {} s", timeout.as_secs())
        }
        mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, description, _)))) => {
            description.clone()
        }
        mysql::Error::DriverError(DriverError::TlsNotSupported) => format!(
            "the server does not offer TLS, which ssl-mode={} requires",
            settings.ssl_mode.as_str()
        ),
        // An I/O error, alone or inside the packet codec.
        mysql::Error::IoError(io) => describe_io(io, timeout),
        mysql::Error::CodecError(codec) => match std::error::Error::source(codec)
            .and_then(|source| source.downcast_ref::<std::io::Error>())
        {
            Some(io) => describe_io(io, timeout),
            None => codec.to_string(),
        },
        other => other.to_string(),
    };
    match &settings.password {
        // The server never echoes a password; a library might, one day.
        Some(password) if !password.is_empty() => message.replace(password.as_str(), "****"),
        _ => message,
    }
}

fn describe_io(io: &std::io::Error, timeout: Duration) -> String {
    match io.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            format!("no answer within {} s", timeout.as_secs())
        }
        // rustls during the handshake: "invalid peer certificate: UnknownIssuer".
        std::io::ErrorKind::InvalidData => format!("TLS: {io}"),
        _ => io.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn urls_resolve_with_the_password_from_the_environment() {
        let s = Settings::resolve(
            "mysql://cron@db.example:3307/asterisk?ssl-mode=verify_identity&ssl-ca=/ca.pem",
            None,
            env(&[("MYSQL_PWD", "low"), ("PHONELINT_DB_PASSWORD", "high")]),
        )
        .unwrap();
        assert_eq!(s.password.as_deref(), Some("high"));
        assert_eq!(s.ssl_mode, SslMode::VerifyIdentity);
        assert_eq!(s.ssl_ca, Some(PathBuf::from("/ca.pem")));
        assert_eq!(
            s.to_string(),
            "mysql://cron@db.example:3307/asterisk?ssl-mode=VERIFY_IDENTITY"
        );
        assert!(!format!("{s:?}").contains("high"));
        let s = Settings::resolve(
            "mariadb://root@localhost/asterisk?socket=/tmp/my%20sql.sock",
            None,
            env(&[("MYSQL_PWD", "low")]),
        )
        .unwrap();
        assert_eq!(s.password.as_deref(), Some("low"));
        assert_eq!(s.socket, Some(PathBuf::from("/tmp/my sql.sock")));
        assert_eq!(
            s.to_string(),
            "mysql://root@localhost/asterisk?socket=/tmp/my sql.sock"
        );
        let s = Settings::resolve("mysql://u:p%40ss@[::1]/db", None, env(&[])).unwrap();
        assert_eq!(s.password.as_deref(), Some("p@ss"));
        assert!(s.password_from_url);
        assert_eq!(s.to_string(), "mysql://u@[::1]:3306/db");
    }

    #[test]
    fn bad_urls_are_refused_without_echoing_a_password() {
        let error = |url: &str| {
            Settings::resolve(url, None, env(&[]))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("mysql://u:s3cret@host"),
            "invalid database URL `mysql://u:****@host`: it names no database (mysql://USER@HOST/DATABASE)"
        );
        assert!(error("postgres://u:s3cret@h/db").contains("`postgres://u:****@h/db`"));
        assert!(error("mysql://u:s3cret@h/db?password=x").contains("unknown parameter `password`"));
        assert!(!error("mysql://u:s3cret@h:99999/db").contains("s3cret"));
        assert!(error("mysql://h/db?ssl-mode=maybe").contains("ssl-mode `maybe`"));
        assert_eq!(redact("mysql://a:b:c@h/x?y=@"), "mysql://a:****@h/x?y=@");
        assert_eq!(redact("not a url"), "not a url");
    }

    #[test]
    fn option_files_follow_mysqls_rules() {
        let file = parse_option_file(
            "# comment\n[mysqld]\npassword = server\n[client]\nuser=cron\npassword = \"pa ss#word\" \n\
             host = db # the primary\n[phonelint]\nssl_mode=REQUIRED\nsocket='/run/my\\ssql'\nskip-ssl\n",
        )
        .unwrap();
        assert_eq!(file.user.as_deref(), Some("cron"));
        assert_eq!(file.password.as_deref(), Some("pa ss#word"));
        assert_eq!(file.host.as_deref(), Some("db"));
        assert_eq!(file.ssl_mode.as_deref(), Some("REQUIRED"));
        assert_eq!(file.socket.as_deref(), Some("/run/my sql"));
        assert!(parse_option_file("!include /etc/my.cnf\n").is_err());
    }

    #[test]
    fn the_url_wins_over_the_option_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("my.cnf");
        std::fs::write(
            &path,
            "[client]\nuser=file\npassword=fromfile\ndatabase=asterisk\nport=3310\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let s = Settings::resolve(
            "mysql://db.example",
            Some(&path),
            env(&[("PHONELINT_DB_PASSWORD", "env")]),
        )
        .unwrap();
        assert_eq!(
            (s.user.as_str(), s.password.as_deref(), s.port),
            ("file", Some("fromfile"), 3310)
        );
        assert_eq!(s.database, "asterisk");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
            let error = Settings::resolve("mysql://h/db", Some(&path), env(&[])).unwrap_err();
            assert!(error.to_string().contains("every user may write to it"));
        }
    }
}
