//! Between the rules and the report: what the project decided about the
//! findings (levels, suppressions in suppress.rs, the baseline in
//! baseline.rs). Each finding learns the field it is on, takes the severity the
//! configuration gives its rule in its file (or is dropped when the rule is
//! off), then suppressions and the baseline take away what was accepted.
//! Rules never see any of this; renderers show what is left.

pub mod baseline;
mod stage;
pub mod suppress;

pub use stage::{Coverage, Judged, apply};
