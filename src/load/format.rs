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
        Self::from_file_name(path.file_name()?)
    }

    /// The syntax of a file named `name` (its last component): by its
    /// extension as [`Path::extension`](std::path::Path::extension) reads
    /// it (`.toml` alone is a hidden name, not an extension), any case.
    pub fn from_file_name(name: &std::ffi::OsStr) -> Option<Self> {
        let name = name.as_encoded_bytes();
        let dot = name.iter().rposition(|byte| *byte == b'.')?;
        match name.get(dot + 1..).filter(|_| dot > 0)? {
            ext if ext.eq_ignore_ascii_case(b"toml") => Some(Self::Toml),
            ext if ext.eq_ignore_ascii_case(b"json") => Some(Self::Json),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_extension_is_read_as_std_reads_it() {
        for name in [
            "a.toml",
            "a.TOML",
            "a.Json",
            ".toml",
            "..toml",
            "toml",
            "a.toml.bak",
            "a.",
            ".",
            "a.jsonc",
            "d/.json",
            "d/x.json",
        ] {
            let std = Path::new(name)
                .extension()
                .and_then(|ext| ext.to_str())
                .and_then(|ext| match ext.to_ascii_lowercase().as_str() {
                    "toml" => Some(Format::Toml),
                    "json" => Some(Format::Json),
                    _ => None,
                });
            assert_eq!(Format::from_path(Path::new(name)), std, "{name}");
        }
    }
}
