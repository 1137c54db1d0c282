//! VICIdial's value domains beyond column types: the time-zone strings, the
//! protocols, the characters the admin UI keeps per field, the agent login
//! screen's limits and the credentials VICIdial ships with
//! (shared/vicidial-phones.md §2-§4).

use std::net::Ipv4Addr;
use std::sync::LazyLock;

use super::kind::RecordKind;

/// `phones.protocol`: the schema's ENUM (schema line 18).
pub const PROTOCOLS: &[&str] = &["SIP", "PJSIP", "Zap", "IAX2", "EXTERNAL"];

/// Protocols VICIdial builds an Asterisk peer for: the ones that register
/// with `conf_secret` (keepalive 3635, 3807, 3971).
pub const PEER_PROTOCOLS: &[&str] = &["SIP", "IAX2", "PJSIP"];

/// Offered by the admin UI but not storable in the protocol ENUM.
pub const DAHDI: &str = "DAHDI";

/// The protocols the admin API's add_phone accepts (non_agent_api.php 5765),
/// and update_phone when it is given one (6161-6163).
pub const API_PROTOCOLS: &[&str] = &["IAX2", "SIP", "Zap", "EXTERNAL"];

/// `local_gmt`: exactly one of these strings (admin.php 10880; the API
/// rejects anything else, non_agent_api.php 5821).
pub const LOCAL_GMT: [&str; 33] = [
    "12.75", "12.00", "11.00", "10.00", "9.50", "9.00", "8.00", "7.00", "6.50", "6.00", "5.75",
    "5.50", "5.00", "4.50", "4.00", "3.50", "3.00", "2.00", "1.00", "0.00", "-1.00", "-2.00",
    "-3.00", "-3.50", "-4.00", "-5.00", "-6.00", "-7.00", "-8.00", "-9.00", "-10.00", "-11.00",
    "-12.00",
];

/// The exact VICIdial string for a local_gmt written as another spelling of
/// the same number (`-5`, `-5.0`, `+1.00`, ` 2.00 `); `None` when the text is
/// not a plain decimal or names no VICIdial offset.
pub fn local_gmt_replacement(text: &str) -> Option<&'static str> {
    let trimmed = text.trim();
    let unsigned = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let plain = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit());
    if !plain {
        return None;
    }
    let hundredths = |s: &str| -> Option<i64> {
        let negative = s.starts_with('-');
        let s = s.trim_start_matches(['+', '-']);
        let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
        let whole: i64 = whole.parse().ok()?;
        let mut digits = fraction.chars();
        let mut part = 0;
        for _ in 0..2 {
            part = part * 10 + digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0);
        }
        // Digits beyond the hundredths must be zeros to name the same offset.
        if digits.any(|c| c != '0') {
            return None;
        }
        let value = whole.checked_mul(100)?.checked_add(i64::from(part))?;
        Some(if negative { -value } else { value })
    };
    let wanted = hundredths(trimmed)?;
    LOCAL_GMT
        .into_iter()
        .find(|known| hundredths(known) == Some(wanted))
}

/// A dotted IPv4 quad, as VICIdial's keepalive parses `server_ip`.
pub fn is_dotted_ipv4(text: &str) -> bool {
    text.parse::<Ipv4Addr>().is_ok()
}

