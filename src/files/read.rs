//! Reading a file that a pull request may have put there: a regular file
//! only, opened without following a symbolic link and without blocking on a
//! FIFO, its size bounded. Definitions, the configuration and the baseline
//! are all read here.

use std::path::Path;
#[cfg(target_os = "linux")]
use std::path::PathBuf;

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
    read_metadata_and_bytes(open_regular(path), limit)
}

/// The metadata and bytes of a file `opened` with [`open_regular`].
fn read_metadata_and_bytes(
    opened: std::io::Result<std::fs::File>,
    limit: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), ReadError> {
    let file = opened.map_err(|error| {
        if is_link_refused(&error) {
            ReadError::Link
        } else {
            ReadError::Io(error)
        }
    })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    read_with(&file, &meta, limit).map(|bytes| (bytes, meta))
}

/// Files read (or their stamps taken) one after another, each opened by its
/// name in its directory, which is kept open while the files that follow
/// are in it (files come in the order of their names, so those of a
/// directory mostly follow each other): the kernel looks up one name per
/// file instead of every component of its path.
#[derive(Debug, Default)]
pub struct ByDirectory {
    #[cfg(target_os = "linux")]
    open: Option<(PathBuf, Option<Directory>)>,
}

impl ByDirectory {
    /// The directory of `path`, kept open, and the file's name in it;
    /// `None` when the path has no name or its directory cannot be opened.
    #[cfg(target_os = "linux")]
    pub fn directory_of<'p>(
        &mut self,
        path: &'p Path,
    ) -> Option<(&Directory, &'p std::ffi::OsStr)> {
        let (parent, name) = crate::files::paths::split_name(path)?;
        // By their bytes: comparing paths component by component costs
        // more than the lookup spared.
        if self.open.as_ref().is_none_or(|(open, _)| {
            open.as_os_str().as_encoded_bytes() != parent.as_os_str().as_encoded_bytes()
        }) {
            self.open = Some((parent.to_path_buf(), Directory::open(parent)));
        }
        let (_, directory) = self.open.as_ref()?;
        Some((directory.as_ref()?, name))
    }

    /// [`read_regular`], the file opened in its directory.
    pub fn read_regular(&mut self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        self.read_regular_with_metadata(path, limit)
            .map(|(bytes, _)| bytes)
    }

    /// [`read_regular_with_metadata`], the file opened in its directory.
    pub fn read_regular_with_metadata(
        &mut self,
        path: &Path,
        limit: u64,
    ) -> Result<(Vec<u8>, std::fs::Metadata), ReadError> {
        #[cfg(target_os = "linux")]
        if let Some((directory, name)) = self.directory_of(path) {
            return read_metadata_and_bytes(directory.open_regular(name), limit);
        }
        read_regular_with_metadata(path, limit)
    }
}

/// A directory opened to open or take the stamps of the files in it by
/// their names.
#[cfg(target_os = "linux")]
#[derive(Debug)]
pub struct Directory(rustix::fd::OwnedFd);

#[cfg(target_os = "linux")]
impl Directory {
    /// The directory at `path`, itself no symbolic link. Opened only as a
    /// place to look names up in (its entries are not listed), which needs
    /// no permission to read it.
    pub fn open(path: &Path) -> Option<Self> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        rustix::fs::open(path, flags, Mode::empty()).ok().map(Self)
    }

    /// What `stat` says of `name` in it, a link not followed.
    pub fn stat(&self, name: &std::ffi::OsStr) -> std::io::Result<rustix::fs::Stat> {
        let flags = rustix::fs::AtFlags::SYMLINK_NOFOLLOW;
        Ok(rustix::fs::statat(&self.0, name, flags)?)
    }

    /// [`open_regular`], by the file's name in the directory.
    pub fn open_regular(&self, name: &std::ffi::OsStr) -> std::io::Result<std::fs::File> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let file = rustix::fs::openat(&self.0, name, flags, Mode::empty())?;
        Ok(std::fs::File::from(file))
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

    #[test]
    fn read_by_directory_as_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        std::fs::create_dir(&one).unwrap();
        std::fs::create_dir(&two).unwrap();
        std::fs::write(one.join("a.toml"), "a = 1\n").unwrap();
        std::fs::write(two.join("b.toml"), "b = 22\n").unwrap();
        std::fs::write(one.join("large.toml"), "c = 333\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(one.join("a.toml"), one.join("link.toml")).unwrap();
        std::fs::create_dir(one.join("sub.toml")).unwrap();
        let mut directories = ByDirectory::default();
        let mut read = |path: &Path, limit| directories.read_regular_with_metadata(path, limit);
        // Back and forth between the directories, and a directory that is
        // not there.
        for path in [one.join("a.toml"), two.join("b.toml"), one.join("a.toml")] {
            let (bytes, meta) = read(&path, MAX_FILE_SIZE).unwrap();
            assert_eq!(bytes, std::fs::read(&path).unwrap());
            assert_eq!(meta.len(), std::fs::metadata(&path).unwrap().len());
        }
        let missing = read(&dir.path().join("three/c.toml"), MAX_FILE_SIZE);
        assert!(
            matches!(missing, Err(ReadError::Io(error)) if error.kind() == std::io::ErrorKind::NotFound)
        );
        assert!(matches!(
            read(&one.join("large.toml"), 4),
            Err(ReadError::TooLarge { size: 8, limit: 4 })
        ));
        #[cfg(unix)]
        assert!(matches!(
            read(&one.join("link.toml"), MAX_FILE_SIZE),
            Err(ReadError::Link)
        ));
        assert!(matches!(
            read(&one.join("sub.toml"), MAX_FILE_SIZE),
            Err(ReadError::NotRegular)
        ));
        // A file in the current directory, named without one.
        assert!(read(Path::new("Cargo.toml"), MAX_FILE_SIZE).is_ok());
        // The bytes alone (as files are read back), the same.
        let mut directories = ByDirectory::default();
        for path in [one.join("a.toml"), two.join("b.toml"), one.join("a.toml")] {
            let bytes = directories.read_regular(&path, MAX_FILE_SIZE).unwrap();
            assert_eq!(bytes, std::fs::read(&path).unwrap());
        }
        #[cfg(unix)]
        assert!(matches!(
            directories.read_regular(&one.join("link.toml"), MAX_FILE_SIZE),
            Err(ReadError::Link)
        ));
    }
}
