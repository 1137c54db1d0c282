//! Imported records -> definition files: layout, rendering, atomic writes.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use super::convert::{Field, ImportedRecord};
use super::error::ImportError;
use super::names::safe_file_stem;
use crate::load::Format;
use crate::vicidial::RecordKind;

/// How records are spread over files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Layout {
    /// Everything in one file, `vicidial.toml` (or `.json`).
    OneFile,
    /// `servers`, `aliases`, and `phones/SERVER_IP` per server (`.toml` or `.json`).
    #[default]
    PerServer,
    /// `servers`, `aliases`, and `phones/SERVER_IP/EXTENSION` per phone.
    PerPhone,
}

/// A file to write: its path relative to the output directory and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub path: PathBuf,
    pub text: String,
    pub counts: [usize; 3],
}

/// A file that was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// Phones, aliases and servers in it.
    pub counts: [usize; 3],
}

fn count_index(kind: RecordKind) -> usize {
    match kind {
        RecordKind::Phone => 0,
        RecordKind::Alias => 1,
        RecordKind::Server => 2,
    }
}

/// Which files hold which records, in a deterministic order.
pub fn plan(records: &[ImportedRecord], layout: Layout, format: Format) -> Vec<Planned> {
    let ext = format.extension();
    // Group into files keyed by (directory stem, file stem); names are made
    // unique (case-insensitively, for macOS and Windows) with a `~N` suffix.
    let mut groups: Vec<(PathBuf, Vec<&ImportedRecord>)> = Vec::new();
    let mut by_key: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut dirs: BTreeMap<String, String> = BTreeMap::new();
    let mut dir_names: HashSet<String> = HashSet::new();
    for record in records {
        let (dir_value, file_value, unique) = match (layout, record.kind) {
            (Layout::OneFile, _) => (None, "vicidial".to_owned(), false),
            (_, RecordKind::Server) => (None, "servers".to_owned(), false),
            (_, RecordKind::Alias) => (None, "aliases".to_owned(), false),
            (Layout::PerServer, RecordKind::Phone) => (
                Some(record.text("server_ip")),
                record.text("server_ip"),
                false,
            ),
            (Layout::PerPhone, RecordKind::Phone) => (
                Some(record.text("server_ip")),
                record.text("extension"),
                true,
            ),
        };
        let dir = match (&dir_value, layout) {
            (None, _) => PathBuf::new(),
            (Some(_), Layout::PerServer) => PathBuf::from("phones"),
            (Some(value), _) => {
                let stem = dirs
                    .entry(value.clone())
                    .or_insert_with(|| unique_name(safe_file_stem(value), &mut dir_names, ""));
                Path::new("phones").join(stem.as_str())
            }
        };
        let key = (dir.to_string_lossy().into_owned(), file_value.clone());
        let index = match by_key.get(&key) {
            Some(&index) if !unique => index,
            _ => {
                let stem = match (&dir_value, layout) {
                    (None, _) => file_value.clone(),
                    _ => safe_file_stem(&file_value),
                };
                let scope = dir.to_string_lossy().to_lowercase();
                let name = unique_name(stem, &mut taken, &format!("{scope}/"));
                groups.push((dir.join(format!("{name}.{ext}")), Vec::new()));
                by_key.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        if let Some((_, members)) = groups.get_mut(index) {
            members.push(record);
        }
    }
    groups
        .into_iter()
        .map(|(path, members)| {
            let mut counts = [0; 3];
            for record in &members {
                if let Some(count) = counts.get_mut(count_index(record.kind)) {
                    *count += 1;
                }
            }
            Planned {
                path,
                text: render(&members, format),
                counts,
            }
        })
        .collect()
}

/// `stem`, or `stem~2`, `stem~3`, ... if taken (case-insensitively) in `scope`.
fn unique_name(stem: String, taken: &mut HashSet<String>, scope: &str) -> String {
    let mut name = stem.clone();
    let mut n = 1;
    while !taken.insert(format!("{scope}{}", name.to_lowercase())) {
        n += 1;
        name = format!("{stem}~{n}");
    }
    name
}

/// The text of one definition file.
pub fn render(records: &[&ImportedRecord], format: Format) -> String {
    match format {
        Format::Toml => render_toml(records),
        Format::Json => render_json(records),
    }
}

fn render_toml(records: &[&ImportedRecord]) -> String {
    let mut out = String::new();
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "[[{}]]", record.kind.section());
        for (key, value) in &record.fields {
            let bare = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if bare {
                out.push_str(key);
            } else {
                out.push_str(&quote(key));
            }
            out.push_str(" = ");
            match value {
                Field::String(s) => out.push_str(&quote(s)),
                Field::Integer(n) => out.push_str(&n.to_string()),
            }
            out.push('\n');
        }
    }
    out
}

