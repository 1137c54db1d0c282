//! VICIdial's columns for phones, phone aliases and servers: names, types,
//! lengths, allowed values and schema defaults. This table is the single source
//! of truth that the rules, `phonelint explain` and the JSON Schema read.
//!
//! Taken from VICIdial's schema (extras/MySQL_AST_CREATE_tables.sql, schema
//! version 1728) as recorded in shared/vicidial-phones.md §5-§7 and in the
//! `CREATE TABLE` statements of a real mysqldump of that schema.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::column::{Column, ColumnType};
use super::kind::RecordKind;
use super::values::PROTOCOLS;
use crate::text::hash::FnvBuild;
use crate::text::suggest::Dictionary;

/// The `phones` table, in schema order.
pub static PHONE_COLUMNS: &[Column] = &[
    Column::new("extension", ColumnType::Varchar(100), None)
        .doc("The phone's extension; with server_ip, VICIdial's only unique key for phones."),
    Column::new("dialplan_number", ColumnType::Varchar(20), None)
        .doc("The number dialed to reach this phone; digits only in the admin UI."),
    Column::new("voicemail_id", ColumnType::Varchar(10), None)
        .doc("Voicemail box; phones sharing one get a single box, built from whichever active phone MySQL returns first."),
    Column::new("phone_ip", ColumnType::Varchar(15), None)
        .doc("Written by VICIdial at run time (AMI listener); not for a definition.").runtime(),
    Column::new("computer_ip", ColumnType::Varchar(15), None)
        .doc("Written by VICIdial at run time; not for a definition.").runtime(),
    Column::new("server_ip", ColumnType::Varchar(15), None)
        .doc("IPv4 address of the VICIdial/Asterisk server this phone lives on; must name an existing server."),
    Column::new("login", ColumnType::Varchar(15), None)
        .doc("Phone login typed at the agent login screen; unique across all phones and aliases."),
    Column::new("pass", ColumnType::Varchar(100), None)
        .doc("Phone password; also the voicemail PIN.").secret(),
    Column::new("status", ColumnType::Varchar(10), None)
        .doc("Documented as the permission (ACTIVE: GUI clients work; ADMIN: also the admin web site; SUSPENDED, CLOSED, PENDING: blocked), but read by no VICIdial code: active decides."),
    Column::new("active", ColumnType::YesNo, None)
        .doc("Active Account: agent login requires Y, and VICIdial builds SIP/IAX peers and voicemail boxes only for active phones."),
    Column::new("phone_type", ColumnType::Varchar(50), None)
        .doc("Free text; a value containing \"trunk\" makes VICIdial track the device as a trunk."),
    Column::new("fullname", ColumnType::Varchar(50), None)
        .doc("The phone's display name."),
    Column::new("company", ColumnType::Varchar(10), None),
    Column::new("picture", ColumnType::Varchar(19), None),
    Column::new("messages", ColumnType::Integer { min: -2147483648, max: 2147483647 }, None)
        .doc("Written by VICIdial at run time; not for a definition.").runtime(),
    Column::new("old_messages", ColumnType::Integer { min: -2147483648, max: 2147483647 }, None)
        .doc("Written by VICIdial at run time; not for a definition.").runtime(),
    Column::new("protocol", ColumnType::Enum(PROTOCOLS), Some("SIP"))
        .doc("SIP, PJSIP, Zap, IAX2 or EXTERNAL."),
    Column::new("local_gmt", ColumnType::Varchar(6), Some("-5.00"))
        .doc("Time-zone offset: the add form offers 33 strings such as -5.00; the agent screen reads it as a number."),
    Column::new("ASTmgrUSERNAME", ColumnType::Varchar(20), Some("cron")),
    Column::new("ASTmgrSECRET", ColumnType::Varchar(20), Some("1234"))
        .doc("Asterisk manager secret; the shipped default 1234 is public.").secret(),
    Column::new("login_user", ColumnType::Varchar(20), None),
    Column::new("login_pass", ColumnType::Varchar(100), None)
        .doc("Password used by the GUI client for automatic login.").secret(),
    Column::new("login_campaign", ColumnType::Varchar(10), None),
    Column::new("park_on_extension", ColumnType::Varchar(10), Some("8301")),
    Column::new("conf_on_extension", ColumnType::Varchar(10), Some("8302")),
    Column::new("VICIDIAL_park_on_extension", ColumnType::Varchar(10), Some("8301")),
    Column::new("VICIDIAL_park_on_filename", ColumnType::Varchar(10), Some("park")),
    Column::new("monitor_prefix", ColumnType::Varchar(10), Some("8612")),
    Column::new("recording_exten", ColumnType::Varchar(10), Some("8309")),
    Column::new("voicemail_exten", ColumnType::Varchar(10), Some("8501")),
    Column::new("voicemail_dump_exten", ColumnType::Varchar(20), Some("85026666666666")),
    Column::new("ext_context", ColumnType::Varchar(20), Some("default")),
    Column::new("dtmf_send_extension", ColumnType::Varchar(100), Some("local/8500998@default")),
    Column::new("call_out_number_group", ColumnType::Varchar(100), Some("Zap/g2/")),
    Column::new("client_browser", ColumnType::Varchar(100), Some("/usr/bin/mozilla")),
    Column::new("install_directory", ColumnType::Varchar(100), Some("/usr/local/perl_TK")),
    Column::new("local_web_callerID_URL", ColumnType::Varchar(255), Some("http://www.vicidial.org/test_callerid_output.php")),
    Column::new("VICIDIAL_web_URL", ColumnType::Varchar(255), Some("http://www.vicidial.org/test_VICIDIAL_output.php")),
    Column::new("AGI_call_logging_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("user_switching_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("conferencing_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("admin_hangup_enabled", ColumnType::ZeroOne, Some("0")),
    Column::new("admin_hijack_enabled", ColumnType::ZeroOne, Some("0")),
    Column::new("admin_monitor_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("call_parking_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("updater_check_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("AFLogging_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("QUEUE_ACTION_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("CallerID_popup_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("voicemail_button_enabled", ColumnType::ZeroOne, Some("1")),
    Column::new("enable_fast_refresh", ColumnType::ZeroOne, Some("0")),
    Column::new("fast_refresh_rate", ColumnType::Integer { min: -2147483648, max: 2147483647 }, Some("1000")),
    Column::new("enable_persistant_mysql", ColumnType::ZeroOne, Some("0")),
    Column::new("auto_dial_next_number", ColumnType::ZeroOne, Some("1")),
    Column::new("VDstop_rec_after_each_call", ColumnType::ZeroOne, Some("1")),
    Column::new("DBX_server", ColumnType::Varchar(15), None),
    Column::new("DBX_database", ColumnType::Varchar(15), Some("asterisk")),
    Column::new("DBX_user", ColumnType::Varchar(15), Some("cron")),
    Column::new("DBX_pass", ColumnType::Varchar(15), Some("1234"))
        .doc("Primary database password for the GUI client; the shipped default 1234 is public.").secret(),
    Column::new("DBX_port", ColumnType::Integer { min: -2147483648, max: 2147483647 }, Some("3306")),
    Column::new("DBY_server", ColumnType::Varchar(15), None),
    Column::new("DBY_database", ColumnType::Varchar(15), Some("asterisk")),
    Column::new("DBY_user", ColumnType::Varchar(15), Some("cron")),
    Column::new("DBY_pass", ColumnType::Varchar(15), Some("1234"))
        .doc("Secondary database password for the GUI client; the shipped default 1234 is public.").secret(),
    Column::new("DBY_port", ColumnType::Integer { min: -2147483648, max: 2147483647 }, Some("3306")),
    Column::new("outbound_cid", ColumnType::Varchar(20), None)
        .doc("Outbound caller ID: digits only."),
    Column::new("enable_sipsak_messages", ColumnType::ZeroOne, Some("0")),
    Column::new("email", ColumnType::Varchar(100), None)
        .doc("Voicemail e-mail address."),
    Column::new("template_id", ColumnType::Varchar(15), None).not_null()
        .doc("Conf template: empty, --NONE-- or an existing template."),
    Column::new("conf_override", ColumnType::Text, None)
        .doc("Extra Asterisk configuration for this phone; used only when longer than 10 characters."),
    Column::new("phone_context", ColumnType::Varchar(20), Some("default")),
    Column::new("phone_ring_timeout", ColumnType::Integer { min: -32768, max: 32767 }, Some("60"))
        .doc("Seconds to ring; the API accepts 2-180."),
    Column::new("conf_secret", ColumnType::Varchar(100), Some("test"))
        .doc("SIP/IAX registration secret; the schema default is `test`.").secret(),
    Column::new("delete_vm_after_email", ColumnType::YesNo, Some("N")),
    Column::new("is_webphone", ColumnType::Enum(&["Y", "N", "Y_API_LAUNCH"]), Some("N"))
        .doc("Y, N or Y_API_LAUNCH; webphone_* settings apply only when not N."),
    Column::new("use_external_server_ip", ColumnType::YesNo, Some("N")),
    Column::new("codecs_list", ColumnType::Varchar(100), Some(""))
        .doc("Comma-separated codec list."),
    Column::new("codecs_with_template", ColumnType::ZeroOne, Some("0")),
    Column::new("webphone_dialpad", ColumnType::Enum(&["Y", "N", "TOGGLE", "TOGGLE_OFF"]), Some("Y")),
    Column::new("on_hook_agent", ColumnType::YesNo, Some("N")),
    Column::new("webphone_auto_answer", ColumnType::YesNo, Some("Y")),
    Column::new("voicemail_timezone", ColumnType::Varchar(30), Some("eastern"))
        .doc("Voicemail time zone name."),
    Column::new("voicemail_options", ColumnType::Varchar(255), Some("")),
    Column::new("user_group", ColumnType::Varchar(20), Some("---ALL---"))
        .doc("`---ALL---` or an existing user group."),
    Column::new("voicemail_greeting", ColumnType::Varchar(100), Some("")),
    Column::new("voicemail_dump_exten_no_inst", ColumnType::Varchar(20), Some("85026666666667")),
    Column::new("voicemail_instructions", ColumnType::YesNo, Some("Y")),
    Column::new("on_login_report", ColumnType::YesNo, Some("N")).not_null(),
    Column::new("unavail_dialplan_fwd_exten", ColumnType::Varchar(40), Some("")),
    Column::new("unavail_dialplan_fwd_context", ColumnType::Varchar(100), Some("")),
    Column::new("nva_call_url", ColumnType::Text, None),
    Column::new("nva_search_method", ColumnType::Varchar(40), Some("NONE")),
    Column::new("nva_error_filename", ColumnType::Varchar(255), Some("")),
    Column::new("nva_new_list_id", ColumnType::Integer { min: 0, max: 9223372036854775807 }, Some("995")),
    Column::new("nva_new_phone_code", ColumnType::Varchar(10), Some("1")),
    Column::new("nva_new_status", ColumnType::Varchar(6), Some("NVAINS")),
    Column::new("webphone_dialbox", ColumnType::YesNo, Some("Y")),
    Column::new("webphone_mute", ColumnType::YesNo, Some("Y")),
    Column::new("webphone_volume", ColumnType::YesNo, Some("Y")),
    Column::new("webphone_debug", ColumnType::YesNo, Some("N")),
    Column::new("outbound_alt_cid", ColumnType::Varchar(20), Some("")),
    Column::new("conf_qualify", ColumnType::YesNo, Some("Y")),
    Column::new("webphone_layout", ColumnType::Varchar(255), Some("")),
    Column::new("mohsuggest", ColumnType::Varchar(100), Some("")),
    Column::new("peer_status", ColumnType::Enum(&["UNKNOWN", "REGISTERED", "UNREGISTERED", "REACHABLE", "LAGGED", "UNREACHABLE"]), Some("UNKNOWN")).not_null()
        .doc("Written by VICIdial at run time; not for a definition.").runtime(),
    Column::new("ping_time", ColumnType::Integer { min: -32768, max: 32767 }, None)
        .doc("Written by VICIdial at run time; not for a definition.").runtime(),
    Column::new("webphone_settings", ColumnType::Varchar(40), Some("VICIPHONE_SETTINGS")),
];

/// The `phones_alias` table.
pub static ALIAS_COLUMNS: &[Column] = &[
    Column::new("alias_id", ColumnType::Varchar(20), None)
        .not_null()
        .doc("Alias login, 2-20 characters; must not equal any phone login."),
    Column::new("alias_name", ColumnType::Varchar(50), None)
        .doc("Descriptive name, 2-50 characters."),
    Column::new("logins_list", ColumnType::Varchar(255), None)
        .doc("Member phone logins: a comma-separated string or an array of strings.")
        .list(),
    Column::new("user_group", ColumnType::Varchar(20), Some("---ALL---"))
        .doc("`---ALL---` or an existing user group."),
];

/// The `servers` table.
pub static SERVER_COLUMNS: &[Column] = &[
    Column::new("server_id", ColumnType::Varchar(10), None)
        .not_null()
        .doc("Unique server id."),
    Column::new("server_description", ColumnType::Varchar(255), None),
    Column::new("server_ip", ColumnType::Varchar(15), None)
        .not_null()
        .doc("The server's IPv4 address; phones refer to it by server_ip."),
    Column::new("active", ColumnType::YesNo, None).doc("Whether the server is active."),
    Column::new(
        "asterisk_version",
        ColumnType::Varchar(20),
        Some("1.4.21.2"),
    ),
    Column::new(
        "max_vicidial_trunks",
        ColumnType::Integer {
            min: -32768,
            max: 32767,
        },
        Some("23"),
    ),
    Column::new("telnet_host", ColumnType::Varchar(20), Some("localhost")).not_null(),
    Column::new(
        "telnet_port",
        ColumnType::Integer {
            min: -2147483648,
            max: 2147483647,
        },
        Some("5038"),
    )
    .not_null(),
    Column::new("ASTmgrUSERNAME", ColumnType::Varchar(20), Some("cron")).not_null(),
    Column::new("ASTmgrSECRET", ColumnType::Varchar(20), Some("1234"))
        .not_null()
        .doc("Asterisk manager secret; the shipped default 1234 is public.")
        .secret(),
    Column::new(
        "ASTmgrUSERNAMEupdate",
        ColumnType::Varchar(20),
        Some("updatecron"),
    )
    .not_null(),
    Column::new(
        "ASTmgrUSERNAMElisten",
        ColumnType::Varchar(20),
        Some("listencron"),
    )
    .not_null(),
    Column::new(
        "ASTmgrUSERNAMEsend",
        ColumnType::Varchar(20),
        Some("sendcron"),
    )
    .not_null(),
    Column::new("local_gmt", ColumnType::Varchar(6), Some("-5.00")),
    Column::new(
        "voicemail_dump_exten",
        ColumnType::Varchar(20),
        Some("85026666666666"),
    )
    .not_null(),
    Column::new(
        "answer_transfer_agent",
        ColumnType::Varchar(20),
        Some("8365"),
    )
    .not_null(),
    Column::new("ext_context", ColumnType::Varchar(20), Some("default")).not_null(),
    Column::new("sys_perf_log", ColumnType::YesNo, Some("N")),
    Column::new("vd_server_logs", ColumnType::YesNo, Some("Y")),
    Column::new(
        "agi_output",
        ColumnType::Enum(&["NONE", "STDERR", "FILE", "BOTH"]),
        Some("FILE"),
    ),
    Column::new("vicidial_balance_active", ColumnType::YesNo, Some("N")),
    Column::new(
        "balance_trunks_offlimits",
        ColumnType::Integer { min: 0, max: 65535 },
        Some("0"),
    ),
    Column::new(
        "recording_web_link",
        ColumnType::Enum(&["SERVER_IP", "ALT_IP", "EXTERNAL_IP"]),
        Some("SERVER_IP"),
    ),
    Column::new("alt_server_ip", ColumnType::Varchar(100), Some("")),
    Column::new("active_asterisk_server", ColumnType::YesNo, Some("Y"))
        .doc("Whether this server runs Asterisk for VICIdial."),
    Column::new("generate_vicidial_conf", ColumnType::YesNo, Some("Y")),
    Column::new("rebuild_conf_files", ColumnType::YesNo, Some("Y")),
    Column::new(
        "outbound_calls_per_second",
        ColumnType::Integer { min: 0, max: 65535 },
        Some("5"),
    ),
    Column::new(
        "sysload",
        ColumnType::Integer {
            min: -2147483648,
            max: 2147483647,
        },
        Some("0"),
    )
    .not_null()
    .runtime(),
    Column::new(
        "channels_total",
        ColumnType::Integer { min: 0, max: 65535 },
        Some("0"),
    )
    .not_null()
    .runtime(),
    Column::new(
        "cpu_idle_percent",
        ColumnType::Integer { min: 0, max: 65535 },
        Some("0"),
    )
    .not_null()
    .runtime(),
    Column::new("disk_usage", ColumnType::Varchar(255), Some("1")).runtime(),
    Column::new("sounds_update", ColumnType::YesNo, Some("N")),
    Column::new(
        "vicidial_recording_limit",
        ColumnType::Integer {
            min: -8388608,
            max: 8388607,
        },
        Some("60"),
    ),
    Column::new("carrier_logging_active", ColumnType::YesNo, Some("Y")),
    Column::new(
        "vicidial_balance_rank",
        ColumnType::Integer { min: 0, max: 255 },
        Some("0"),
    ),
    Column::new("rebuild_music_on_hold", ColumnType::YesNo, Some("Y")),
    Column::new("active_agent_login_server", ColumnType::YesNo, Some("Y"))
        .doc("Agents may log in to phones on this server only when Y."),
    Column::new("conf_secret", ColumnType::Varchar(100), Some("test"))
        .doc("Registration secret for the server; the schema default is `test`.")
        .secret(),
    Column::new("external_server_ip", ColumnType::Varchar(100), Some("")),
    Column::new("custom_dialplan_entry", ColumnType::Text, None),
    Column::new("active_twin_server_ip", ColumnType::Varchar(15), Some("")),
    Column::new("user_group", ColumnType::Varchar(20), Some("---ALL---")),
    Column::new("audio_store_purge", ColumnType::Text, None),
    Column::new(
        "svn_revision",
        ColumnType::Integer {
            min: -2147483648,
            max: 2147483647,
        },
        Some("0"),
    )
    .runtime(),
    Column::new("svn_info", ColumnType::Text, None).runtime(),
    Column::new("system_uptime", ColumnType::Varchar(255), Some("")).runtime(),
    Column::new("auto_restart_asterisk", ColumnType::YesNo, Some("N")),
    Column::new("asterisk_temp_no_restart", ColumnType::YesNo, Some("N")),
    Column::new(
        "voicemail_dump_exten_no_inst",
        ColumnType::Varchar(20),
        Some("85026666666667"),
    ),
    Column::new("gather_asterisk_output", ColumnType::YesNo, Some("N")),
    Column::new("web_socket_url", ColumnType::Varchar(255), Some("")),
    Column::new("conf_qualify", ColumnType::YesNo, Some("Y")),
    Column::new("routing_prefix", ColumnType::Varchar(10), Some("13")),
    Column::new(
        "external_web_socket_url",
        ColumnType::Varchar(255),
        Some(""),
    ),
    Column::new(
        "conf_engine",
        ColumnType::Enum(&["MEETME", "CONFBRIDGE"]),
        Some("MEETME"),
    ),
    Column::new(
        "conf_update_interval",
        ColumnType::Integer {
            min: -32768,
            max: 32767,
        },
        Some("60"),
    )
    .not_null(),
    Column::new("ara_url", ColumnType::Text, None),
];

/// The columns of a record kind, in schema order.
pub fn columns(kind: RecordKind) -> &'static [Column] {
    match kind {
        RecordKind::Phone => PHONE_COLUMNS,
        RecordKind::Alias => ALIAS_COLUMNS,
        RecordKind::Server => SERVER_COLUMNS,
    }
}

/// Names (a table's columns) filed by their length and first byte: a
/// look-up compares the one or two names in its bucket, cheaper than hashing
/// the key (every key of every record is looked up several times).
struct ByName<T: 'static> {
    /// The items and their names, sorted by (length, first byte) of the names.
    sorted: Vec<(&'static str, &'static T)>,
    /// For each (length, first byte) under [`ByName::LONGEST`] and 128,
    /// where its items start in `sorted`; one more entry ends the last.
    starts: Vec<u16>,
}

impl<T> ByName<T> {
    const LONGEST: usize = 64;

    fn bucket(name: &[u8]) -> Option<usize> {
        let first = usize::from(*name.first()?);
        (name.len() < Self::LONGEST && first < 128).then_some(name.len() * 128 + first)
    }

    fn new(items: impl IntoIterator<Item = &'static T>, name: fn(&T) -> &'static str) -> Self {
        let mut sorted: Vec<(&'static str, &'static T)> =
            items.into_iter().map(|item| (name(item), item)).collect();
        sorted.sort_by_key(|(name, _)| Self::bucket(name.as_bytes()));
        let buckets = Self::LONGEST * 128;
        let mut starts = Vec::with_capacity(buckets + 1);
        let mut at = 0;
        for bucket in 0..=buckets {
            while sorted
                .get(at)
                .is_some_and(|(name, _)| Self::bucket(name.as_bytes()) < Some(bucket))
            {
                at += 1;
            }
            starts.push(u16::try_from(at).unwrap_or(u16::MAX));
        }
        Self { sorted, starts }
    }

    fn get(&self, name: &str) -> Option<&'static T> {
        let bucket = Self::bucket(name.as_bytes())?;
        let start = usize::from(*self.starts.get(bucket)?);
        let end = usize::from(*self.starts.get(bucket + 1)?);
        // A loaded key spelt as a column is the column's own name (see
        // `known_name`): the same address, of the same length in this
        // bucket, is the same name without comparing its bytes.
        self.sorted
            .get(start..end)?
            .iter()
            .find(|(item, _)| {
                std::ptr::eq(item.as_ptr(), name.as_ptr())
                    || crate::text::bytes::same_short(item.as_bytes(), name.as_bytes())
            })
            .map(|(_, item)| *item)
    }
}

type ColumnIndex = ByName<Column>;

fn column_index(columns: &'static [Column]) -> ColumnIndex {
    ByName::new(columns, |column| column.name)
}

static PHONE_INDEX: LazyLock<ColumnIndex> = LazyLock::new(|| column_index(PHONE_COLUMNS));
static ALIAS_INDEX: LazyLock<ColumnIndex> = LazyLock::new(|| column_index(ALIAS_COLUMNS));
static SERVER_INDEX: LazyLock<ColumnIndex> = LazyLock::new(|| column_index(SERVER_COLUMNS));

/// The column `name` of a record kind, spelled exactly as VICIdial spells it.
pub fn column(kind: RecordKind, name: &str) -> Option<&'static Column> {
    let index = match kind {
        RecordKind::Phone => &*PHONE_INDEX,
        RecordKind::Alias => &*ALIAS_INDEX,
        RecordKind::Server => &*SERVER_INDEX,
    };
    index.get(name)
}

/// The columns of each record kind as a dictionary of names, built once:
/// every unknown key of every record is looked up in one.
static PHONE_NAMES: LazyLock<Dictionary<'static>> =
    LazyLock::new(|| Dictionary::unlimited(PHONE_COLUMNS.iter().map(|c| c.name)));
static ALIAS_NAMES: LazyLock<Dictionary<'static>> =
    LazyLock::new(|| Dictionary::unlimited(ALIAS_COLUMNS.iter().map(|c| c.name)));
static SERVER_NAMES: LazyLock<Dictionary<'static>> =
    LazyLock::new(|| Dictionary::unlimited(SERVER_COLUMNS.iter().map(|c| c.name)));

/// The column name of a record kind that `key` most likely misspells, as
/// [`crate::text::suggest::closest`] finds it among [`columns`]`(kind)`.
pub fn closest_column(kind: RecordKind, key: &str) -> Option<&'static str> {
    /// Answers given on this thread, by kind then key: an unknown key is
    /// asked about twice (whether it is a misspelt credential, and for the
    /// suggestion), and files repeat their misspellings record after
    /// record, where a look-up compares the key with scores of names.
    type Answers = [HashMap<String, Option<&'static str>, FnvBuild>; 3];
    thread_local! {
        static ANSWERS: RefCell<Answers> = RefCell::default();
    }
    /// Keys remembered per kind and thread, at most: then forgotten.
    const REMEMBERED: usize = 4096;
    let (names, slot) = match kind {
        RecordKind::Phone => (&*PHONE_NAMES, 0),
        RecordKind::Alias => (&*ALIAS_NAMES, 1),
        RecordKind::Server => (&*SERVER_NAMES, 2),
    };
    ANSWERS.with_borrow_mut(|answers| {
        let Some(answers) = answers.get_mut(slot) else {
            return names.closest(key);
        };
        if let Some(answer) = answers.get(key) {
            return *answer;
        }
        let answer = names.closest(key);
        if answers.len() >= REMEMBERED {
            answers.clear();
        }
        answers.insert(key.to_owned(), answer);
        answer
    })
}

/// Every column name of every record kind and the three section names.
static KNOWN_NAMES: LazyLock<ByName<&'static str>> = LazyLock::new(|| {
    let names: HashSet<&'static str> = RecordKind::ALL
        .into_iter()
        .flat_map(|kind| columns(kind).iter().map(|c| c.name))
        .chain(RecordKind::ALL.map(RecordKind::section))
        .collect();
    // Built once for the whole run: its names may live as long.
    let names: &'static [&'static str] = Vec::from_iter(names).leak();
    ByName::new(names, |name| name)
});