/// The characters VICIdial's admin UI keeps in a field; it silently strips
/// every other one (admin.php 3065-4350; with the `use_non_latin` system
/// setting, the sets of admin.php 4413-5092 keep any Unicode letter where
/// these keep `a-zA-Z`, except voicemail_id's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptCharacters {
    /// dialplan_number, outbound_cid, outbound_alt_cid and the feature
    /// extensions (park_on_extension, monitor_prefix, ...): `[0-9]`.
    Digits,
    /// server_ip, phone_ip, computer_ip: `[.0-9]`.
    DigitsAndDots,
    /// login, pass, conf_secret, template_id, user_group, protocol, the
    /// manager and database settings, contexts, mohsuggest,
    /// voicemail_timezone, alias_id: `[-_0-9a-zA-Z]`.
    Word,
    /// extension: `[-*#.:/@_0-9a-zA-Z]`.
    Extension,
    /// voicemail_id: `[0-9a-zA-Z]`, with or without use_non_latin.
    Alphanumeric,
    /// status, fullname, company, local_gmt, phone_type, codecs_list,
    /// alias_name: `[- .,_0-9a-zA-Z]`.
    Text,
    /// email: `[-.:/@_0-9a-zA-Z]`.
    Email,
    /// logins_list: `[-,_0-9a-zA-Z]`.
    LoginsList,
    /// voicemail_options: `[- =*#.,:/|@_0-9a-zA-Z]`.
    VoicemailOptions,
    /// voicemail_greeting: `[-/|._0-9a-zA-Z]`.
    Greeting,
}

impl KeptCharacters {
    /// The set for a field of a record kind, if the admin UI filters it.
    pub fn of(kind: RecordKind, field: &str) -> Option<Self> {
        use KeptCharacters::*;
        let set = match (kind, field) {
            (
                RecordKind::Phone,
                "dialplan_number"
                | "outbound_cid"
                | "outbound_alt_cid"
                | "park_on_extension"
                | "conf_on_extension"
                | "VICIDIAL_park_on_extension"
                | "monitor_prefix"
                | "recording_exten"
                | "voicemail_exten"
                | "voicemail_dump_exten",
            ) => Digits,
            (RecordKind::Phone, "server_ip" | "phone_ip" | "computer_ip") => DigitsAndDots,
            (
                RecordKind::Phone,
                "login" | "pass" | "conf_secret" | "template_id" | "user_group" | "protocol"
                | "ASTmgrSECRET" | "ASTmgrUSERNAME" | "login_pass" | "login_user"
                | "login_campaign" | "DBX_user" | "DBX_pass" | "DBX_database" | "DBY_user"
                | "DBY_pass" | "DBY_database" | "ext_context" | "phone_context" | "mohsuggest"
                | "voicemail_timezone",
            ) => Word,
            (RecordKind::Alias, "alias_id" | "user_group") => Word,
            (RecordKind::Alias, "alias_name") => Text,
            (RecordKind::Alias, "logins_list") => LoginsList,
            (RecordKind::Phone, "extension") => Extension,
            (RecordKind::Phone, "voicemail_id") => Alphanumeric,
            (
                RecordKind::Phone,
                "status" | "fullname" | "company" | "local_gmt" | "phone_type" | "codecs_list",
            ) => Text,
            (RecordKind::Phone, "email") => Email,
            (RecordKind::Phone, "voicemail_options") => VoicemailOptions,
            (RecordKind::Phone, "voicemail_greeting") => Greeting,
            _ => return None,
        };
        Some(set)
    }

    /// Whether the admin UI keeps every character of `text` (see
    /// [`KeptCharacters::keeps`]): one look-up per byte, the characters
    /// one by one only when a byte is not kept ASCII.
    pub fn keeps_all(self, text: &str, non_latin: bool) -> bool {
        // `non_latin` changes nothing for ASCII (only letters beyond a-z);
        // no byte beyond ASCII is kept here, so that a text that passes is
        // ASCII.
        static ASCII: LazyLock<[[bool; 256]; KeptCharacters::COUNT]> = LazyLock::new(|| {
            let mut sets = [[false; 256]; KeptCharacters::COUNT];
            for (set, kept) in sets.iter_mut().zip(KeptCharacters::ALL) {
                for (byte, keeps) in set.iter_mut().enumerate().take(128) {
                    *keeps =
                        u8::try_from(byte).is_ok_and(|byte| kept.keeps(char::from(byte), false));
                }
            }
            sets
        });
        let Some(set) = ASCII.get(self as usize) else {
            return text.chars().all(|c| self.keeps(c, non_latin));
        };
        if text
            .bytes()
            .all(|byte| set.get(usize::from(byte)).copied().unwrap_or(false))
        {
            return true;
        }
        !text.is_ascii() && text.chars().all(|c| self.keeps(c, non_latin))
    }

