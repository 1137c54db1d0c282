//! phonelint: a linter for VICIdial phone definitions kept as code.
//!
//! Data flows one way: [`discover`] -> [`load`] -> [`model`] -> [`rules`] ->
//! [`finding`] -> [`report`]. [`check::check`] wires the first stages together;
//! the binary only parses arguments, calls it, renders and picks the exit code.

pub mod check;
pub mod discover;
pub mod finding;
pub mod fix;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
pub mod suggest;

pub use check::{Outcome, Summary, check};