/// `name` as a `'static` string when it is a column or section name, so that
/// loaded keys need not own a copy.
pub fn known_name(name: &str) -> Option<&'static str> {
    KNOWN_NAMES.get(name).copied()
}

/// Every column name of every record kind, in ASCII lower case.
static LOWER_CASE_COLUMNS: LazyLock<HashSet<String, FnvBuild>> = LazyLock::new(|| {
    RecordKind::ALL
        .into_iter()
        .flat_map(|kind| columns(kind).iter().map(|c| c.name.to_ascii_lowercase()))
        .collect()
});

/// Whether `name` is a column of some record kind, ignoring ASCII case
/// (`Server_IP` is `server_ip` mistyped).
pub fn is_column_ignoring_case(name: &str) -> bool {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        LOWER_CASE_COLUMNS.contains(&name.to_ascii_lowercase())
    } else {
        LOWER_CASE_COLUMNS.contains(name)
    }
}

/// The columns that name a record: a phone's `extension` (with its
/// `server_ip`), an alias's `alias_id`, a server's `server_id` and
/// `server_ip`.
pub const IDENTIFYING_COLUMNS: [&str; 4] = ["extension", "server_ip", "alias_id", "server_id"];

/// Columns a phone must set, non-empty: VICIdial's admin refuses to add or
/// modify a phone without them (admin.php 14938, 19723).
pub const REQUIRED_PHONE_COLUMNS: [&str; 6] = [
    "extension",
    "dialplan_number",
    "voicemail_id",
    "server_ip",
    "login",
    "pass",
];

