//! Text utilities that know nothing of phonelint's data: escaping what a
//! terminal or a log would interpret, quoting, "did you mean", a stable hash,
//! a keyed digest, numbers and strings as bytes.

pub mod bytes;
pub mod escape;
pub mod hash;
pub mod quote;
pub mod suggest;
pub mod words;
