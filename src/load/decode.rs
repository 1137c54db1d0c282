//! A file's bytes as text: UTF-8 without NUL bytes.

use super::document::Problem;

/// What git-crypt writes before the nonce and ciphertext of a file it
/// encrypted (git-crypt's commands.cpp).
const GIT_CRYPT_HEADER: &[u8] = b"\0GITCRYPT\0";

/// The problem of bytes holding a NUL at `offset`.
fn binary(bytes: &[u8], offset: usize) -> Problem {
    if bytes.starts_with(GIT_CRYPT_HEADER) {
        Problem::GitCrypt
    } else {
        Problem::Binary { offset }
    }
}

/// Checks that a file's bytes are text: UTF-8 without NUL bytes.
pub fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(binary(bytes, offset));
    }
    std::str::from_utf8(bytes).map_err(|error| Problem::NotUtf8 {
        offset: error.valid_up_to(),
    })
}

/// [`decode`] for bytes read from a file: they become the text, validated
/// once and not copied; with a problem, the bytes are given back.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, (Problem, Vec<u8>)> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err((binary(&bytes, offset), bytes));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        (Problem::NotUtf8 { offset }, error.into_bytes())
    })
}
