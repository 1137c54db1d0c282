//! Reading a file that a pull request may have put there: a regular file
//! only, opened without following a symbolic link and without blocking on a
//! FIFO, its size bounded. Definitions, the configuration and the baseline
//! are all read here.

use std::path::Path;

/// The largest file phonelint reads. Definition files are a few kilobytes to
/// a few megabytes; a larger `.toml`/`.json` file is reported (`parse-error`)
/// without being read, so a hostile repository cannot exhaust memory.
pub const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Why a file was not read by [`read_regular`].
#[derive(Debug)]
pub enum ReadError {
    /// The path is a symbolic link: never followed.
    Link,
    /// A FIFO, socket, device or directory: opening or reading it could block
    /// or never end.
    NotRegular,
    /// Larger than the limit: not read.
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

/// Reads a file that a pull request may have put there: a regular file only,
/// opened without following a symbolic link and without blocking on a FIFO,
/// its type and size taken from the opened file before a byte is read, and
/// never more than `limit` bytes read even if it grows meanwhile.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_regular_with_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// [`read_regular`], with the metadata of the opened file, as it was
/// before a byte was read.
pub fn read_regular_with_metadata(
    path: &Path,
    limit: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), ReadError> {
    let file = open_regular(path).map_err(opening_failed)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    read_with(&file, &meta, limit).map(|bytes| (bytes, meta))
}

/// Reads files one after another as [`read_regular`] does, each opened by
/// its name through a descriptor of its directory, kept open while the
/// files that follow are in it too: the kernel then looks up one name
/// rather than every component of the path from the current directory.
#[derive(Debug, Default)]
pub struct InDirectory {
    /// The directory of the last file read, and its descriptor (none when
    /// it could not be opened: the path is read then).
    #[cfg(target_os = "linux")]
    open: Option<(std::path::PathBuf, Option<rustix::fd::OwnedFd>)>,
}

impl InDirectory {
    /// [`read_regular`] of `path`.
    pub fn read_regular(&mut self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        #[cfg(target_os = "linux")]
        if let Some((parent, name)) = crate::files::paths::split_name(path) {
            use rustix::fs::{Mode, OFlags};
            // By their bytes: comparing paths component by component costs
            // more than the lookups spared.
            if self.open.as_ref().is_none_or(|(open, _)| {
                open.as_os_str().as_encoded_bytes() != parent.as_os_str().as_encoded_bytes()
            }) {
                // Itself no link, as no file read is one.
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                let directory = rustix::fs::open(parent, flags, Mode::empty()).ok();
                self.open = Some((parent.to_path_buf(), directory));
            }
            if let Some((_, Some(directory))) = &self.open {
                let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
                let file = rustix::fs::openat(directory, name, flags, Mode::empty())
                    .map(std::fs::File::from)
                    .map_err(|errno| opening_failed(std::io::Error::from(errno)))?;
                return read_opened(&file, limit);
            }
        }
        read_regular(path, limit)
    }
}

/// Why a file could not be opened with [`open_regular`]'s flags.
fn opening_failed(error: std::io::Error) -> ReadError {
    if is_link_refused(&error) {
        ReadError::Link
    } else {
        ReadError::Io(error)
    }
}

/// [`read_regular`] on a file already opened with [`open_regular`].
pub fn read_opened(file: &std::fs::File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata().map_err(ReadError::Io)?;
    read_with(file, &meta, limit)
}

/// Files up to this many bytes (and the byte more) are read in one call
/// when they can be (see [`read_with`]).
const ONE_READ: usize = 16 * 1024;

/// Reads the opened `file`, whose metadata is `meta`.
fn read_with(
    file: &std::fs::File,
    meta: &std::fs::Metadata,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    // Sized for the whole file and one byte more, so that reading to the end
    // needs no reallocation.
    let expected = usize::try_from(meta.len()).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::with_capacity(expected);
    let mut file = file.take(limit.saturating_add(1));
    // A small regular file that gives the size it had, short of the byte
    // more asked for, is at its end: the read that would return nothing to
    // say so is spared (a call in four or five when most files are small).
    // A larger file is read to its end: zeroing its buffer for one read
    // would cost more than the call spared.
    let mut at_end = false;
    if expected <= ONE_READ {
        bytes.resize(expected, 0);
        let first = loop {
            match file.read(&mut bytes) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                read => break read.map_err(ReadError::Io)?,
            }
        };
        bytes.truncate(first);
        at_end = first == 0 || (u64::try_from(first).ok() == Some(meta.len()) && first < expected);
    }
    if !at_end {
        file.read_to_end(&mut bytes).map_err(ReadError::Io)?;
    }
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    Ok(bytes)
}

/// Opens a file for reading without following a symbolic link and without
/// blocking on a FIFO: one call, so the path cannot change between a check
/// and the open.
#[cfg(unix)]
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    if !std::fs::symlink_metadata(path)?.is_file() {
        return Err(std::io::Error::other("no longer a regular file"));
    }
    std::fs::File::open(path)
}

/// Whether opening failed because the path is a symbolic link.
pub fn is_link_refused(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        error.kind() == std::io::ErrorKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read through their directory, files are read as by their paths: a
    /// link refused, a missing file an error, each directory its own.
    #[test]
    fn files_read_in_their_directory_are_read_as_by_their_paths() {
        let dir = tempfile::tempdir().unwrap();
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        std::fs::create_dir_all(&one).unwrap();
        std::fs::create_dir_all(&two).unwrap();
        std::fs::write(one.join("a.toml"), "a = 1\n").unwrap();
        std::fs::write(one.join("b.toml"), "b = 2\n").unwrap();
        std::fs::write(two.join("a.toml"), "a = 3\n").unwrap();
        let mut reader = InDirectory::default();
        for path in [one.join("a.toml"), one.join("b.toml"), two.join("a.toml")] {
            let read = reader.read_regular(&path, MAX_FILE_SIZE).unwrap();
            assert_eq!(read, read_regular(&path, MAX_FILE_SIZE).unwrap());
        }
        assert!(matches!(
            reader.read_regular(&two.join("missing.toml"), MAX_FILE_SIZE),
            Err(ReadError::Io(_))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(one.join("a.toml"), two.join("link.toml")).unwrap();
            assert!(matches!(
                reader.read_regular(&two.join("link.toml"), MAX_FILE_SIZE),
                Err(ReadError::Link)
            ));
        }
        assert!(matches!(
            reader.read_regular(&one, MAX_FILE_SIZE),
            Err(ReadError::NotRegular)
        ));
    }
}