    const COUNT: usize = 10;
    const ALL: [KeptCharacters; KeptCharacters::COUNT] = {
        use KeptCharacters::*;
        [
            Digits,
            DigitsAndDots,
            Word,
            Extension,
            Alphanumeric,
            Text,
            Email,
            LoginsList,
            VoicemailOptions,
            Greeting,
        ]
    };

    /// Whether the admin UI keeps `c`; `non_latin` is the use_non_latin
    /// system setting.
    pub fn keeps(self, c: char, non_latin: bool) -> bool {
        use KeptCharacters::*;
        let word = c.is_ascii_digit() || is_kept_letter(c, non_latin);
        match self {
            Digits => c.is_ascii_digit(),
            DigitsAndDots => c.is_ascii_digit() || c == '.',
            Word => word || matches!(c, '-' | '_'),
            Extension => word || "-*#.:/@_".contains(c),
            Alphanumeric => c.is_ascii_alphanumeric(),
            Text => word || "- .,_".contains(c),
            Email => word || "-.:/@_".contains(c),
            LoginsList => word || "-,_".contains(c),
            VoicemailOptions => word || "- =*#.,:/|@_".contains(c),
            Greeting => word || "-/|._".contains(c),
        }
    }

    /// The set as users read it.
    pub fn describe(self, non_latin: bool) -> String {
        use KeptCharacters::*;
        let letters = if non_latin {
            "letters (any script)"
        } else {
            "letters a-z"
        };
        match self {
            Digits => "digits".to_owned(),
            DigitsAndDots => "digits and dots".to_owned(),
            Word => format!("{letters}, digits, `-` and `_`"),
            Extension => format!("{letters}, digits and `-*#.:/@_`"),
            Alphanumeric => "letters a-z and digits".to_owned(),
            Text => format!("{letters}, digits, spaces and `-.,_`"),
            Email => format!("{letters}, digits and `-.:/@_`"),
            LoginsList => format!("{letters}, digits and `-,_`"),
            VoicemailOptions => format!("{letters}, digits, spaces and `-=*#.,:/|@_`"),
            Greeting => format!("{letters}, digits and `-/|._`"),
        }
    }

    /// The value as the admin UI would save it.
    pub fn strip(self, text: &str, non_latin: bool) -> String {
        text.chars().filter(|&c| self.keeps(c, non_latin)).collect()
    }
}

/// The shortest login, alias id or password the agent login screen accepts
/// (vicidial.php 1701).
pub const AGENT_LOGIN_MIN_LEN: usize = 2;

/// A letter as VICIdial's filters keep it: `a-zA-Z`, or with the
/// `use_non_latin` system setting any Unicode letter (`\p{L}`).
pub fn is_kept_letter(c: char, non_latin: bool) -> bool {
    c.is_ascii_alphabetic() || (non_latin && c.is_alphabetic())
}

/// Whether the agent login screen can take this as a phone login or alias id:
/// letters and digits only, at least two of them (vicidial.php 976, 993,
/// 1701).
pub fn agent_login_usable(text: &str, non_latin: bool) -> bool {
    text.chars().count() >= AGENT_LOGIN_MIN_LEN
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || is_kept_letter(c, non_latin))
}

/// What the agent login screen makes of a typed phone login: it keeps only
/// `[,0-9a-zA-Z]` (vicidial.php 976; any letter with use_non_latin, 993).
pub fn agent_screen_reading(typed: &str, non_latin: bool) -> String {
    typed
        .chars()
        .filter(|&c| c.is_ascii_digit() || c == ',' || is_kept_letter(c, non_latin))
        .collect()
}