fn render_json(records: &[&ImportedRecord]) -> String {
    let mut out = String::from("{");
    for (s, kind) in [RecordKind::Server, RecordKind::Alias, RecordKind::Phone]
        .into_iter()
        .filter(|kind| records.iter().any(|r| r.kind == *kind))
        .enumerate()
    {
        out.push_str(if s == 0 { "\n" } else { ",\n" });
        let _ = write!(out, "  {}: [", quote(kind.section()));
        for (i, record) in records.iter().filter(|r| r.kind == kind).enumerate() {
            out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
            for (j, (key, value)) in record.fields.iter().enumerate() {
                out.push_str(if j == 0 { "\n" } else { ",\n" });
                let _ = write!(out, "      {}: ", quote(key));
                match value {
                    Field::String(s) => out.push_str(&quote(s)),
                    Field::Integer(n) => out.push_str(&n.to_string()),
                }
            }
            out.push_str(if record.fields.is_empty() {
                "}"
            } else {
                "\n    }"
            });
        }
        out.push_str("\n  ]");
    }
    out.push_str("\n}\n");
    out
}

/// A double-quoted string valid in both TOML (basic string) and JSON: `"` and
/// `\` escaped, control characters and invisible bidirectional-text controls
/// written as escapes, everything else as is.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes every planned file under `out`. Without `force`, nothing is written
/// if any target exists. Each file is written to a temporary file in its
/// directory and renamed into place, so a failure leaves no partial file.
pub fn write_all(out: &Path, files: &[Planned], force: bool) -> Result<Vec<Written>, ImportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| ImportError::Io { path, error }
    };
    for file in files {
        // Names come from untrusted data: each must stay inside `out`.
        if !file
            .path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(ImportError::Invalid(format!(
                "refusing to write outside the output directory: {}",
                file.path.display()
            )));
        }
    }
    // A symbolic link inside `out` could lead a write, or the creation of a
    // directory, elsewhere: every directory a file goes into is checked
    // before anything is created.
    for file in files {
        refuse_links(out, &file.path)?;
    }
    if !force {
        let existing: Vec<PathBuf> = files
            .iter()
            .map(|file| out.join(&file.path))
            .filter(|path| path.symlink_metadata().is_ok())
            .collect();
        if !existing.is_empty() {
            return Err(ImportError::Exists(existing));
        }
    }
    let mut written = Vec::new();
    for file in files {
        let target = out.join(&file.path);
        let parent = target.parent().unwrap_or(out);
        std::fs::create_dir_all(out).map_err(io(out))?;
        // One directory at a time, each checked again once it exists.
        let mut dir = out.to_path_buf();
        for component in file.path.parent().into_iter().flat_map(Path::components) {
            dir.push(component);
            match std::fs::create_dir(&dir) {
                Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(ImportError::Io { path: dir, error });
                }
                _ => {}
            }
            let meta = dir.symlink_metadata().map_err(io(&dir))?;
            if meta.file_type().is_symlink() || !meta.is_dir() {
                return Err(link_refused(&dir));
            }
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".phonelint-import-");
        // Temporary files are private (0600); a definition file is created
        // like any other file: 0666 less the umask.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut temp = builder.tempfile_in(parent).map_err(io(parent))?;
        temp.write_all(file.text.as_bytes())
            .map_err(io(temp.path()))?;
        temp.as_file().sync_all().map_err(io(temp.path()))?;
        let persisted = if force {
            temp.persist(&target)
        } else {
            temp.persist_noclobber(&target)
        };
        // On error the temporary file is dropped, which deletes it.
        persisted.map_err(|error| ImportError::Io {
            path: target.clone(),
            error: error.error,
        })?;
        written.push(Written {
            path: target,
            counts: file.counts,
        });
    }
    Ok(written)
}

