//! A realistic phonelint repository of N phones, for benchmarks: used by the
//! `gen_corpus` example (which writes it to disk) and the micro benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --phones 100000 --per-file 1 --out /tmp/c100k
//! cargo run --release --example gen_corpus -- --phones 100000 --per-file 1000 --out /tmp/c100k-packed
//! cargo run --release --example gen_corpus -- --phones 10000 --findings-only --per-file 10000 --out /tmp/f10k
//! ```
//!
//! Deterministic for a given `--seed`: the same arguments write the same bytes.
//! TOML and JSON files are mixed (about 60/40), phones spread over declared
//! servers, aliases group logins over several servers, and a few percent of the
//! records carry each kind of mistake the rules catch: inactive ADMIN, active-but-blocked, unknown status,
//! duplicate extension on one server, duplicate login across files, `test` /
//! weak passwords, `-5` local_gmt, bad protocol, bad server_ip, unknown alias
//! login, misspelt or missing fields.
//!
//! Tooling, not product: no new dependencies (a SplitMix64 PRNG of its own).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: tiny, fast, good enough for test data, and stable across
/// platforms and releases (unlike std's hashers).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the tiny modulo bias does not matter here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `permille / 1000`.
    fn chance(&mut self, permille: u32) -> bool {
        self.below(1000) < permille as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }

    /// A strong password: upper, lower and digits, 10 characters.
    fn password(&mut self) -> String {
        const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
        const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
        const DIGIT: &[u8] = b"23456789";
        let mut out = String::with_capacity(10);
        for i in 0..10 {
            let set = match i % 3 {
                0 => UPPER,
                1 => LOWER,
                _ => DIGIT,
            };
            out.push(char::from(
                set.get(self.below(set.len())).copied().unwrap_or(b'x'),
            ));
        }
        out
    }
}

const GMT: &[&str] = &[
    "-5.00", "-6.00", "-7.00", "-8.00", "-4.00", "0.00", "1.00", "5.50",
];
const FIRST: &[&str] = &[
    "Ana", "Ben", "Carla", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lena",
];
const TEAMS: &[&str] = &["Sales", "Support", "Billing", "Retention", "Outbound", "QA"];

/// The kinds of mistake a record may carry, each at `rate` permille.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mistake {
    None,
    InactiveAdmin,
    ActiveButBlocked,
    UnknownStatus,
    DuplicateExtension,
    DuplicateLogin,
    DefaultPassword,
    WeakPassword,
    GmtMinusFive,
    BadProtocol,
    BadServerIp,
    MisspeltField,
    MissingField,
}

const MISTAKES: &[Mistake] = &[
    Mistake::InactiveAdmin,
    Mistake::ActiveButBlocked,
    Mistake::UnknownStatus,
    Mistake::DuplicateExtension,
    Mistake::DuplicateLogin,
    Mistake::DefaultPassword,
    Mistake::WeakPassword,
    Mistake::GmtMinusFive,
    Mistake::BadProtocol,
    Mistake::BadServerIp,
    Mistake::MisspeltField,
    Mistake::MissingField,
];

pub struct Options {
    pub phones: usize,
    /// Phones per file: 1 for one file per phone.
    pub per_file: usize,
    /// Declared servers the phones spread over (1..=250).
    pub servers: usize,
    pub seed: u64,
    /// Permille of records with each kind of mistake.
    pub rate: u32,
    /// Every phone carries exactly one finding (unknown status), for rendering benchmarks.
    pub findings_only: bool,
    /// Permille of files written as JSON (the rest TOML).
    pub json_permille: u32,
}

impl Options {
    /// `phones` phones, `per_file` to a file, with the default mix of mistakes.
    pub fn new(phones: usize, per_file: usize) -> Self {
        Self {
            phones,
            per_file,
            servers: 8,
            seed: 1,
            rate: 20,
            findings_only: false,
            json_permille: 400,
        }
    }
}