/// The credential columns of each kind, listed once: every field of every
/// record is compared with them, and their names are searched for in text.
static CREDENTIAL_COLUMNS: LazyLock<Vec<(RecordKind, &'static str)>> = LazyLock::new(|| {
    RecordKind::ALL
        .into_iter()
        .flat_map(|kind| {
            columns(kind)
                .iter()
                .filter(|c| c.secret)
                .map(move |c| (kind, c.name))
        })
        .collect()
});

/// Whether `key` names a credential column of some record kind, case
/// ignored (MySQL compares column names so).
pub fn is_credential_name(key: &str) -> bool {
    CREDENTIAL_COLUMNS
        .iter()
        .any(|(_, name)| name.eq_ignore_ascii_case(key))
}

/// Whether `key` names a credential column of records of `kind`, case
/// ignored (MySQL compares column names so).
pub fn is_credential(kind: RecordKind, key: &str) -> bool {
    CREDENTIAL_COLUMNS
        .iter()
        .any(|(of, name)| *of == kind && name.eq_ignore_ascii_case(key))
}

/// [`is_credential`] of a column's own name, without comparing it with every
/// credential's: a column is one when it is secret, or when its name is a
/// credential's but for case (no column's is, but the tables may grow one).
pub fn is_credential_column(kind: RecordKind, column: &Column) -> bool {
    static CASE_TWINS: LazyLock<bool> = LazyLock::new(|| {
        RecordKind::ALL.into_iter().any(|kind| {
            columns(kind)
                .iter()
                .any(|column| !column.secret && is_credential(kind, column.name))
        })
    });
    column.secret || (*CASE_TWINS && is_credential(kind, column.name))
}