/// Refuses a planned file whose directories under `out` include a
/// symbolic link or something that is not a directory; stops at the first
/// one that does not exist yet (nothing below it can).
fn refuse_links(out: &Path, file: &Path) -> Result<(), ImportError> {
    let mut dir = out.to_path_buf();
    for component in file.parent().into_iter().flat_map(Path::components) {
        dir.push(component);
        match dir.symlink_metadata() {
            Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => {
                return Err(link_refused(&dir));
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

fn link_refused(dir: &Path) -> ImportError {
    ImportError::Invalid(format!(
        "refusing to write through {}: a symbolic link or not a directory",
        dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(extension: &str, server_ip: &str) -> ImportedRecord {
        ImportedRecord {
            kind: RecordKind::Phone,
            fields: vec![
                ("extension".into(), Field::String(extension.into())),
                ("server_ip".into(), Field::String(server_ip.into())),
            ],
        }
    }

    fn paths(planned: &[Planned]) -> Vec<String> {
        planned
            .iter()
            .map(|p| p.path.to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn layouts_name_files_from_data_safely() {
        let records = vec![
            phone("SIP/100", "10.0.0.1"),
            phone("../../x", "10.0.0.1"),
            phone("a:b", "../etc"),
            phone("cc100", "10.0.0.1"),
            phone("CC100", "10.0.0.1"),
            phone("cc100", "10.0.0.1"),
        ];
        let one = plan(&records, Layout::OneFile, Format::Toml);
        assert_eq!(paths(&one), ["vicidial.toml"]);
        assert_eq!(one[0].counts, [6, 0, 0]);
        let per_server = plan(&records, Layout::PerServer, Format::Json);
        assert_eq!(
            paths(&per_server),
            ["phones/10.0.0.1.json", "phones/%2E.%2Fetc.json"]
        );
        let per_phone = plan(&records, Layout::PerPhone, Format::Toml);
        assert_eq!(
            paths(&per_phone),
            [
                "phones/10.0.0.1/SIP%2F100.toml",
                "phones/10.0.0.1/%2E.%2F..%2Fx.toml",
                "phones/%2E.%2Fetc/a%3Ab.toml",
                "phones/10.0.0.1/cc100.toml",
                "phones/10.0.0.1/CC100~2.toml",
                "phones/10.0.0.1/cc100~3.toml",
            ]
        );
    }

    #[test]
    fn strings_are_escaped_for_toml_and_json() {
        assert_eq!(
            quote("a\"b\\c\nd\u{1}\u{202E}é"),
            "\"a\\\"b\\\\c\\nd\\u0001\\u202Eé\""
        );
        let record = ImportedRecord {
            kind: RecordKind::Phone,
            fields: vec![
                ("extension".into(), Field::String("x".into())),
                ("odd key".into(), Field::Integer(-3)),
            ],
        };
        assert_eq!(
            render_toml(&[&record]),
            "[[phones]]\nextension = \"x\"\n\"odd key\" = -3\n"
        );
        let json = render_json(&[&record]);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["phones"][0]["odd key"], -3);
    }
}
