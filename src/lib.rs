//! phonelint: a linter for VICIdial phone definitions kept as code.
//!
//! The crate is built in layers, each importing only from the layers below
//! it (ARCHITECTURE.md draws them; tests/architecture.rs holds the code to
//! them). A check runs one way through them: the [`workspace`] (root,
//! current directory, configuration) -> [`discover`] -> [`load`] -> [`model`]
//! -> [`rules`] -> [`policy`] (levels, suppressions, baseline), wired by
//! [`check::check`]; then [`fix`] and [`report`]. The binary parses
//! arguments, builds the workspace, calls the check, renders and picks the
//! exit code. [`import`], [`schema`] and [`drift`] are side branches over
//! these layers.

pub mod cache;
pub mod check;
pub mod config;
pub mod discover;
pub mod drift;
pub mod files;
pub mod fix;
pub mod import;
pub mod invariants;
pub mod load;
pub mod model;
pub mod policy;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod text;
pub mod timings;
pub mod vicidial;
pub mod workspace;
