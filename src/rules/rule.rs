//! The trait the check calls: one method per scope.

use super::context::{FileContext, RecordContext};
use super::meta::Declared;
use crate::model::{Finding, Repository};

/// What a rule checks; each method has a default that finds nothing, and
/// the check calls the one its scope names.
pub trait Rule: Declared + Sync + Send {
    /// Checks a whole file (syntax, top-level keys). Called for every file read,
    /// definitions or not.
    fn check_file(&self, _ctx: &FileContext<'_>, _out: &mut Vec<Finding>) {}

    /// Checks one record on its own. Not called for records a syntax error damaged.
    fn check_record(&self, _ctx: &RecordContext<'_>, _out: &mut Vec<Finding>) {}

    /// Checks records across the whole repository.
    fn check_repository(&self, _repository: &Repository, _out: &mut Vec<Finding>) {}
}