/// Whether the agent login screen keeps this character of a typed phone
/// password: `[-_0-9a-zA-Z]` (vicidial.php 977; any letter with
/// use_non_latin, 994).
pub fn agent_pass_keeps(c: char, non_latin: bool) -> bool {
    c.is_ascii_digit() || matches!(c, '-' | '_') || is_kept_letter(c, non_latin)
}

/// Phone columns holding credentials VICIdial ships with, and the shipped
/// value (schema 21, 59-65, 74, 1887-1888; admin.php 10831-10839). `login_pass`
/// has no default.
pub const SHIPPED_CREDENTIALS: [(&str, &str); 5] = [
    ("pass", "test"),
    ("conf_secret", "test"),
    ("ASTmgrSECRET", "1234"),
    ("DBX_pass", "1234"),
    ("DBY_pass", "1234"),
];

/// The shipped default credential of a phone column, if it has one.
pub fn shipped_credential(column: &str) -> Option<&'static str> {
    SHIPPED_CREDENTIALS
        .into_iter()
        .find(|(name, _)| *name == column)
        .map(|(_, value)| value)
}

/// Whether a credential's value is a placeholder for a secret kept outside
/// the repository, which phonelint cannot judge: the whole value is one of
/// - `${NAME}` (envsubst, shell, Docker Compose), NAME of ASCII letters,
///   digits and `_`, not starting with a digit;
/// - `{{ ... }}` (Jinja and Ansible, Go templates and Helm, 1Password's `op
///   inject`), printable ASCII without braces, with a letter, digit or `_`;
/// - `ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]`, a value sops
///   encrypted.
///
/// [`PLACEHOLDER_PATTERN`] says the same for the JSON Schema.
pub fn is_placeholder(value: &str) -> bool {
    let base64 = |text: &str| {
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    };
    if let Some(name) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) {
        let mut bytes = name.bytes();
        return bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_');
    }
    if let Some(inner) = value.strip_prefix("{{").and_then(|v| v.strip_suffix("}}")) {
        return inner
            .bytes()
            .all(|b| matches!(b, b' '..=b'~') && b != b'{' && b != b'}')
            && inner
                .bytes()
                .any(|b| b.is_ascii_alphanumeric() || b == b'_');
    }
    if let Some(fields) = value
        .strip_prefix("ENC[AES256_GCM,data:")
        .and_then(|v| v.strip_suffix(']'))
    {
        let mut parts = fields.split(',');
        return matches!(
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
            (Some(data), Some(iv), Some(tag), Some(ty), None)
                if base64(data)
                    && iv.strip_prefix("iv:").is_some_and(|iv| !iv.is_empty() && base64(iv))
                    && tag.strip_prefix("tag:").is_some_and(|tag| !tag.is_empty() && base64(tag))
                    && ty.strip_prefix("type:").is_some_and(|ty| !ty.is_empty() && ty.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }
    false
}

/// [`is_placeholder`] as an ECMAScript regular expression, for the schema.
pub const PLACEHOLDER_PATTERN: &str = r"^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{[ -z|~]*[A-Za-z0-9_][ -z|~]*\}\}|ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:[a-z]+\])$";

/// VICIdial's own advice for a registration password (help.php 4521); a site
/// may ask for more (`[site] min_secret_length`).
pub const STRONG_SECRET_MIN_LEN: usize = 8;

/// What a secret lacks against VICIdial's advice: at least `min_len`
/// characters (8 unless the site says otherwise), a lower case letter, an
/// upper case letter and a digit. Empty when strong.
pub fn secret_weaknesses(secret: &str, min_len: usize) -> Vec<String> {
    let mut missing = Vec::new();
    // Nearly every secret is ASCII: its bytes are read once for all four.
    let (length, lower, upper, digit) = if secret.is_ascii() {
        let (mut lower, mut upper, mut digit) = (false, false, false);
        for byte in secret.bytes() {
            lower |= byte.is_ascii_lowercase();
            upper |= byte.is_ascii_uppercase();
            digit |= byte.is_ascii_digit();
        }
        (secret.len(), lower, upper, digit)
    } else {
        (
            secret.chars().count(),
            secret.chars().any(char::is_lowercase),
            secret.chars().any(char::is_uppercase),
            secret.chars().any(|c| c.is_ascii_digit()),
        )
    };
    if length < min_len {
        missing.push(format!("shorter than {min_len} characters"));
    }
    if !lower {
        missing.push("no lower case letter".to_owned());
    }
    if !upper {
        missing.push("no upper case letter".to_owned());
    }
    if !digit {
        missing.push("no digit".to_owned());
    }
    missing
}

/// The keys of VICIdial's default `voicemail_timezones` system setting
/// (MySQL_AST_CREATE_tables.sql 5478).
pub const VOICEMAIL_TIMEZONES: [&str; 38] = [
    "newzealand",
    "australiaeast",
    "australiacentral",
    "australiawest",
    "japan",
    "philippines",
    "china",
    "malaysia",
    "thailand",
    "india",
    "pakistan",
    "russiaeast",
    "kenya",
    "europeaneast",
    "southafrica",
    "european",
    "nigeria",
    "uk",
    "brazil",
    "newfoundland",
    "carribeaneast",
    "atlantic",
    "chile",
    "eastern",
    "peru",
    "central",
    "mexicocity",
    "mountain",
    "arizona",
    "saskatchewan",
    "pacific",
    "alaska",
    "hawaii",
    "eastern24",
    "central24",
    "mountain24",
    "pacific24",
    "military",
];

/// Webphone settings: they matter only when `is_webphone` is not N.
pub fn is_webphone_setting(column: &str) -> bool {
    column.starts_with("webphone_") || column == "use_external_server_ip"
}

/// A phone_type VICIdial's live-channel tracking treats as a trunk: its
/// queries exclude `phone_type NOT LIKE "%trunk%"` from the phones
/// (AST_update_AMI2.pl 1274, AST_update.pl 373), which under the database's
/// collation ignores case and accents.
pub fn is_trunk_phone_type(phone_type: &str) -> bool {
    super::collation::folded_contains(phone_type, "trunk")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_all_is_keeps_of_every_character() {
        for (position, kept) in KeptCharacters::ALL.into_iter().enumerate() {
            assert_eq!(kept as usize, position);
            let texts = (0..128u8).map(|byte| char::from(byte).to_string()).chain(
                [
                    "", "cc100", "a-b_c", "10.0.0.1", "x y", "é", "aé", "é!", "a\u{7f}",
                ]
                .map(str::to_owned),
            );
            for text in texts {
                for non_latin in [false, true] {
                    assert_eq!(
                        kept.keeps_all(&text, non_latin),
                        text.chars().all(|c| kept.keeps(c, non_latin)),
                        "{kept:?} {text:?} {non_latin}"
                    );
                }
            }
        }
    }

    #[test]
    fn local_gmt_spellings_map_to_the_exact_string() {
        assert_eq!(local_gmt_replacement("-5"), Some("-5.00"));
        assert_eq!(local_gmt_replacement("-5.0"), Some("-5.00"));
        assert_eq!(local_gmt_replacement("+1.00"), Some("1.00"));
        assert_eq!(local_gmt_replacement(" 9.5 "), Some("9.50"));
        assert_eq!(local_gmt_replacement("12.750"), Some("12.75"));
        assert_eq!(local_gmt_replacement("-0"), Some("0.00"));
        assert_eq!(local_gmt_replacement("-5.5"), None);
        assert_eq!(local_gmt_replacement("5.751"), None);
        assert_eq!(local_gmt_replacement("1e1"), None);
        assert_eq!(local_gmt_replacement("EST"), None);
        assert_eq!(local_gmt_replacement(""), None);
        assert_eq!(local_gmt_replacement("99999999999999999999"), None);
        for known in LOCAL_GMT {
            assert_eq!(local_gmt_replacement(known), Some(known));
        }
    }

    #[test]
    fn placeholders_are_whole_values_of_three_shapes() {
        for placeholder in [
            "${PHONE_PASS}",
            "${_x1}",
            "{{ phone_pass }}",
            "{{vault_cc100}}",
            "{{ .Values.phones.cc100.pass }}",
            "{{ op://phones/cc100/pass }}",
            "ENC[AES256_GCM,data:q83h1A==,iv:Jk3Q+z5v/8=,tag:N0u6kX9t==,type:str]",
        ] {
            assert!(is_placeholder(placeholder), "{placeholder}");
        }
        for value in [
            "",
            "test",
            "$PHONE_PASS",
            "${}",
            "${1X}",
            "${PHONE-PASS}",
            "${A}${B}",
            "x${A}",
            "${A} ",
            "{{ }}",
            "{{ a }}x",
            "{{ {a} }}",
            "{{ a\n }}",
            "{{ a\t}}",
            "{{ é1 }}",
            "ENC[AES256_GCM,data:abc]",
            "ENC[AES256_GCM,data:a,iv:b,tag:c,type:str,x]",
            "ENC[AES256_GCM,data:a,iv:,tag:c,type:str]",
            "ENC[AES256_GCM,data:a b,iv:b,tag:c,type:str]",
            "ENC[AES256_GCM,data:a,iv:b,tag:c,type:STR]",
        ] {
            assert!(!is_placeholder(value), "{value:?}");
        }
    }

    #[test]
    fn ipv4_is_a_dotted_quad() {
        assert!(is_dotted_ipv4("10.10.10.15"));
        assert!(!is_dotted_ipv4("10.10.10"));
        assert!(!is_dotted_ipv4("10.10.10.256"));
        assert!(!is_dotted_ipv4("dialer1"));
        assert!(!is_dotted_ipv4(" 10.10.10.15"));
    }

    #[test]
    fn kept_characters_follow_the_admin_ui() {
        let set = KeptCharacters::of(RecordKind::Phone, "dialplan_number").unwrap();
        assert_eq!(set.strip("830-0 1", false), "83001");
        let login = KeptCharacters::of(RecordKind::Phone, "login").unwrap();
        assert!(login.keeps('_', false) && !login.keeps(' ', false) && !login.keeps('é', false));
        assert!(login.keeps('é', true) && !login.keeps('²', true));
        let voicemail = KeptCharacters::of(RecordKind::Phone, "voicemail_id").unwrap();
        assert!(!voicemail.keeps('é', true));
        assert!(KeptCharacters::of(RecordKind::Alias, "alias_id").is_some());
        assert!(KeptCharacters::of(RecordKind::Server, "server_ip").is_none());
        let email = KeptCharacters::of(RecordKind::Phone, "email").unwrap();
        assert_eq!(email.strip("a+b@example.com", false), "ab@example.com");
    }

    #[test]
    fn agent_logins_and_secrets() {
        assert!(agent_login_usable("cc100", false));
        assert!(!agent_login_usable("cc-100", false));
        assert!(!agent_login_usable("7", false));
        assert!(!agent_login_usable("émile", false));
        assert!(agent_login_usable("émile", true));
        assert_eq!(agent_screen_reading("cc_1 00,a", false), "cc100,a");
        assert!(agent_pass_keeps('-', false) && !agent_pass_keeps('@', true));
        assert!(!agent_pass_keeps('é', false) && agent_pass_keeps('é', true));
        assert!(secret_weaknesses("Rr8xkq2Lw", STRONG_SECRET_MIN_LEN).is_empty());
        assert_eq!(
            secret_weaknesses("Rr8xkq2Lw", 12),
            ["shorter than 12 characters"]
        );
        assert_eq!(
            secret_weaknesses("abc", STRONG_SECRET_MIN_LEN),
            [
                "shorter than 8 characters",
                "no upper case letter",
                "no digit"
            ]
        );
        assert_eq!(shipped_credential("DBX_pass"), Some("1234"));
        assert_eq!(shipped_credential("email"), None);
    }
}
