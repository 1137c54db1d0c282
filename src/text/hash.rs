//! FNV-1a, 64 bits: the same on every platform, Rust release and run (std's
//! hashers promise neither), so it may name what is stored between runs
//! (baseline and SARIF fingerprints, the file names import derives); and
//! several times cheaper than SipHash on the short keys of phonelint's
//! tables (column names, record keys), which come from the files or from
//! fixed tables and need no defence against flooding.

use std::hash::Hasher;

/// FNV-1a's standard 64-bit offset basis.
pub const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// An FNV-1a hasher, for hash maps (see [`FnvBuild`]) and for stable hashes.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

/// Hash maps and sets keyed with [`Fnv`].
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

impl Fnv {
    /// A hasher starting from another offset basis: a second, independent
    /// hash of the same bytes.
    pub const fn with_basis(basis: u64) -> Self {
        Self(basis)
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Self(OFFSET_BASIS)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(PRIME);
        }
    }
}

/// FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hasher = Fnv::default();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Published FNV-1a test vectors.
        assert_eq!(fnv1a(b""), OFFSET_BASIS);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
