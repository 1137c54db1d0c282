//! The facts of one VICIdial installation that change what the rules say
//! (phonelint.toml's `[site]`).

/// The VICIdial facts a site may change. Rules read them through their
/// context (`RecordContext::site`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteFacts {
    /// VICIdial's `require_password_length` system setting: when above 0,
    /// conf_secret must be at least this long (vicidial-phones.md §2). 0 is off.
    pub require_password_length: usize,
    /// The shortest secret the `weak-secret` rule accepts (help.php: "at
    /// least 8 characters", vicidial-phones.md §4).
    pub min_secret_length: usize,
    /// Whether the site's MariaDB/MySQL runs a strict `sql_mode` (MariaDB's
    /// default since 10.2.4): a value a column cannot hold fails the save
    /// instead of being truncated or stored as `''`. `None`: not said, and
    /// messages give both outcomes.
    pub strict_sql_mode: Option<bool>,
    /// VICIdial's `use_non_latin` system setting (schema 1807): with it, the
    /// admin UI and the agent screen keep any Unicode letter where they would
    /// keep only `a-zA-Z` (admin.php 4480-5082, vicidial.php 993).
    pub use_non_latin: bool,
    /// VICIdial's `generate_cross_server_exten` system setting (schema 1892):
    /// every server's dialplan gets the dialplan numbers of the SIP and IAX2
    /// phones of the other servers (keepalive 4164-4198).
    pub generate_cross_server_exten: bool,
    /// The site applies changes through the admin API (`update_phone`), whose
    /// limits are narrower than the columns (non_agent_api.php 6091-6303).
    pub api_limits: bool,
}

impl Default for SiteFacts {
    fn default() -> Self {
        Self {
            require_password_length: 0,
            min_secret_length: 8,
            strict_sql_mode: None,
            use_non_latin: false,
            generate_cross_server_exten: false,
            api_limits: false,
        }
    }
}
