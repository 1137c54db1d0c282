//! What the file system says of a file, to tell that it has not changed
//! since its entry was written: length, modification and change times to
//! the nanosecond, inode and mode where the platform has them (not the
//! device: the cache is of one root, and std and the kernel encode a device
//! number differently).

use std::time::{SystemTime, UNIX_EPOCH};

use crate::text::bytes::{Reader, put_number};

/// A file's metadata, as far as it tells a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    length: u64,
    /// Nanoseconds since the Unix epoch (before it, negative).
    modified: i128,
    /// The inode's change time (Unix: any write, chmod, rename, link; it
    /// cannot be set back as the modification time can), else the
    /// creation time, else 0.
    changed: i128,
    inode: u64,
    mode: u32,
}

/// Timestamps without a fraction of a second come from a file system that
/// keeps whole (or two) seconds (FAT, HFS+, ext3): a file changed within that
/// granularity of its last change keeps its timestamps.
const COARSE_MARGIN: i128 = 2_000_000_000;

/// Timestamps with nanoseconds still come from the kernel's coarse clock,
/// which ticks every few milliseconds.
const FINE_MARGIN: i128 = 100_000_000;

impl Stamp {
    /// The stamp of a regular file's metadata (`None` for anything else).
    pub fn of(meta: &std::fs::Metadata) -> Option<Self> {
        if !meta.is_file() {
            return None;
        }
        Some(Self::of_platform(meta))
    }

    #[cfg(unix)]
    fn of_platform(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        let nanos =
            |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        Self {
            length: meta.len(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            mode: meta.mode(),
        }
    }

    /// The stamp of what `stat` says of a regular file (`None` for anything
    /// else): the same as [`Stamp::of`] its metadata.
    #[cfg(target_os = "linux")]
    // The fields' types vary with the architecture.
    #[allow(clippy::useless_conversion)]
    pub fn of_stat(stat: &rustix::fs::Stat) -> Option<Self> {
        let mode = u32::from(stat.st_mode);
        if rustix::fs::FileType::from_raw_mode(stat.st_mode) != rustix::fs::FileType::RegularFile {
            return None;
        }
        let nanos = |seconds, nanos| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        Some(Self {
            length: u64::try_from(stat.st_size).ok()?,
            modified: nanos(stat.st_mtime, stat.st_mtime_nsec),
            changed: nanos(stat.st_ctime, stat.st_ctime_nsec),
            inode: u64::from(stat.st_ino),
            mode,
        })
    }

    #[cfg(not(unix))]
    fn of_platform(meta: &std::fs::Metadata) -> Self {
        let nanos = |time: std::io::Result<SystemTime>| time.ok().map_or(0, since_epoch);
        Self {
            length: meta.len(),
            modified: nanos(meta.modified()),
            changed: nanos(meta.created()),
            inode: 0,
            mode: u32::from(meta.permissions().readonly()),
        }
    }

    /// Whether the file last changed long enough before `time` that a
    /// later change shows in its timestamps: a file changed again within the
    /// granularity of its timestamps keeps them (the "racy" case git's index
    /// guards against), so its entry could hide the change.
    pub fn settled_before(&self, time: SystemTime) -> bool {
        let coarse = |at: i128| at.rem_euclid(1_000_000_000) == 0;
        let margin = if coarse(self.modified) || coarse(self.changed) {
            COARSE_MARGIN
        } else {
            FINE_MARGIN
        };
        let limit = since_epoch(time) - margin;
        self.modified < limit && self.changed < limit
    }

    /// The stamp as bytes of a fixed length.
    pub fn to_bytes(&self) -> [u8; 52] {
        let mut bytes = [0u8; 52];
        let parts: [&[u8]; 5] = [
            &self.length.to_le_bytes(),
            &self.modified.to_le_bytes(),
            &self.changed.to_le_bytes(),
            &self.inode.to_le_bytes(),
            &self.mode.to_le_bytes(),
        ];
        let mut at = 0;
        for part in parts {
            if let Some(to) = bytes.get_mut(at..at + part.len()) {
                to.copy_from_slice(part);
            }
            at += part.len();
        }
        bytes
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        put_number(out, self.length);
        for time in [self.modified, self.changed] {
            out.extend_from_slice(&time.to_le_bytes());
        }
        put_number(out, self.inode);
        put_number(out, self.mode.into());
    }

    pub fn decode(reader: &mut Reader<'_>) -> Option<Self> {
        let length = reader.number()?;
        let mut time = || Some(i128::from_le_bytes(reader.take(16)?.try_into().ok()?));
        let (modified, changed) = (time()?, time()?);
        Some(Self {
            length,
            modified,
            changed,
            inode: reader.number()?,
            mode: reader.u32()?,
        })
    }
}

/// Nanoseconds from the Unix epoch to `time` (negative before it).
pub fn since_epoch(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn stamp(modified: i128, changed: i128) -> Stamp {
        Stamp {
            length: 1,
            modified,
            changed,
            inode: 2,
            mode: 0o100644,
        }
    }

    #[test]
    fn only_a_file_settled_before_the_run_is_trusted() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let at = |seconds: f64| (seconds * 1e9) as i128;
        // Nanosecond timestamps: settled 100 ms before.
        assert!(stamp(at(999_999.5), at(999_999.5)).settled_before(now));
        assert!(!stamp(at(999_999.95), at(999_999.5)).settled_before(now));
        assert!(!stamp(at(999_999.5), at(999_999.95)).settled_before(now));
        // In the future.
        assert!(!stamp(at(1_000_001.5), at(999_999.5)).settled_before(now));
        // Whole seconds: settled two seconds before.
        assert!(!stamp(at(999_999.0), at(999_999.0)).settled_before(now));
        assert!(stamp(at(999_997.0), at(999_997.0)).settled_before(now));
        assert!(!stamp(at(999_997.0), at(999_998.5)).settled_before(now));
    }

    #[test]
    fn stamps_come_back_as_they_went() {
        for stamp in [stamp(-5, i128::MAX), stamp(1_700_000_000_123_456_789, 0)] {
            let mut out = Vec::new();
            stamp.encode(&mut out);
            let mut reader = Reader::new(&out);
            assert_eq!(Stamp::decode(&mut reader), Some(stamp));
            assert!(reader.is_done());
            for end in 0..out.len() {
                assert_eq!(Stamp::decode(&mut Reader::new(&out[..end])), None);
            }
        }
    }

    #[test]
    fn a_change_of_content_mode_or_place_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "a = 1\n").unwrap();
        let of = |path: &std::path::Path| Stamp::of(&std::fs::metadata(path).unwrap()).unwrap();
        let first = of(&path);
        assert_eq!(of(&path), first);
        // Same length, the modification time set back: the change time tells.
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "a = 2\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_ne!(of(&path), first);
        assert!(Stamp::of(&std::fs::metadata(dir.path()).unwrap()).is_none());
        // What the kernel says through a directory's descriptor, the same.
        #[cfg(target_os = "linux")]
        {
            let directory = crate::files::read::Directory::open(dir.path()).unwrap();
            let stamp =
                |name: &str| Stamp::of_stat(&directory.stat(std::ffi::OsStr::new(name)).ok()?);
            assert_eq!(stamp("a.toml"), Some(of(&path)));
            assert_eq!(stamp("b.toml"), None);
            std::os::unix::fs::symlink(&path, dir.path().join("link.toml")).unwrap();
            assert_eq!(stamp("link.toml"), None);
            std::fs::create_dir(dir.path().join("sub")).unwrap();
            assert_eq!(stamp("sub"), None);
        }
    }
}
