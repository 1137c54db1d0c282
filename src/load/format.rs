//! Which syntax a definition file is written in.

use crate::files::paths::split_name;

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
        Self::from_file_name(file_name(path)?)
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

/// [`Path::file_name`](std::path::Path::file_name), without taking the
/// path apart into components where what follows its last `/` plainly is
/// the name (a path that a walk built always): this runs several times for
/// every file of a check.
fn file_name(path: &std::path::Path) -> Option<&std::ffi::OsStr> {
    split_name(path).map_or_else(|| path.file_name(), |(_, name)| Some(name))
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
            "d//x.json",
            "./x.toml",
            "/x.toml",
            "d/x.toml/",
            "d/x.toml/.",
            "d/x.toml/./",
            "d/x.toml/..",
            "..",
            "/",
            "",
        ] {
            assert_eq!(
                file_name(Path::new(name)),
                Path::new(name).file_name(),
                "{name}"
            );
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