/// The name of every credential column, of every kind (a name may repeat).
pub fn credential_names() -> impl Iterator<Item = &'static str> {
    CREDENTIAL_COLUMNS.iter().map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_a_credential_as_its_name_is() {
        for kind in RecordKind::ALL {
            for column in columns(kind) {
                assert_eq!(
                    is_credential_column(kind, column),
                    is_credential(kind, column.name),
                    "{kind:?} {}",
                    column.name
                );
            }
        }
    }

    #[test]
    fn closest_column_agrees_with_closest() {
        for kind in RecordKind::ALL {
            let names = || columns(kind).iter().map(|c| c.name);
            let typos = [
                "pas",
                "Pass",
                "extensoin",
                "conf_secert",
                "Password",
                "sever_ip",
            ];
            let words = typos
                .into_iter()
                .map(str::to_owned)
                .chain(names().map(|name| format!("{name}x")))
                .chain(names().map(str::to_uppercase))
                .chain(["", "x", "é", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"].map(str::to_owned));
            for word in words {
                assert_eq!(
                    closest_column(kind, &word),
                    crate::text::suggest::closest(&word, names()),
                    "{kind:?} {word}"
                );
            }
        }
    }

    #[test]
    fn every_column_is_indexed_once() {
        for kind in RecordKind::ALL {
            let cols = columns(kind);
            for col in cols {
                assert!(
                    std::ptr::eq(column(kind, col.name).unwrap(), col),
                    "{}",
                    col.name
                );
            }
        }
        assert_eq!(PHONE_COLUMNS.len(), 107);
        assert!(column(RecordKind::Phone, "Extension").is_none());
        let long = "e".repeat(300);
        for other in [
            "",
            "e",
            "extensio",
            "extensionx",
            "éxtension",
            "\u{0}",
            long.as_str(),
        ] {
            assert!(column(RecordKind::Phone, other).is_none(), "{other}");
        }
        assert!(column(RecordKind::Server, "extension").is_none());
        for kind in RecordKind::ALL {
            for name in columns(kind).iter().map(|c| c.name).chain([kind.section()]) {
                assert_eq!(known_name(name), Some(name));
            }
        }
        for other in ["", "Extension", "phone", "serverss", long.as_str()] {
            assert_eq!(known_name(other), None, "{other}");
        }
    }
}
