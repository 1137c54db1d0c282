//! Where the files' own findings wait, encoded, while the rest of the check
//! runs: in memory up to a budget, then in a temporary file (created
//! unlinked, so nothing is left behind however the process ends). A check
//! of a million findings then holds what the index needs, not the findings.

use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, PoisonError};

/// Encoded findings held in memory before they go to a temporary file.
pub const DEFAULT_BUDGET: usize = 32 << 20;

/// Where one file's findings are in a [`Spill`].
#[derive(Debug, Clone, Copy)]
pub struct Piece {
    offset: u64,
    length: usize,
}

#[derive(Debug)]
pub struct Spill {
    budget: usize,
    store: Mutex<Store>,
}

#[derive(Debug)]
enum Store {
    Memory(Vec<u8>),
    /// The temporary file and its length.
    File(std::fs::File, u64),
}

impl Spill {
    /// A spill that keeps up to `budget` bytes in memory.
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            store: Mutex::new(Store::Memory(Vec::new())),
        }
    }

    /// Sets `bytes` aside. Past the budget the bytes go to a temporary file;
    /// if none can be made they stay in memory (the check is not refused for
    /// want of a place to spill).
    pub fn put(&self, bytes: &[u8]) -> std::io::Result<Piece> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        if let Store::Memory(held) = &mut *store
            && held.len() + bytes.len() > self.budget
            && let Ok(mut file) = tempfile::tempfile()
        {
            file.write_all(held)?;
            let length = u64::try_from(held.len()).unwrap_or(u64::MAX);
            *store = Store::File(file, length);
        }
        let length = bytes.len();
        match &mut *store {
            Store::Memory(held) => {
                let offset = u64::try_from(held.len()).unwrap_or(u64::MAX);
                held.extend_from_slice(bytes);
                Ok(Piece { offset, length })
            }
            Store::File(file, end) => {
                let offset = *end;
                file.seek(SeekFrom::Start(offset))?;
                file.write_all(bytes)?;
                *end += u64::try_from(length).unwrap_or(u64::MAX);
                Ok(Piece { offset, length })
            }
        }
    }

    /// The spill with every piece in, to be read from.
    pub fn finish(self) -> Spilled {
        match self
            .store
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            Store::Memory(held) => Spilled::Memory(held),
            Store::File(file, _) => Spilled::File(Mutex::new(file)),
        }
    }

    /// Whether the spill went to a temporary file.
    #[cfg(test)]
    pub fn on_disk(&self) -> bool {
        let store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        matches!(&*store, Store::File(..))
    }
}

/// A [`Spill`] with every piece in: those held in memory are read where
/// they are, without a lock or a copy (a file's pieces are read on all
/// cores as the report is written).
#[derive(Debug)]
pub enum Spilled {
    Memory(Vec<u8>),
    File(Mutex<std::fs::File>),
}

impl Spilled {
    /// The bytes of `piece`.
    pub fn get(&self, piece: Piece) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Spilled::Memory(held) => usize::try_from(piece.offset)
                .ok()
                .and_then(|start| held.get(start..start.checked_add(piece.length)?))
                .map(Cow::Borrowed)
                .ok_or_else(|| std::io::Error::other("a spilled piece outside the spill")),
            Spilled::File(file) => {
                let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
                file.seek(SeekFrom::Start(piece.offset))?;
                let mut bytes = vec![0; piece.length];
                file.read_exact(&mut bytes)?;
                Ok(Cow::Owned(bytes))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_come_back_from_memory_and_from_disk() {
        for budget in [usize::MAX, 10, 0] {
            let spill = Spill::new(budget);
            let pieces: Vec<(Piece, Vec<u8>)> = (0..50u8)
                .map(|n| {
                    let bytes = vec![n; usize::from(n)];
                    (spill.put(&bytes).unwrap(), bytes)
                })
                .collect();
            assert_eq!(spill.on_disk(), budget < usize::MAX);
            let spilled = spill.finish();
            for (piece, bytes) in pieces.iter().rev() {
                assert_eq!(&*spilled.get(*piece).unwrap(), bytes.as_slice());
            }
        }
    }
}
