//! FNV-1a, 64 bits: the same on every platform, Rust release and run (std's
//! hashers promise neither), so it may name what is stored between runs
//! (baseline and SARIF fingerprints, the file names import derives); and
//! several times cheaper than SipHash on the short keys of phonelint's
//! tables (column names, record keys), which come from the files or from
//! fixed tables and need no defence against flooding.
//!
//! And a keyed digest ([`keyed`]), for what is kept of a credential: equal
//! values have equal digests, and without the key a digest says nothing of
//! its value, not even whether it is a guess.

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

/// A 64-bit digest of `bytes`, eight at a time: whether a file read twice
/// came back the same (with its length). Not a defence against a file made
/// to collide, and several times cheaper than FNV-1a on a whole file.
pub fn digest(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hash = 0x243f_6a88_85a3_08d3 ^ u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(eight))
            .wrapping_mul(K)
            .rotate_left(29);
    }
    let mut last = [0u8; 8];
    for (to, from) in last.iter_mut().zip(words.remainder()) {
        *to = *from;
    }
    hash = (hash ^ u64::from_le_bytes(last)).wrapping_mul(K);
    // A final mix, so that every input bit reaches every output bit.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

/// The secret key of [`keyed`] digests (128 bits).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct DigestKey([u8; 16]);

impl DigestKey {
    pub const fn new(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

/// Never printed: a key printed is a key given away.
impl std::fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DigestKey(..)")
    }
}

/// SipHash-2-4 of `bytes` under `key`: a pseudo-random function of both,
/// made for short inputs (a credential hashes in tens of nanoseconds).
pub fn keyed(key: &DigestKey, bytes: &[u8]) -> u64 {
    siphasher::sip::SipHasher24::new_with_key(&key.0).hash(bytes)
}

/// `value` as 16 lower-case hexadecimal digits, what `format!("{value:016x}")`
/// writes, without the formatting machinery or an allocation (a digest of
/// every credential of a check is written so).
pub fn hex16(value: u64) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (at, digit) in (0u32..).zip(out.iter_mut()) {
        let nibble = u8::try_from((value >> (60 - 4 * at)) & 0xf).unwrap_or(0);
        *digit = if nibble < 10 {
            b'0' + nibble
        } else {
            b'a' + nibble - 10
        };
    }
    out
}

/// [`keyed`] of `parts` one after the other (of the bytes they make
/// together: the caller makes them unambiguous).
pub fn keyed_parts(key: &DigestKey, parts: &[&[u8]]) -> u64 {
    let mut hasher = siphasher::sip::SipHasher24::new_with_key(&key.0);
    for part in parts {
        hasher.write(part);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex16_writes_what_format_writes() {
        for value in [
            0,
            1,
            9,
            10,
            15,
            16,
            0xdead_beef,
            u64::MAX,
            u64::MAX / 3,
            1 << 63,
        ] {
            assert_eq!(hex16(value), format!("{value:016x}").as_bytes(), "{value}");
        }
    }

    #[test]
    fn keyed_digests_depend_on_the_key() {
        let (a, b) = (DigestKey::new([1; 16]), DigestKey::new([2; 16]));
        assert_eq!(keyed(&a, b"Hq5Ky7Xv8K"), keyed(&a, b"Hq5Ky7Xv8K"));
        assert_eq!(
            keyed_parts(&a, &[b"Hq5K", b"", b"y7Xv8K"]),
            keyed(&a, b"Hq5Ky7Xv8K")
        );
        assert_ne!(keyed(&a, b"Hq5Ky7Xv8K"), keyed(&b, b"Hq5Ky7Xv8K"));
        assert_ne!(keyed(&a, b"Hq5Ky7Xv8K"), keyed(&a, b"Hq5Ky7Xv8k"));
        // SipHash-2-4's published vector: key 00..0f, empty input.
        let key = DigestKey::new(std::array::from_fn(|n| n as u8));
        assert_eq!(keyed(&key, b""), 0x726f_db47_dd0e_0e31);
        assert_eq!(format!("{key:?}"), "DigestKey(..)");
    }

    #[test]
    fn digests_tell_bytes_apart() {
        let text = b"[[phones]]\nextension = \"cc100\"\n".repeat(3);
        let mut seen = std::collections::HashSet::new();
        for end in 0..=text.len() {
            assert!(seen.insert(digest(&text[..end])));
        }
        for at in 0..text.len() {
            let mut changed = text.clone();
            changed[at] ^= 1;
            assert!(seen.insert(digest(&changed)), "{at}");
        }
        assert_eq!(digest(b"abc"), digest(b"abc"));
    }

    #[test]
    fn known_values() {
        // Published FNV-1a test vectors.
        assert_eq!(fnv1a(b""), OFFSET_BASIS);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
