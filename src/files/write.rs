//! Writing a file in place of another atomically: a temporary file beside
//! it, renamed over it, so a failed write leaves the old file whole.

use std::io::Write;
use std::path::Path;

/// Replaces the file at `path` with `bytes` atomically: a temporary file in
/// the same directory, renamed over it, so a failed write leaves the old
/// file whole. With `existing`, the new file keeps its permissions, owner
/// and group (an error when they cannot be kept); without, it is created as
/// any file is (0666 less the umask).
pub fn replace_file(
    path: &Path,
    bytes: &[u8],
    existing: Option<&std::fs::Metadata>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".phonelint-").suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(dir)?;
    temporary.write_all(bytes)?;
    if let Some(meta) = existing {
        #[cfg(unix)]
        keep_owner(temporary.as_file(), meta)?;
        temporary.as_file().set_permissions(meta.permissions())?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Gives the new file the owner and group of the one it replaces.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let ours = file.metadata()?;
    if (ours.uid(), ours.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).map_err(|error| {
        std::io::Error::new(
            error.kind(),
            format!("cannot keep its owner and group ({error}); phonelint does not change them"),
        )
    })
}
