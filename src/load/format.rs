//! Which syntax a definition file is written in.

/// The syntax of a definition file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The extension of files in this syntax.
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
        }
    }

    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            ext if ext.eq_ignore_ascii_case("toml") => Some(Self::Toml),
            ext if ext.eq_ignore_ascii_case("json") => Some(Self::Json),
            _ => None,
        }
    }
}