/// One phone's values, before they are written in either syntax.
struct Phone {
    fields: Vec<(&'static str, String)>,
}

struct Generator {
    rng: Rng,
    options: Options,
    server_ips: Vec<String>,
    /// (extension, server_ip) and login of phones already written, to copy from.
    written: Vec<(String, String, String)>,
    /// Logins by server index, for aliases.
    logins_by_server: Vec<Vec<String>>,
    counts: BTreeMap<&'static str, usize>,
}

impl Generator {
    fn mistake(&mut self) -> Mistake {
        if self.options.findings_only {
            return Mistake::UnknownStatus;
        }
        // One draw per record: each mistake kind at `rate` permille.
        let draw = self.rng.below(1000);
        let index = draw / (self.options.rate.max(1) as usize);
        MISTAKES.get(index).copied().unwrap_or(Mistake::None)
    }

    fn phone(&mut self, n: usize) -> Phone {
        let server = self.rng.below(self.server_ips.len());
        let server_ip = self.server_ips.get(server).cloned().unwrap_or_default();
        let mut extension = format!("cc{n:06}");
        let mut login = format!("p{n:06}");
        let mut pass = self.rng.password();
        let mut status = if self.rng.chance(15) {
            "ADMIN"
        } else {
            "ACTIVE"
        }
        .to_owned();
        let mut active = "Y".to_owned();
        let mut protocol = if self.rng.chance(100) { "IAX2" } else { "SIP" }.to_owned();
        let mut local_gmt = self.rng.pick(GMT).to_owned();
        let mut server_ip_value = server_ip.clone();
        let mut extension_key = "extension";
        let mut omit_dialplan = false;
        // A few consistently retired phones: not a finding.
        if self.rng.chance(30) {
            active = "N".to_owned();
            status = "SUSPENDED".to_owned();
        }
        let mistake = self.mistake();
        match mistake {
            Mistake::None => {}
            Mistake::InactiveAdmin => {
                active = "N".to_owned();
                status = "ADMIN".to_owned();
            }
            Mistake::ActiveButBlocked => {
                active = "Y".to_owned();
                status = self
                    .rng
                    .pick(&["SUSPENDED", "CLOSED", "PENDING"])
                    .to_owned();
            }
            Mistake::UnknownStatus => {
                status = self
                    .rng
                    .pick(&["Active", "DISABLED", "DELETED", "active "])
                    .to_owned();
            }
            Mistake::DuplicateExtension => {
                if let Some((ext, ip, _)) = self.pick_written() {
                    extension = ext;
                    server_ip_value = ip;
                }
            }
            Mistake::DuplicateLogin => {
                if let Some((_, _, other)) = self.pick_written() {
                    login = other;
                }
            }
            Mistake::DefaultPassword => pass = "test".to_owned(),
            Mistake::WeakPassword => pass = format!("{}", 1000 + self.rng.below(9000)),
            Mistake::GmtMinusFive => local_gmt = self.rng.pick(&["-5", "-5.0", "+1.00"]).to_owned(),
            Mistake::BadProtocol => protocol = self.rng.pick(&["DAHDI", "sip", "H323"]).to_owned(),
            Mistake::BadServerIp => {
                server_ip_value = self
                    .rng
                    .pick(&["10.10.10", "10.10.10.300", "dialer1"])
                    .to_owned();
            }
            Mistake::MisspeltField => extension_key = "extention",
            Mistake::MissingField => omit_dialplan = true,
        }
        *self.counts.entry(mistake_name(mistake)).or_default() += 1;
        if let Some(logins) = self.logins_by_server.get_mut(server) {
            logins.push(login.clone());
        }
        self.written
            .push((extension.clone(), server_ip_value.clone(), login.clone()));

        let first = self.rng.pick(FIRST);
        let team = self.rng.pick(TEAMS);
        let dialplan = format!("{}", 10_000 + n);
        let mut fields: Vec<(&'static str, String)> = Vec::with_capacity(16);
        fields.push((extension_key, extension));
        if !omit_dialplan {
            fields.push(("dialplan_number", dialplan.clone()));
        }
        fields.push(("voicemail_id", dialplan));
        fields.push(("server_ip", server_ip_value));
        fields.push(("login", login));
        fields.push(("pass", pass));
        fields.push(("conf_secret", self.rng.password()));
        fields.push(("status", status));
        fields.push(("active", active));
        fields.push(("protocol", protocol));
        fields.push(("local_gmt", local_gmt));
        fields.push(("phone_type", "CCagent".to_owned()));
        fields.push(("fullname", format!("{team} {first} {n}")));
        fields.push(("email", format!("agent{n}@example.com")));
        if self.rng.chance(300) {
            fields.push(("voicemail_timezone", "eastern".to_owned()));
            fields.push(("phone_ring_timeout", "60".to_owned()));
        }
        Phone { fields }
    }

    /// A phone written earlier (recent, so duplicates often share a file).
    fn pick_written(&mut self) -> Option<(String, String, String)> {
        let len = self.written.len();
        if len == 0 {
            return None;
        }
        let back = self.rng.below(len.min(5000));
        self.written.get(len - 1 - back).cloned()
    }
}

fn mistake_name(mistake: Mistake) -> &'static str {
    match mistake {
        Mistake::None => "clean",
        Mistake::InactiveAdmin => "inactive-admin",
        Mistake::ActiveButBlocked => "active-but-blocked",
        Mistake::UnknownStatus => "unknown-status",
        Mistake::DuplicateExtension => "duplicate-extension",
        Mistake::DuplicateLogin => "duplicate-login",
        Mistake::DefaultPassword => "default-password",
        Mistake::WeakPassword => "weak-password",
        Mistake::GmtMinusFive => "bad-local-gmt",
        Mistake::BadProtocol => "bad-protocol",
        Mistake::BadServerIp => "bad-server-ip",
        Mistake::MisspeltField => "misspelt-field",
        Mistake::MissingField => "missing-field",
    }
}

/// Integer columns are written as integers, everything else as strings.
fn is_integer(key: &str) -> bool {
    key == "phone_ring_timeout"
}

fn write_toml(out: &mut String, section: &str, records: &[Vec<(&'static str, String)>]) {
    for record in records {
        let _ = writeln!(out, "[[{section}]]");
        for (key, value) in record {
            if is_integer(key) {
                let _ = writeln!(out, "{key} = {value}");
            } else {
                let _ = writeln!(out, "{key} = \"{value}\"");
            }
        }
        out.push('\n');
    }
}

fn write_json(out: &mut String, section: &str, records: &[Vec<(&'static str, String)>]) {
    let _ = writeln!(out, "{{\n  \"{section}\": [");
    for (i, record) in records.iter().enumerate() {
        out.push_str("    {\n");
        for (j, (key, value)) in record.iter().enumerate() {
            let comma = if j + 1 < record.len() { "," } else { "" };
            if is_integer(key) {
                let _ = writeln!(out, "      \"{key}\": {value}{comma}");
            } else {
                let _ = writeln!(out, "      \"{key}\": \"{value}\"{comma}");
            }
        }
        let comma = if i + 1 < records.len() { "," } else { "" };
        let _ = writeln!(out, "    }}{comma}");
    }
    out.push_str("  ]\n}\n");
}

/// What a generation wrote.
pub struct Stats {
    pub phones: usize,
    pub files: usize,
    pub bytes: usize,
    /// Records by the mistake they carry (`clean` for none).
    pub counts: BTreeMap<&'static str, usize>,
}

/// Generates a repository, handing each file (path relative to the
/// repository root, text) to `emit` in a deterministic order.
pub fn generate(
    options: Options,
    mut emit: impl FnMut(&Path, &str) -> Result<(), String>,
) -> Result<Stats, String> {
    let servers = options.servers.clamp(1, 250);
    let mut generator = Generator {
        rng: Rng(options.seed),
        server_ips: (0..servers)
            .map(|i| format!("10.10.{}.{}", 10 + i / 200, 15 + i % 200))
            .collect(),
        written: Vec::with_capacity(options.phones),
        logins_by_server: vec![Vec::new(); servers],
        counts: Default::default(),
        options,
    };
    let mut bytes = 0usize;
    let mut files = 0usize;

    // Declared servers (one inactive agent-login server among many).
    if !generator.options.findings_only {
        let records: Vec<Vec<(&'static str, String)>> = generator
            .server_ips
            .iter()
            .enumerate()
            .map(|(i, ip)| {
                let agent_login = if i == 3 { "N" } else { "Y" };
                vec![
                    ("server_id", format!("dialer{i}")),
                    ("server_description", format!("Dialer {i}")),
                    ("server_ip", ip.clone()),
                    ("active", "Y".to_owned()),
                    ("active_agent_login_server", agent_login.to_owned()),
                ]
            })
            .collect();
        let mut text = String::from("# The servers the phones live on.\n");
        write_toml(&mut text, "servers", &records);
        emit(Path::new("servers.toml"), &text)?;
        bytes += text.len();
        files += 1;
    }

    // Phones, in files of `per_file`, 100 files to a directory.
    let per_file = generator.options.per_file.max(1);
    let total = generator.options.phones;
    let mut n = 0usize;
    let mut file_index = 0usize;
    while n < total {
        let count = per_file.min(total - n);
        let records: Vec<Vec<(&'static str, String)>> =
            (n..n + count).map(|i| generator.phone(i).fields).collect();
        let json = generator.rng.chance(generator.options.json_permille);
        let mut text = String::with_capacity(count * 400);
        let ext = if json {
            write_json(&mut text, "phones", &records);
            "json"
        } else {
            write_toml(&mut text, "phones", &records);
            "toml"
        };
        let dir = Path::new("phones").join(format!("d{:04}", file_index / 100));
        emit(&dir.join(format!("f{file_index:06}.{ext}")), &text)?;
        bytes += text.len();
        files += 1;
        file_index += 1;
        n += count;
    }

    // Aliases: about one per 50 phones, members on different servers; a few
    // name a login nobody has.
    if !generator.options.findings_only {
        let aliases = (total / 50).max(1);
        let mut records = Vec::with_capacity(aliases);
        for a in 0..aliases {
            let members = 2 + generator.rng.below(2);
            let mut logins = Vec::with_capacity(members);
            for m in 0..members {
                let server = (a + m) % servers;
                let pool = generator.logins_by_server.get(server).map_or(0, Vec::len);
                if pool == 0 {
                    continue;
                }
                let pick = generator.rng.below(pool);
                if let Some(login) = generator
                    .logins_by_server
                    .get(server)
                    .and_then(|l| l.get(pick))
                {
                    logins.push(login.clone());
                }
            }
            if generator.rng.chance(generator.options.rate) {
                logins.push(format!("ghost{a}"));
                *generator.counts.entry("alias-unknown-login").or_default() += 1;
            }
            records.push(vec![
                ("alias_id", format!("desk{a:05}")),
                ("alias_name", format!("Desk {a}")),
                ("logins_list", logins.join(",")),
            ]);
        }
        for (i, chunk) in records.chunks(1000).enumerate() {
            let mut text = String::new();
            write_toml(&mut text, "aliases", chunk);
            emit(Path::new(&format!("aliases/a{i:04}.toml")), &text)?;
            bytes += text.len();
            files += 1;
        }
    }

    // Files that are not definitions: skipped by phonelint, read by `cat`.
    if !generator.options.findings_only {
        let text = "{\n  \"name\": \"phones-repo\",\n  \"private\": true\n}\n";
        emit(Path::new("package.json"), text)?;
        bytes += text.len();
        files += 1;
        // The repository's root marker, as a real repository has (or .git):
        // phonelint checks the whole repository from here.
        let text = "# phonelint configuration: the defaults\n";
        emit(Path::new("phonelint.toml"), text)?;
        bytes += text.len();
        files += 1;
    }

    Ok(Stats {
        phones: total,
        files,
        bytes,
        counts: generator.counts,
    })
}
