//! Numbers and strings as bytes (numbers in LEB128, seven bits a byte), and
//! a reader that takes them back defensively: bytes read from disk may be
//! cut short or damaged, and every read says `None` rather than panic or
//! allocate what the bytes merely claim.

/// A position or length kept in 32 bits, as an index (saturated on a target
/// whose `usize` is narrower, where it then indexes nothing).
pub fn widen(at: u32) -> usize {
    usize::try_from(at).unwrap_or(usize::MAX)
}

/// Whether two short texts (keys, column names) are the same: compared
/// eight bytes (or four) at a time in registers, where the library's
/// comparison costs a call and its own dispatch on the length each time.
pub fn same_short(a: &[u8], b: &[u8]) -> bool {
    fn eight(bytes: &[u8], at: usize) -> Option<u64> {
        let word = bytes.get(at..at.checked_add(8)?)?;
        Some(u64::from_ne_bytes(word.try_into().ok()?))
    }
    fn four(bytes: &[u8], at: usize) -> Option<u32> {
        let word = bytes.get(at..at.checked_add(4)?)?;
        Some(u32::from_ne_bytes(word.try_into().ok()?))
    }
    let length = a.len();
    if length != b.len() {
        return false;
    }
    if length < 4 {
        return a == b;
    }
    if length <= 8 {
        // Two words that overlap when it is shorter than eight.
        let last = length - 4;
        return four(a, 0) == four(b, 0) && four(a, last) == four(b, last);
    }
    let mut at = 0;
    while at + 8 < length {
        if eight(a, at) != eight(b, at) {
            return false;
        }
        at += 8;
    }
    // The last eight bytes, overlapping the words before.
    let last = length - 8;
    eight(a, last) == eight(b, last)
}

/// Appends `n`.
pub fn put_number(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Appends `n` (a length, an offset).
pub fn put_size(out: &mut Vec<u8>, n: usize) {
    put_number(out, u64::try_from(n).unwrap_or(u64::MAX));
}

/// Appends `bytes`, after their length.
pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_size(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// Reads what the `put_*` functions wrote, from `at` on.
#[derive(Debug, Clone)]
pub struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    pub fn new(bytes: &'b [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// Where the next read starts.
    pub fn at(&self) -> usize {
        self.at
    }

    /// Whether every byte has been read.
    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    pub fn number(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    pub fn size(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    /// `n` bytes as they are.
    pub fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(taken)
    }

    /// Bytes written by [`put_bytes`].
    pub fn bytes(&mut self) -> Option<&'b [u8]> {
        let length = self.size()?;
        self.take(length)
    }

    /// Text written by [`put_bytes`]: `None` unless it is UTF-8.
    pub fn text(&mut self) -> Option<&'b str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// A count of items that each take at least `each` bytes: never more
    /// than the bytes left could hold, so it may size an allocation.
    pub fn count(&mut self, each: usize) -> Option<usize> {
        let count = self.size()?;
        let left = self.bytes.len().saturating_sub(self.at);
        (count.saturating_mul(each.max(1)) <= left).then_some(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_the_same_as_the_library_compares_them() {
        let texts = [
            "",
            "a",
            "ab",
            "abc",
            "pass",
            "pasS",
            "login",
            "status",
            "active",
            "fullname",
            "extension",
            "extensioN",
            "Extension",
            "server_ip",
            "dialplan_number",
            "dialplan_numbeR",
            "dialplan_nuXber",
            "voicemail_timezone",
            "voicemail_timezonE",
            "active_agent_login_server",
            "active_agent_login_serveR",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(
                    same_short(a.as_bytes(), b.as_bytes()),
                    a == b,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn what_is_put_is_read_back_and_damage_is_none() {
        let mut out = Vec::new();
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            put_number(&mut out, n);
        }
        put_bytes(&mut out, "é and more".as_bytes());
        put_size(&mut out, 2);
        out.extend_from_slice(&[7, 8]);
        let numbers = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        let read_all = |bytes: &[u8]| -> Option<()> {
            let mut reader = Reader::new(bytes);
            for n in numbers {
                (reader.number()? == n).then_some(())?;
            }
            (reader.text()? == "é and more").then_some(())?;
            (reader.count(1)? == 2).then_some(())?;
            (reader.take(2)? == [7, 8]).then_some(())?;
            (reader.is_done() && reader.byte().is_none()).then_some(())
        };
        assert_eq!(read_all(&out), Some(()));
        // Cut short anywhere: read as far as it goes, and no further.
        for end in 0..out.len() {
            assert_eq!(read_all(&out[..end]), None, "{end}");
        }
        // Eleven bytes of continuation are no number; a count larger than
        // the bytes left is none; text that is not UTF-8 is none.
        assert_eq!(Reader::new(&[0xff; 11]).number(), None);
        assert_eq!(Reader::new(&[5, 0, 0]).count(1), None);
        assert_eq!(Reader::new(&[2, 0xff, 0xfe]).text(), None);
        assert_eq!(Reader::new(&[9, 1]).bytes(), None);
    }
}
