//! phonelint: a linter for VICIdial phone definitions kept as code.
//!
//! Data flows one way: [`config`] (read first) -> [`discover`] -> [`load`] ->
//! [`model`] -> [`rules`] -> [`finding`] -> [`policy`] (levels, [`suppress`],
//! [`baseline`]) -> [`report`]. [`check::check_with`] wires the first stages
//! together; the binary only parses arguments, calls it, renders and picks the
//! exit code. [`import`], [`schema`] and [`drift`] are side branches over
//! these layers.

pub mod baseline;
pub mod check;
pub mod config;
pub mod discover;
pub mod drift;
pub mod filter;
pub mod finding;
pub mod fix;
pub mod import;
pub mod invariants;
pub mod load;
pub mod model;
pub mod policy;
pub mod report;
pub mod rules;
pub mod schema;
pub mod scope;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod timings;

pub use check::{Outcome, Summary, check, check_repository, check_with};
